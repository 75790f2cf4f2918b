"""Serve the asymmetry explorer with Voilà, as ``make app`` does and the browser tests do.

Usage: python tools/serve_app.py [--port 8866] [--cull-idle-timeout 30] [--notebook PATH]
                                [--show-tracebacks]

The server listens on 127.0.0.1 only and asks for a token: AK_TOKEN if it is set, else a fresh
random one per start. The URL with the token is printed first. The token reaches Voilà through
its environment (JUPYTER_TOKEN), not its command line, which other users can read in ``ps``.

Each page load starts a kernel (about 150 MB). A closing page asks Voilà to shut its kernel down,
but Voilà 0.5 refuses that request (403, "_xsrf argument missing": the page opened through the
token URL has no _xsrf cookie), and it never arrives from a crashed tab or a lost network. So a
kernel with no open page that has been idle for ``--cull-idle-timeout`` seconds is shut down; the
check runs every CULL_INTERVAL seconds. A kernel whose page is open is never culled, however long
it sits idle.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import urllib.parse
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO_ROOT / "notebooks" / "explorer.ipynb"
HOST = "127.0.0.1"
PORT = 8866
CULL_IDLE_TIMEOUT = 30  # s without an open page and without kernel activity
CULL_INTERVAL = 5  # s between two checks, so a closed page's kernel is gone within 35 s


def _whole(lo: int, hi: int):
    """argparse type: a whole number in [lo, hi]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be in [{lo}, {hi}], got {value}")
        return value

    return parse


def token_from_env() -> str:
    """AK_TOKEN if set, else a new random token. An empty AK_TOKEN is refused: it would mean no
    authentication, which this server does not offer."""
    token = os.environ.get("AK_TOKEN")
    if token is None:
        return secrets.token_hex(24)
    if not token or any(c.isspace() or not c.isprintable() for c in token):
        raise SystemExit("AK_TOKEN must be non-empty and without spaces; unset it for a random one")
    return token


def voila_command(
    port: int, cull_idle_timeout: int, notebook: Path, show_tracebacks: bool = False
) -> list[str]:
    """The Voilà command line (the token is passed separately, in the environment)."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--port={port}",
        "--Voila.port_retries=0",  # serve on the printed port or fail, never on another one
        "--Voila.auto_token=True",  # authentication on, with the token from JUPYTER_TOKEN
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
        f"--VoilaConfiguration.show_tracebacks={show_tracebacks}",
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=_whole(1, 65535), default=PORT, help=f"default {PORT}")
    parser.add_argument(
        "--cull-idle-timeout",
        type=_whole(1, 3600),
        default=CULL_IDLE_TIMEOUT,
        metavar="SECONDS",
        help=f"shut down a kernel with no open page after this long idle (default "
        f"{CULL_IDLE_TIMEOUT}, checked every {CULL_INTERVAL} s)",
    )
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK, help="default: the explorer")
    parser.add_argument(
        "--show-tracebacks", action="store_true", help="show cell errors on the page (tests)"
    )
    args = parser.parse_args(argv)
    if not args.notebook.is_file():
        parser.error(f"--notebook: no such file {args.notebook}")

    token = token_from_env()
    command = voila_command(
        args.port, args.cull_idle_timeout, args.notebook.resolve(), args.show_tracebacks
    )
    url = f"http://{HOST}:{args.port}/?token={urllib.parse.quote(token, safe='')}"
    print(
        f"Open {url} in a browser (Ctrl-C stops the server; "
        f"kernels of closed pages are shut down after {args.cull_idle_timeout} s idle).",
        flush=True,
    )
    env = {**os.environ, "JUPYTER_TOKEN": token}
    os.execve(sys.executable, command, env)  # Voilà takes this process: Ctrl-C reaches it


if __name__ == "__main__":
    main()

"""``make app``'s server (tools/serve_app.py, started here with its own command line): a request
without the token is refused, the URL with the token shows the explorer's dashboards, a kernel whose
page is open survives the cull timeout, and the kernel of a closed page is shut down within it.

The page is closed the way a crashed tab or a lost network closes it, without ``beforeunload``, so
Voilà's own shutdown request (which it refuses anyway, see tools/serve_app.py) is never sent and
only the culler can end the kernel. The cull timeout
is CULL_IDLE_TIMEOUT here (``make app`` uses serve_app.CULL_IDLE_TIMEOUT); with the wait for an
open page's kernel this module takes about a minute.
"""

from __future__ import annotations

import importlib.util
import json
import re
import time
import uuid

import pytest

from tests.browser.support import (
    DASHBOARD_FACTORIES,
    REPO_ROOT,
    SERVE_APP,
    ExplorerPage,
    VoilaServer,
    new_context,
    target_notebook,
)

_spec = importlib.util.spec_from_file_location("serve_app", SERVE_APP)
serve_app = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve_app)

NOTEBOOK = target_notebook()
CULL_IDLE_TIMEOUT = 10  # s
# a closed page's kernel must be gone by then: idle timeout, one check interval, shutdown time
CULL_DEADLINE = CULL_IDLE_TIMEOUT + serve_app.CULL_INTERVAL + 5


def _dashboards_built_by(notebook) -> list[str]:
    """The dashboard classes whose factories the notebook's code cells call, in DASHBOARD_FACTORIES
    order (read from the notebook's source, not from the page)."""
    source = "\n".join(
        "".join(cell["source"])
        for cell in json.loads(notebook.read_text())["cells"]
        if cell["cell_type"] == "code"
    )
    return [css for css, factory in DASHBOARD_FACTORIES.items() if f"{factory}(" in source]


def _refused(status: int, headers: dict) -> bool:
    """403, or a redirect to the login page."""
    location = headers.get("Location", "")
    return status == 403 or (status in (301, 302, 303, 307) and "/login" in location)


@pytest.fixture(scope="module")
def server(browser):
    with VoilaServer(NOTEBOOK, log_name="app-voila.log", cull_idle_timeout=CULL_IDLE_TIMEOUT) as s:
        yield s


def test_request_without_the_token_is_refused(server, browser):
    kernel_path = f"/api/kernels/{uuid.uuid4()}"
    for path, token in [
        ("/", None),
        ("/", "wrong-token"),
        ("/?token=wrong-token", None),
        (kernel_path, None),
        (kernel_path, "wrong-token"),
    ]:
        status, headers, body = server.get(path, token)
        assert _refused(status, headers), f"GET {path} (token {token!r}) answered {status}"
        assert "ak-dashboard" not in body and "jupyter-config-data" not in body, path
    assert server.kernel_pids() == set(), "a refused request started a kernel"
    assert server.kernel(str(uuid.uuid4())) is None  # with the token: 404, not refused

    # A browser without the token lands on the login page and no kernel is started.
    context = new_context(browser, server.url)
    try:
        page = context.new_page()
        page.goto(server.url, wait_until="domcontentloaded")
        assert "/login" in page.url, page.url
        assert page.locator("input[type=password]").count() >= 1  # the token field
        assert page.locator(".ak-dashboard").count() == 0
    finally:
        context.close()
    assert server.kernel_pids() == set(), "the login page started a kernel"


def test_token_url_shows_dashboards_and_closed_pages_kernel_is_culled(server, browser):
    context = new_context(browser, server.url)
    try:
        explorer = ExplorerPage(context, server.app_url, NOTEBOOK)
        explorer.open()  # fails unless every dashboard's first figure is shown
        assert explorer.dashboards() == _dashboards_built_by(NOTEBOOK)
        kernel_id = explorer.kernel_id()
        assert re.fullmatch(r"[0-9a-f-]{36}", kernel_id), kernel_id
        model = server.kernel(kernel_id)
        assert model is not None and model["connections"] >= 1, model
        pids = server.kernel_pids()
        assert len(pids) == 1, f"one page, one kernel process; found {sorted(pids)}"

        # An open page keeps its kernel however long it sits idle.
        time.sleep(CULL_IDLE_TIMEOUT + serve_app.CULL_INTERVAL + 1)
        assert server.kernel(kernel_id) is not None, "the kernel of an open page was culled"

        explorer.page.close()  # no beforeunload: nothing tells Voilà the page is gone
        closed = time.monotonic()
        while server.kernel(kernel_id) is not None or server.kernel_pids() & pids:
            waited = time.monotonic() - closed
            assert waited < CULL_DEADLINE, (
                f"kernel {kernel_id} still there {waited:.0f} s after its page closed "
                f"(cull timeout {CULL_IDLE_TIMEOUT} s)\n{server.log_tail()}"
            )
            time.sleep(0.5)
    finally:
        context.close()


def test_make_app_runs_serve_app():
    """The target runs the script these tests start (no other options), and its help line states
    the script's cull timeout."""
    makefile = (REPO_ROOT / "Makefile").read_text()
    match = re.search(r"^app:.*## (.*)\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert match, "no documented app target in the Makefile"
    help_line, recipe = match.groups()
    assert recipe.strip() == "$(PY) tools/serve_app.py", recipe
    assert f"{serve_app.CULL_IDLE_TIMEOUT} s idle" in help_line, help_line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cull-idle-timeout=0"], r"\[1, 3600\], got 0"),
        (["--cull-idle-timeout=2.5"], "whole number"),
        (["--port=70000"], r"\[1, 65535\]"),
        (["--notebook=missing.ipynb"], "no such file"),
    ],
)
def test_serve_app_refuses_bad_options(args, message, capsys):
    with pytest.raises(SystemExit):
        serve_app.main(args)
    assert re.search(message, capsys.readouterr().err)


@pytest.mark.parametrize("token", ["", " ", "a b", "tab\t"])
def test_serve_app_refuses_an_empty_or_spaced_token(token, monkeypatch):
    monkeypatch.setenv("AK_TOKEN", token)
    with pytest.raises(SystemExit, match="AK_TOKEN must be non-empty"):
        serve_app.token_from_env()


def test_serve_app_token(monkeypatch):
    monkeypatch.setenv("AK_TOKEN", "given-token")
    assert serve_app.token_from_env() == "given-token"
    monkeypatch.delenv("AK_TOKEN")
    first, second = serve_app.token_from_env(), serve_app.token_from_env()
    assert first != second and len(first) >= 32 and re.fullmatch(r"[0-9a-f]+", first)

"""Helpers for the browser tests and the browser benchmark: a Voilà server, Debian's Chromium driven
by Playwright, and a page object for the dashboards' DOM contract.

Nothing here is a pytest fixture (they live in ``conftest.py`` and the test modules), so
``benchmarks/bench_widgets_browser.py`` can import this module without pytest.

The DOM contract the dashboards follow (``analogkit.widgets``):

- dashboard: ``.ak-dashboard.ak-<name>`` (a VBox), names ``device``, ``asgd``, ``lower-bound``,
  ``tiki-taka``; with ``ak-stale`` too while its values cannot run (figure and numbers greyed);
- slider: ``.ak-slider-<param>`` with ``continuous_update=False``, description = param;
- figure: ``img.ak-figure`` (an ``ipywidgets.Image``, a new SVG on every change);
- numbers: ``.ak-numbers`` holding ``<span class="ak-num" data-key="KEY">{value:.6g}</span>``;
- message: ``.ak-message``, empty normally, one clear sentence at extreme settings.

Pitfalls this module works around (see the docstrings below for details):

- Voilà executes the notebook on *each* GET of ``/``, so readiness is polled on a static file.
- The lab template links Font Awesome from cdn.jsdelivr.net; with no network that fails with a
  console error, so the browser context answers that stylesheet with an empty one (hermetic tests).
- Exceptions raised inside widget callbacks show up nowhere (not on the page, not in the console,
  not in Voilà's log), so a missing update is reported with the dashboard's ``compute`` rerun in
  pytest to surface the exception.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
EXPLORER = REPO_ROOT / "notebooks" / "explorer.ipynb"
SERVE_APP = REPO_ROOT / "tools" / "serve_app.py"  # what `make app` runs
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"

# dashboard CSS class -> factory name in analogkit.widgets
DASHBOARD_FACTORIES = {
    "ak-device": "device_dashboard",
    "ak-asgd": "asgd_dashboard",
    "ak-lower-bound": "lower_bound_dashboard",
    "ak-tiki-taka": "tiki_taka_dashboard",
    "ak-multi-tile": "multi_tile_dashboard",
}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # we may run as root (CI containers)
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium phones home at start-up; on a closed network those connections are
    # refused and can stall or fail the launch.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "install Debian's Chromium with `sudo apt-get install chromium` (or point AK_CHROMIUM at a "
    "Chromium binary); Playwright's own browser download is not used"
)
VOILA_START_TIMEOUT = 60.0  # s until Voilà's HTTP server answers (imports, not the notebook)
NOTEBOOK_TIMEOUT = 90.0  # s until the executed notebook's dashboards are on the page
UPDATE_TIMEOUT = 20.0  # s for one slider change to reach the page


# ----------------------------------------------------------------------------- what to test


def target_notebook() -> Path:
    """notebooks/explorer.ipynb; AK_BROWSER_NOTEBOOK overrides."""
    override = os.environ.get("AK_BROWSER_NOTEBOOK")
    return Path(override).resolve() if override else EXPLORER


_references: dict[tuple[Path, str], object] = {}
_references_lock = threading.Lock()


def reference_dashboard(notebook: Path, dashboard: str):
    """One dashboard built in this Python process by the page's own factory (no kernel needed:
    its sliders give defaults and ranges, its ``compute`` the expected numbers). Cached."""
    key = (Path(notebook), dashboard)
    with _references_lock:
        if key not in _references:
            factory = getattr(
                importlib.import_module("analogkit.widgets"), DASHBOARD_FACTORIES[dashboard]
            )
            _references[key] = factory()
        return _references[key]


def prefetch_references(notebook: Path) -> threading.Thread:
    """Build the reference dashboards in a background thread (while Voilà starts and the kernel
    runs the notebook: building them costs about as much as the kernel's own first render)."""

    def build():
        for dashboard in DASHBOARD_FACTORIES:
            with contextlib.suppress(Exception):  # a failure shows up again where it is used
                reference_dashboard(notebook, dashboard)

    thread = threading.Thread(target=build, name="ak-reference-dashboards", daemon=True)
    thread.start()
    return thread


# ----------------------------------------------------------------------------- environment


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def chromium_path() -> str | None:
    """AK_CHROMIUM if set (and then only it), else /usr/bin/chromium, else `chromium` on PATH."""
    override = os.environ.get("AK_CHROMIUM")
    candidates = [override] if override else ["/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing: pip install -e '.[browser]'"
    try:
        importlib.import_module("voila")
    except ImportError:
        return "voila is missing: pip install -e '.[notebooks]'"
    if chromium_path() is None:
        where = os.environ.get("AK_CHROMIUM") or "/usr/bin/chromium or on PATH"
        return f"no Chromium found at {where}: {INSTALL_HINT}"
    return None


def require_browser() -> None:
    """Skip (laptop) or fail (CI=true) when Chromium, Playwright or Voilà is missing."""
    import pytest

    reason = browser_unavailable_reason()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def artifact_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name).strip("-")
    while "--" in safe:
        safe = safe.replace("--", "-")
    return ARTIFACTS / safe


# ----------------------------------------------------------------------------- Voilà


class VoilaServer:
    """``tools/serve_app.py`` -- the command ``make app`` runs -- on 127.0.0.1:<free port>, as a
    context manager.

    It runs with a token of its own (``token``; ``app_url`` is the URL with it), the given cull
    timeout, and tracebacks shown on the page (``--show-tracebacks``) so tests can see cell errors.
    The server runs in its own process group; ``stop()`` sends SIGTERM (Voilà then shuts its
    kernels down), then SIGKILL to the group if needed. Kernels run in sessions of their own and
    exit by themselves once Voilà is gone.
    """

    def __init__(
        self,
        notebook: Path,
        port: int | None = None,
        log_name: str = "voila.log",
        cull_idle_timeout: int | None = None,
    ):
        self.notebook = Path(notebook)
        self.port = port or free_port()
        self.cull_idle_timeout = cull_idle_timeout  # None: serve_app.py's default
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}/"
        self.app_url = f"{self.url}?token={self.token}"
        self.log_path = artifact_path(log_name)
        self.proc: subprocess.Popen | None = None

    def command(self) -> list[str]:
        command = [
            sys.executable,
            str(SERVE_APP),
            f"--port={self.port}",
            f"--notebook={self.notebook}",
            "--show-tracebacks",
        ]
        if self.cull_idle_timeout is not None:
            command.append(f"--cull-idle-timeout={self.cull_idle_timeout}")
        return command

    def start(self, timeout: float = VOILA_START_TIMEOUT) -> VoilaServer:
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            self.command(),
            cwd=REPO_ROOT,
            env={**os.environ, "AK_TOKEN": self.token},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        # Not "/": every GET of "/" starts a kernel and executes the whole notebook. A static file
        # the page itself loads answers 200 as soon as the HTTP server is up.
        probe = self.url + "voila/static/voila.js"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"Voilà exited with code {self.proc.returncode} before "
                    f"serving.\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(probe, timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise TimeoutError(
            f"Voilà did not answer {probe} within {timeout:.0f} s.\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no Voilà log)"
        return f"--- last lines of {self.log_path} ---\n" + "\n".join(text.splitlines()[-lines:])

    def get(self, path: str, token: str | None = None) -> tuple[int, dict, str]:
        """GET ``path`` without following redirects: (status, headers, body). ``token`` goes into
        an ``Authorization`` header."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {"Authorization": f"token {token}"} if token else {}
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read().decode("utf-8", errors="replace")
            return response.status, dict(response.getheaders()), body
        finally:
            connection.close()

    def kernel(self, kernel_id: str) -> dict | None:
        """The server's model of a kernel (``/api/kernels/<id>``, with the token), None if gone."""
        status, _, body = self.get(f"/api/kernels/{kernel_id}", self.token)
        if status == 404:
            return None
        if status != 200:
            raise AssertionError(f"/api/kernels/{kernel_id} answered {status}: {body[:300]}")
        return json.loads(body)

    def kernel_pids(self) -> set[int]:
        """The live kernel processes of this server: its children running ipykernel (Linux
        ``/proc``; a zombie has an empty command line and does not count)."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
                cmdline = (stat.parent / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue  # the process ended while we looked
            if self.proc is not None and ppid == self.proc.pid and b"ipykernel" in cmdline:
                pids.add(int(stat.parent.name))
        return pids

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    pass
            # anything else left in the server's process group
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(5)
        log = getattr(self, "_log", None)
        if log is not None and not log.closed:
            log.close()

    def __enter__(self) -> VoilaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ----------------------------------------------------------------------------- Chromium


def launch_chromium(playwright):
    path = chromium_path()
    if path is None:
        raise RuntimeError(f"no Chromium: {INSTALL_HINT}")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


def new_context(browser, base_url: str):
    """A browser context that only talks to our server (see ``_route_external``)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=base_url)
    blocked: list[str] = []
    context.route(lambda url: not url.startswith(base_url), _route_external(blocked))
    context.blocked_urls = blocked  # type: ignore[attr-defined]
    return context


def _route_external(blocked: list[str]):
    """Voilà's lab template links Font Awesome CSS from cdn.jsdelivr.net. Offline that request
    fails with a console error that says nothing about our app, so external stylesheets are answered
    with an empty one and anything else external is aborted; both are recorded."""

    def handler(route):
        request = route.request
        blocked.append(request.url)
        if request.resource_type == "stylesheet":
            route.fulfill(status=200, content_type="text/css", body="/* blocked by test */")
        else:
            route.abort()

    return handler


# ----------------------------------------------------------------------------- the page


def slider_kind(slider) -> str:
    name = type(slider).__name__
    if "Log" in name:
        return "log"
    if "Int" in name:
        return "int"
    return "float"


def _snap(slider, value: float) -> float:
    """Clamp to [min, max] and snap to the step grid that starts at min (as noUiSlider does)."""
    lo, hi, step = slider.min, slider.max, slider.step
    value = min(max(value, lo), hi)
    if step:
        value = lo + round((value - lo) / step) * step
        value = min(max(value, lo), hi)
    return value


def keyboard_target(slider, current: float, key: str) -> float:
    """The value a key press on the slider handle leads to (noUiSlider: arrows = 1 step,
    PageUp/PageDown = 5 steps, Home/End = min/max; FloatLogSlider steps the exponent)."""
    steps = {
        "ArrowRight": 1,
        "ArrowUp": 1,
        "ArrowLeft": -1,
        "ArrowDown": -1,
        "PageUp": 5,
        "PageDown": -5,
    }
    kind = slider_kind(slider)
    if key in ("Home", "End"):
        exponent = slider.min if key == "Home" else slider.max
        return slider.base**exponent if kind == "log" else exponent
    n = steps[key]
    if kind == "log":
        exponent = _snap(slider, math.log(current, slider.base) + n * slider.step)
        return slider.base**exponent
    value = _snap(slider, current + n * slider.step)
    return int(round(value)) if kind == "int" else round(value, 12)


def readout_target(slider, current: float, fraction: float = 0.3) -> tuple[str, float]:
    """A value on the slider's grid away from ``current``, as (text to type, value it parses to)."""
    kind = slider_kind(slider)
    for f in (fraction, 1 - fraction, 0.5, 0.0, 1.0):
        raw = _snap(slider, slider.min + f * (slider.max - slider.min))
        value = slider.base**raw if kind == "log" else raw
        text = str(int(round(value))) if kind == "int" else f"{value:.6g}"
        parsed = float(text)
        if not math.isclose(parsed, current, rel_tol=1e-9, abs_tol=1e-12):
            return text, parsed
    raise ValueError(f"no readout value away from {current} on {slider!r}")


def format_number(value: float) -> str:
    return f"{value:.6g}"


def numbers_agree(shown: str, expected: float) -> bool:
    """The page shows ``{:.6g}``; allow the last digit to differ (parameter floats that differ in
    the last ulp between JavaScript and Python can move a rounding boundary)."""
    try:
        got = float(shown)
    except ValueError:
        # A word such as "diverged" in place of a non-finite value is fine.
        return not math.isfinite(expected) and bool(shown.strip())
    if math.isnan(expected) or math.isnan(got):
        return math.isnan(expected) and math.isnan(got)
    if math.isinf(expected) or math.isinf(got):
        return got == expected
    return math.isclose(got, expected, rel_tol=2e-5, abs_tol=1e-12)


@dataclass
class Problem:
    """A console error, page error or Python error output seen in the browser."""

    kind: str
    text: str
    url: str = ""

    def __str__(self) -> str:
        return f"[{self.kind}] {self.text}" + (f" ({self.url})" if self.url else "")


_LOADED_JS = """
() => {
  const ds = document.querySelectorAll('.ak-dashboard');
  let ready = ds.length > 0;
  for (const d of ds) {
    const img = d.querySelector('img.ak-figure, .ak-figure img');
    if (!img || !img.complete || !img.naturalWidth) ready = false;
  }
  if (ready) return 'ready';
  const err = document.querySelector('[data-mime-type="application/vnd.jupyter.stderr"], '
                                     + '[data-mime-type="application/vnd.jupyter.error"]');
  if (err && /Error|Traceback/.test(err.innerText)) return 'error';
  return false;
}
"""

_FIGURE_STATE_JS = """
(sel) => {
  const d = document.querySelector(sel);
  if (!d) return null;
  const img = d.querySelector('img.ak-figure, .ak-figure img');
  const nums = {};
  for (const el of d.querySelectorAll('.ak-numbers .ak-num')) {
    nums[el.dataset.key] = el.textContent.trim();
  }
  const msg = d.querySelector('.ak-message');
  return {
    src: img ? img.getAttribute('src') || '' : '',
    loaded: !!(img && img.complete && img.naturalWidth > 0),
    numbers: nums,
    message: msg ? msg.innerText.trim() : null,
  };
}
"""

_WAIT_UPDATE_JS = """
([sel, oldSrc, oldNumbers, needNumbers]) => {
  const d = document.querySelector(sel);
  if (!d) return false;
  const img = d.querySelector('img.ak-figure, .ak-figure img');
  if (!img || !img.getAttribute('src') || img.getAttribute('src') === oldSrc) return false;
  if (!(img.complete && img.naturalWidth > 0)) return false;
  if (!needNumbers) return true;
  const nums = {};
  for (const el of d.querySelectorAll('.ak-numbers .ak-num')) {
    nums[el.dataset.key] = el.textContent.trim();
  }
  return JSON.stringify(nums) !== oldNumbers;
}
"""

_PAGE_PROBLEMS_JS = """
() => {
  const out = [];
  const sel = '[data-mime-type="application/vnd.jupyter.stderr"], '
            + '[data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-error';
  for (const el of document.querySelectorAll(sel)) out.push(el.innerText.slice(0, 3000));
  const text = document.body ? document.body.innerText : '';
  for (const pat of ['Traceback (most recent call last)', 'There was an error when executing cell',
                     'CellExecutionError']) {
    if (text.includes(pat) && !out.some(o => o.includes(pat))) {
      const i = text.indexOf(pat);
      out.push(text.slice(Math.max(0, i - 300), i + 1500));
    }
  }
  return out;
}
"""

_IMAGE_HASH_JS = """
async (sel) => {
  const img = document.querySelector(sel).querySelector('img.ak-figure, .ak-figure img');
  const buf = await (await fetch(img.src)).arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', buf);
  return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('');
}
"""


@dataclass
class Change:
    """What one slider change did on the page."""

    dashboard: str
    param: str
    how: str
    value: float
    seconds: float
    before: dict
    after: dict
    params: dict = field(default_factory=dict)


class ExplorerPage:
    """One browser page on the Voilà app, plus what we know about its slider values.

    ``values[dashboard][param]`` starts at the factory defaults and follows every change this
    object makes; if a change does not reach the page in time the page is marked ``dirty`` and
    ``ensure_clean_state()`` reloads it (a fresh kernel) before the next test uses it.
    """

    def __init__(self, context, url: str, notebook: Path):
        self.context = context
        self.url = url  # the app's URL, with its token
        self.notebook = Path(notebook)
        self.page = None
        self.problems: list[Problem] = []
        self.values: dict[str, dict[str, float]] = {}
        self.dirty = True
        self.changes: list[Change] = []
        self.problems_mark = 0  # index into problems where the current test began
        self.load_seconds = float("nan")

    # -- reference dashboards in this Python process (expected numbers, slider ranges)

    def reference(self, dashboard: str):
        return reference_dashboard(self.notebook, dashboard)

    def expected_numbers(self, dashboard: str, params: dict | None = None) -> dict:
        params = dict(self.values[dashboard] if params is None else params)
        return self.reference(dashboard).compute(**params)

    # -- loading

    def open(self, timeout: float = NOTEBOOK_TIMEOUT) -> float:
        """(Re)load the app and wait for every dashboard's first figure. Returns seconds taken."""
        if self.page is not None:
            self.page.close()
        self.problems = []
        self.page = page = self.context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.problems.append(Problem("pageerror", str(exc))))
        start = time.perf_counter()
        page.goto(self.url, timeout=timeout * 1000, wait_until="domcontentloaded")
        remaining = max(1.0, timeout - (time.perf_counter() - start))
        try:
            # Stops waiting early when an error output shows up (a cell before the dashboards
            # failed: they will never appear).
            page.wait_for_function(_LOADED_JS, timeout=remaining * 1000, polling=100)
        except Exception as exc:
            raise AssertionError(
                f"the dashboards did not appear within {timeout:.0f} s of opening {self.url}; "
                f"Python errors on the page: {self.page_problems() or 'none'}"
            ) from exc
        if page.evaluate(_LOADED_JS) != "ready":
            shot = self.screenshot("load-failed")
            raise AssertionError(
                f"{self.notebook.name} failed while executing (screenshot {shot}):\n"
                + "\n".join(map(str, self.page_problems()))
            )
        elapsed = time.perf_counter() - start
        self.values = {}
        for dashboard in self.dashboards():
            ref = self.reference(dashboard)
            self.values[dashboard] = {p: s.value for p, s in ref.sliders.items()}
        self.dirty = False
        return elapsed

    def ensure_clean_state(self) -> None:
        if self.dirty:
            self.open()

    def kernel_id(self) -> str:
        """The id of the kernel Voilà started for this page (from the page's config)."""
        return self.page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )

    def dashboards(self) -> list[str]:
        """Dashboard classes on the page that have a factory (in DASHBOARD_FACTORIES order)."""
        present = self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.ak-dashboard')).map(d => d.className)"
        )
        classes = {c for names in present for c in names.split()}
        return [d for d in DASHBOARD_FACTORIES if d in classes]

    # -- problems

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        # Known harmless: the browser asks for /favicon.ico on its own, and Voilà answers 404
        # (or a redirect to a 404). It is not our app's resource.
        if "favicon" in url or "favicon" in msg.text:
            return
        # External resources are blocked by this harness on purpose (see _route_external).
        blocked = getattr(self.context, "blocked_urls", [])
        if url and url in blocked and "Failed to load resource" in msg.text:
            return
        self.problems.append(Problem("console", msg.text, url))

    def page_problems(self) -> list[Problem]:
        if self.page is None:
            return []
        return [Problem("python", text) for text in self.page.evaluate(_PAGE_PROBLEMS_JS)]

    def all_problems(self, since: int = 0) -> list[Problem]:
        """Console/page errors from index ``since`` on, plus Python errors now on the page."""
        return [*self.problems[since:], *self.page_problems()]

    # -- reading

    def selector(self, dashboard: str) -> str:
        return f".ak-dashboard.{dashboard}"

    def state(self, dashboard: str) -> dict:
        st = self.page.evaluate(_FIGURE_STATE_JS, self.selector(dashboard))
        if st is None:
            raise AssertionError(f"no {self.selector(dashboard)} on the page")
        return st

    def figure_hash(self, dashboard: str) -> str:
        return self.page.evaluate(_IMAGE_HASH_JS, self.selector(dashboard))

    def slider(self, dashboard: str, param: str):
        return self.page.locator(f"{self.selector(dashboard)} .ak-slider-{param}")

    def readout_text(self, dashboard: str, param: str) -> str:
        return self.slider(dashboard, param).locator(".widget-readout").inner_text().strip()

    def screenshot(self, name: str, dashboard: str | None = None) -> Path:
        path = artifact_path(f"{name}.png")
        if dashboard is None:
            self.page.screenshot(path=str(path), full_page=True)
        else:
            self.page.locator(self.selector(dashboard)).screenshot(path=str(path))
        return path

    # -- changing

    def press_key(self, dashboard: str, param: str, key: str | None = None, **wait) -> Change:
        """Focus the slider handle and press ``key`` (default: ArrowRight, or ArrowLeft at max)."""
        ref = self.reference(dashboard).sliders[param]
        current = self.values[dashboard][param]
        if key is None:
            key = "ArrowRight"
            if keyboard_target(ref, current, key) == current:
                key = "ArrowLeft"
        value = keyboard_target(ref, current, key)
        handle = self.slider(dashboard, param).locator(".noUi-handle")

        def act():
            handle.focus()
            handle.press(key)

        return self._change(dashboard, param, f"key {key}", value, act, **wait)

    def type_readout(self, dashboard: str, param: str, text: str | None = None, **wait) -> Change:
        """Click the slider's readout (editable in ipywidgets 8), select all, type, press Enter."""
        ref = self.reference(dashboard).sliders[param]
        current = self.values[dashboard][param]
        if text is None:
            text, value = readout_target(ref, current)
        else:
            value = float(text)
            lo, hi = (
                (ref.base**ref.min, ref.base**ref.max)
                if slider_kind(ref) == "log"
                else (ref.min, ref.max)
            )
            value = min(max(value, lo), hi)  # the readout clamps, it does not snap to the step
        readout = self.slider(dashboard, param).locator(".widget-readout")

        def act():
            readout.click()
            self.page.keyboard.press("ControlOrMeta+A")
            self.page.keyboard.type(text)
            self.page.keyboard.press("Enter")

        return self._change(dashboard, param, f"typed {text!r}", value, act, **wait)

    def _change(
        self,
        dashboard,
        param,
        how,
        value,
        act,
        *,
        wait_for="update",
        message=None,
        timeout: float = UPDATE_TIMEOUT,
    ) -> Change:
        """Do ``act`` and wait. wait_for="update": new figure and changed numbers;
        "figure": new figure only; "message": the message text satisfies ``message`` (a predicate;
        default: non-empty); "numbers": numbers equal to compute(**params) and, if given, the
        message satisfies ``message``."""
        before = self.state(dashboard)
        params = {**self.values[dashboard], param: value}
        self.dirty = True  # until the page confirms the change
        start = time.perf_counter()
        act()
        try:
            if wait_for in ("update", "figure"):
                self.page.wait_for_function(
                    _WAIT_UPDATE_JS,
                    arg=[
                        self.selector(dashboard),
                        before["src"],
                        json.dumps(before["numbers"], separators=(",", ":")),
                        wait_for == "update",
                    ],
                    timeout=timeout * 1000,
                    polling="raf",
                )
            elif wait_for == "message":
                self.wait_message(dashboard, message or bool, timeout)
            elif wait_for == "numbers":
                self.wait_numbers(dashboard, params, timeout, message=message)
            else:
                raise ValueError(f"wait_for={wait_for!r}")
        except Exception as exc:
            raise AssertionError(
                self._explain_timeout(dashboard, param, how, params, timeout, before, wait_for)
            ) from exc
        seconds = time.perf_counter() - start
        self.values[dashboard][param] = value
        self.dirty = False
        after = self.state(dashboard)
        change = Change(dashboard, param, how, value, seconds, before, after, params)
        self.changes.append(change)
        return change

    def wait_message(self, dashboard: str, predicate, timeout: float = UPDATE_TIMEOUT) -> dict:
        """Wait until predicate(message text) is true. Returns the page state."""
        deadline = time.monotonic() + timeout
        while True:
            st = self.state(dashboard)
            if st["message"] is not None and predicate(st["message"]):
                return st
            if time.monotonic() > deadline:
                raise TimeoutError(f"message {st['message']!r} never satisfied {predicate}")
            self.page.wait_for_timeout(50)

    def wait_numbers(
        self,
        dashboard: str,
        params: dict | None = None,
        timeout: float = UPDATE_TIMEOUT,
        message=None,
    ) -> dict:
        """Wait until the page's numbers equal compute(**params) (default: the tracked values)
        and, if ``message`` (a predicate) is given, the message satisfies it. Returns the state."""
        params = dict(self.values[dashboard] if params is None else params)
        expected = self.expected_numbers(dashboard, params)
        deadline = time.monotonic() + timeout
        while True:
            st = self.state(dashboard)
            agree = all(
                k in expected and numbers_agree(v, expected[k]) for k, v in st["numbers"].items()
            )
            message_ok = message is None or (st["message"] is not None and message(st["message"]))
            if st["numbers"] and agree and message_ok and st["loaded"]:
                return st
            if time.monotonic() > deadline:
                raise TimeoutError(f"numbers {st['numbers']} never matched {expected}")
            self.page.wait_for_timeout(50)

    def _explain_timeout(self, dashboard, param, how, params, timeout, before, wait_for) -> str:
        what = {
            "update": "a new figure and new numbers",
            "figure": "a new figure",
            "message": "the expected message",
            "numbers": "numbers equal to compute()",
        }
        lines = [
            f"{dashboard} {param}: after {how}, the page did not show "
            f"{what.get(wait_for, wait_for)} within {timeout:.0f} s."
        ]
        try:
            lines.append(f"page before: {before}; page now: {self.state(dashboard)}")
            lines.append(f"readout now: {self.readout_text(dashboard, param)!r}")
        except Exception as exc:  # the page may be gone
            lines.append(f"(page unreadable: {exc})")
        # Voilà swallows exceptions raised in widget callbacks; rerun compute here to surface one.
        try:
            expected = self.expected_numbers(dashboard, params)
            lines.append(f"compute(**{params}) runs fine in pytest and gives {expected}.")
            if wait_for in ("update", "figure"):
                lines.append(
                    "So the page's callback did not update the figure and numbers: it "
                    "may have raised (Voila shows exceptions from widget callbacks "
                    "nowhere), skipped re-rendering, or never got the value."
                )
        except Exception as exc:
            lines.append(
                f"compute(**{params}) raises {type(exc).__name__}: {exc} -- the widget "
                "callback must catch this and show a message (Voilà hides it)."
            )
        lines.extend(str(p) for p in self.all_problems())
        with contextlib.suppress(Exception):
            shot = self.screenshot(f"timeout-{dashboard}-{param}")
            lines.append(f"screenshot: {shot}")
        return "\n".join(lines)

"""Browser tests of the asymmetry explorer (issue 8): Playwright drives Debian's Chromium against
Voilà serving the explorer on 127.0.0.1, started as ``make app`` starts it (tools/serve_app.py).

Target: notebooks/explorer.ipynb (AK_BROWSER_NOTEBOOK=path overrides). One Voilà server and one
Chromium serve the whole module and are stopped at its end, also when a test fails.

Without Chromium (or Playwright, or Voilà) these tests are skipped on a laptop, and fail when
CI=true.
Screenshots of every state, Voilà's log and timings.json go to test-artifacts/browser/.

To cover another slider or dashboard, add a row to SLIDER_CASES / EXTREME_CASES (and the factory
name to DASHBOARD_FACTORIES in support.py for a new dashboard).
"""

from __future__ import annotations

import json
import math
import re

import pytest

from tests.browser.support import (
    DASHBOARD_FACTORIES,
    ExplorerPage,
    VoilaServer,
    artifact_path,
    format_number,
    new_context,
    numbers_agree,
    prefetch_references,
    reference_dashboard,
    target_notebook,
)

pytestmark = pytest.mark.browser

NOTEBOOK = target_notebook()

# (dashboard CSS class, slider param, how): "keyboard" focuses the slider handle and presses an
# arrow key; "readout" types a value into the slider's readout and presses Enter. Each dashboard
# gets both ways; a row per (slider, way) would double the time of this module.
SLIDER_CASES = [
    ("ak-device", "asymmetry", "keyboard"),
    ("ak-device", "tau", "readout"),
    ("ak-asgd", "asymmetry", "readout"),
    ("ak-asgd", "noise", "keyboard"),
    ("ak-asgd", "lr", "readout"),
    ("ak-tiki-taka", "asymmetry", "keyboard"),
    ("ak-tiki-taka", "lr", "keyboard"),
    ("ak-tiki-taka", "transfer_lr", "readout"),
]

# (dashboard, param, action, regex the message must match). action: a key pressed on the slider
# handle ("End" = slider max, "Home" = slider min) or a value typed into the readout.
EXTREME_CASES = [
    ("ak-asgd", "lr", "End", r"(?i)diverg"),
    ("ak-tiki-taka", "lr", "End", r"(?i)diverg"),
]

# What a "clear message" must not look like.
NOT_A_SENTENCE = re.compile(
    r"Traceback|File \"|line \d+, in |^\s*\w+Error\b|<module>|\bat 0x[0-9a-f]+"
)


def assert_clear_message(message: str, where: str, allow_empty: bool = True) -> None:
    """The message line is empty (when allowed) or sentences, never a traceback."""
    if allow_empty and message == "":
        return
    assert len(message) >= 15 and not NOT_A_SENTENCE.search(message), (
        f"{where}: the message is not a clear sentence: {message!r}"
    )


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def voila_server(browser):
    prefetch_references(NOTEBOOK)  # expected-number dashboards, built while Voilà works
    server = VoilaServer(NOTEBOOK)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def explorer_session(browser, voila_server):
    context = new_context(browser, voila_server.url)
    session = ExplorerPage(context, voila_server.app_url, NOTEBOOK)
    try:
        session.load_seconds = session.open()
        yield session
    finally:
        _write_timings(session)
        context.close()


@pytest.fixture
def explorer(explorer_session):
    """The shared page, reloaded first if an earlier test left it in an unknown state."""
    explorer_session.ensure_clean_state()
    explorer_session.problems_mark = len(explorer_session.problems)  # report only this test's
    return explorer_session


def _write_timings(session: ExplorerPage) -> None:
    changes = [
        {
            "dashboard": c.dashboard,
            "param": c.param,
            "how": c.how,
            "value": c.value,
            "seconds": round(c.seconds, 4),
        }
        for c in session.changes
    ]
    update_times = sorted(c["seconds"] for c in changes)
    summary = {
        "notebook": str(NOTEBOOK),
        "load_seconds": round(session.load_seconds, 3),
        "changes": len(changes),
        "change_seconds_p50": update_times[len(update_times) // 2] if update_times else None,
        "change_seconds_max": update_times[-1] if update_times else None,
        "per_change": changes,
    }
    artifact_path("timings.json").write_text(json.dumps(summary, indent=1))


# ----------------------------------------------------------------------------- helpers


def _test_name(request) -> str:
    return request.node.name


def assert_no_problems(explorer: ExplorerPage, when: str, since: int | None = None) -> None:
    """No console errors since this test began (or since ``since``), no Python error on the page."""
    if since is None:
        since = getattr(explorer, "problems_mark", 0)
    problems = explorer.all_problems(since)
    assert not problems, f"{when}: errors in the browser:\n" + "\n".join(map(str, problems))


def assert_numbers_match(explorer: ExplorerPage, dashboard: str, shown: dict) -> None:
    """Every number on the page equals the dashboard's compute(**params) run here in pytest."""
    params = explorer.values[dashboard]
    expected = explorer.expected_numbers(dashboard)
    assert shown, f"{dashboard}: no .ak-num elements in .ak-numbers"
    unknown = sorted(set(shown) - set(expected))
    assert not unknown, f"{dashboard}: page shows {unknown}, which compute() does not return"
    wrong = {
        key: (text, format_number(expected[key]))
        for key, text in shown.items()
        if not numbers_agree(text, expected[key])
    }
    assert not wrong, f"{dashboard} at {params}: page vs compute (shown, expected): {wrong}"


def assert_readout_shows(explorer: ExplorerPage, dashboard: str, param: str, value: float) -> None:
    slider = explorer.reference(dashboard).sliders[param]
    text = explorer.readout_text(dashboard, param)
    fmt = getattr(slider, "readout_format", "") or ""
    match = re.search(r"\.(\d+)([a-z]?)$", fmt)
    digits, kind = (int(match.group(1)), match.group(2)) if match else (3, "g")
    if kind == "f":
        tol = dict(abs_tol=0.51 * 10**-digits, rel_tol=0)
    else:
        tol = dict(rel_tol=0.51 * 10 ** (1 - digits), abs_tol=1e-12)
    shown = float(text.replace("−", "-").replace(",", ""))
    assert math.isclose(shown, value, **tol), (
        f"{dashboard} {param}: readout {text!r}, value {value}"
    )


def _ids(cases):
    return [f"{d}-{p}" for d, p, *_ in cases]


# ----------------------------------------------------------------------------- tests


def test_page_loads_without_errors(explorer, request):
    dashboards = explorer.dashboards()
    wanted = sorted({d for d, *_ in SLIDER_CASES + EXTREME_CASES})
    missing = [d for d in wanted if d not in dashboards]
    assert not missing, f"{NOTEBOOK.name}: dashboards {missing} are not on the page"
    explorer.screenshot(f"{_test_name(request)}-loaded")  # the top of the page (see below)
    for dashboard in dashboards:
        # Voilà's lab template scrolls inside a container, so a full-page shot stops at the
        # viewport: each dashboard gets its own screenshot.
        explorer.screenshot(f"{_test_name(request)}-loaded-{dashboard}", dashboard)
        state = explorer.state(dashboard)
        assert state["loaded"], f"{dashboard}: figure not loaded"
        assert_clear_message(state["message"], f"{dashboard} at its defaults")
        assert_numbers_match(explorer, dashboard, state["numbers"])
        for param, value in explorer.values[dashboard].items():
            # sliders only (a dashboard may also hold a Dropdown or Checkbox)
            if explorer.slider(dashboard, param).locator(".widget-readout").count():
                assert_readout_shows(explorer, dashboard, param, value)
    assert_no_problems(explorer, "after loading", since=0)


@pytest.mark.parametrize(
    ("dashboard", "param", "how"), SLIDER_CASES, ids=[f"{d}-{p}-{h}" for d, p, h in SLIDER_CASES]
)
def test_slider_changes_figure_and_numbers(explorer, request, dashboard, param, how):
    old_hash = explorer.figure_hash(dashboard)
    if how == "keyboard":
        change = explorer.press_key(dashboard, param)
    elif how == "readout":
        change = explorer.type_readout(dashboard, param)
    else:
        raise ValueError(f"how must be 'keyboard' or 'readout', not {how!r}")
    explorer.screenshot(f"{_test_name(request)}-after", dashboard)

    assert explorer.figure_hash(dashboard) != old_hash, "figure src changed but not its pixels"
    assert change.after["numbers"] != change.before["numbers"]
    assert_clear_message(change.after["message"], f"{dashboard} after {change.how} on {param}")
    assert_numbers_match(explorer, dashboard, change.after["numbers"])
    assert_readout_shows(explorer, dashboard, param, change.value)
    assert_no_problems(explorer, f"after {change.how} on {dashboard} {param}")


@pytest.mark.parametrize(
    ("dashboard", "param", "action", "pattern"), EXTREME_CASES, ids=_ids(EXTREME_CASES)
)
def test_extreme_value_shows_clear_message(explorer, request, dashboard, param, action, pattern):
    previous = explorer.values[dashboard][param]
    shows = re.compile(pattern).search
    assert not shows(explorer.state(dashboard)["message"]), "message there before the change"
    if action in ("End", "Home", "PageUp", "PageDown"):
        change = explorer.press_key(dashboard, param, action, wait_for="message", message=shows)
    else:
        change = explorer.type_readout(dashboard, param, action, wait_for="message", message=shows)
    # The message may arrive before the numbers: wait until they agree with compute().
    state = explorer.wait_numbers(dashboard, message=shows)
    explorer.screenshot(f"{_test_name(request)}-extreme", dashboard)

    assert_clear_message(
        state["message"], f"{dashboard} {param} = {change.value}", allow_empty=False
    )
    assert_numbers_match(explorer, dashboard, state["numbers"])
    assert_no_problems(explorer, f"at {dashboard} {param} = {change.value}")

    # Back to the previous value: that message goes away and the numbers are right again.
    text = format_number(previous)
    restored = explorer.type_readout(
        dashboard, param, text, wait_for="numbers", message=lambda m: not shows(m)
    )
    explorer.screenshot(f"{_test_name(request)}-restored", dashboard)
    assert_clear_message(restored.after["message"], f"{dashboard} back at {param} = {text}")
    assert_numbers_match(explorer, dashboard, restored.after["numbers"])
    assert_no_problems(explorer, f"after restoring {dashboard} {param}")


def test_case_tables_match_factories():
    """Every (dashboard, param) in the tables exists in the factories the page is built from.
    (Needs no browser: runs on a laptop without Chromium, too.)"""
    for dashboard, param, *_ in SLIDER_CASES + EXTREME_CASES:
        assert dashboard in DASHBOARD_FACTORIES, f"add {dashboard} to DASHBOARD_FACTORIES"
        sliders = reference_dashboard(NOTEBOOK, dashboard).sliders
        assert param in sliders, f"{dashboard} has no slider {param!r} (it has {sorted(sliders)})"

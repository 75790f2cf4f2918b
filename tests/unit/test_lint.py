"""ruff: one tool for lint and format, with a relaxed profile for the notebooks (pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _ruff(*args):
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_lint_is_clean():
    res = _ruff("check", ".")
    assert res.returncode == 0, res.stdout + res.stderr


def test_code_is_formatted():
    res = _ruff("format", "--check", "analogkit", "tests", "benchmarks", "tools")
    assert res.returncode == 0, res.stdout + res.stderr

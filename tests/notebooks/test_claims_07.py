"""Every number-bearing claim in notebook 07's prose against the executed notebook's output."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NB = Path(__file__).resolve().parents[2] / "notebooks" / "07_pipelines.ipynb"


@pytest.fixture(scope="module")
def out() -> str:
    nb = nbformat.read(NB, as_version=4)
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            parts.append(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def _table(out):
    rows = re.findall(
        r"^\s+(\d) \|\s+([\d.]+)\s+([\d.]+) \| ([\d.]+)\s+([\d.]+) \|\s+([\d.]+) ([\d.]+) \|"
        r"\s+([\d.]+)$",
        out,
        re.M,
    )
    assert len(rows) == 5
    return {int(r[0]): [float(x) for x in r[1:]] for r in rows}


def test_schedule_claims(out):
    # "Both tables take 12 cycles"; F4 at cycle 7 and B4 at cycle 12 in stage 1
    assert "   12 |   B4    |         |        " in out
    assert out.count("   12 |   B4") == 2
    assert "    7 |   F4    |" in out
    assert re.search(r"^\s+8 \|\s+B2\s+\|", out, re.M) and re.search(
        r"^\s+10 \|\s+B3\s+\|", out, re.M
    )
    assert "sync idle fraction 0.3333" in out


def test_speedup_limit_claim(out):
    assert "at S = 4, M = 4: 7/4" in out


def test_staleness_claims(out):
    t = _table(out)
    means = [t[d][0] for d in t]
    assert min(means) == 0.2403 and max(means) == 0.2410
    assert all(t[d][1] == 0.2412 for d in t)
    assert all(0 <= t[d][1] - t[d][0] <= 0.001 for d in t)  # "up to 0.001 below the model"
    assert round(t[0][2], 4) == 0.0038 and round(t[4][2], 4) == 0.0055
    assert all(abs(t[d][2] - t[d][3]) < 0.02 * t[d][3] for d in t)  # "within 2 %"
    assert all(t[d][4] > t[d - 1][4] for d in range(1, 5))  # the floor rises with the delay
    assert all(abs(t[d][6] - 0.3) < 0.01 for d in t)  # Tiki-Taka within 0.01 of w*
    assert all(abs(0.3 - t[d][0] - 0.06) < 0.002 for d in t)  # Analog SGD 0.06 off
    assert "[2.0, 1.0, 0.618, 0.445, 0.3473]" in out  # the limit falls from 2 to 0.347
    assert 0.5 > 0.3473  # lr L = 0.5 is beyond the d = 4 limit


def test_figure_claims(out):
    speed = dict(
        ((a, int(s)), float(v))
        for a, s, v in re.findall(r"^(Analog SGD|Tiki-Taka)\s+S = (\d): .*= ([\d.]+) \(", out, re.M)
    )
    assert speed[("Analog SGD", 4)] == 5.60
    refs = {2: 1.5, 4: 1.75, 8: 1.875}
    for (algo, S), v in speed.items():
        if (algo, S) != ("Tiki-Taka", 8):
            assert v > refs[S], (algo, S)
    assert speed[("Tiki-Taka", 8)] == 0.54
    assert min(speed, key=speed.get) == ("Tiki-Taka", 8)


def test_one_stage_and_by_hand_claims(out):
    assert out.count("equals tiki_taka: True True") == 2
    hand = re.search(r"by hand    : \[(.*)\]", out).group(1)
    piped = re.search(r"ak.pipeline: \[(.*)\]", out).group(1)
    assert hand == piped
    w = [float(x) for x in hand.split()]
    # "stage 1 has overshot to 1.5, the last stage approaches w* = 1 from below"
    assert w[0] == 1.5 and 0.9 < w[-1] < 1

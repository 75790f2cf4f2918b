"""Notebook 02's prose against its printed numbers: each claim that quotes a number or an order."""

from __future__ import annotations

import re

import pytest

from tests.notebooks._claims import after_equals, line_with, numbers, printed, prose

NB = "02_analog_sgd.ipynb"


def test_every_start_reaches_the_same_loss_floor():
    """§5 right panel: 'every start reaches the same loss floor, about 3·10⁻⁵'."""
    line = line_with(printed(NB, "w0/tau:   "), "w0/tau:")
    floors = [float(x) for x in re.findall(r": (\S+e-\d\d)", line)]  # "start: floor" pairs
    assert len(floors) == 5
    assert all(2.85e-5 <= f <= 3.15e-5 for f in floors), floors
    assert max(floors) / min(floors) < 1.1
    assert r"about $3\cdot10^{-5}$" in prose(NB)
    assert "factor 3" not in prose(NB)


def test_tau_floor_meets_digital_sgd_by_tau_20():
    line = line_with(printed(NB, "w0/tau:   "), "tau:")
    values = numbers(line)
    by_tau = dict(zip(values[0:12:2], values[1:12:2], strict=True))
    digital = values[-1]
    assert abs(by_tau[20] - digital) / digital < 0.02
    assert list(by_tau.values()) == sorted(by_tau.values(), reverse=True)  # falls with tau
    assert by_tau[2] > 1.5 * digital


def test_fig1_digital_falls_twentyfold_analog_only_to_its_floor():
    """§5: 'Cutting α 20-fold cuts digital SGD's error about 20-fold ... Analog SGD's error falls
    only until it reaches the floor (a factor 2.6 here), and the last halving of α gains less
    than 10 %.'"""
    text = printed(NB, "digital error ratio lr_max/lr_min")
    digital_ratio, analog_ratio = numbers(line_with(text, "lr 0.2 -> 0.01"))[2:]
    assert 15 < digital_ratio < 30
    assert analog_ratio == 2.6
    analog = {lr: numbers(line_with(text, f"{lr:.2f} "))[2] for lr in (0.02, 0.01)}
    assert analog[0.02] / analog[0.01] - 1 < 0.10
    assert "a factor 2.6 here" in prose(NB)


def test_digital_loss_floor_is_lr_s2_over_4_and_analog_sits_at_the_fixed_point():
    """§3: digital SGD's loss floor is ≈ α s²/4 (s = 0.3); Analog SGD's mean weight does not move
    with lr and sits at the fixed point printed below the table."""
    text = printed(NB, "digital mean w")
    w_bar = numbers(line_with(text, "fixed point"))[0]
    for lr in (0.01, 0.04):
        row = numbers(line_with(text, f"{lr:.2f} "))
        _, _, analog_w, se, _, digital_loss, _ = row
        assert digital_loss == pytest.approx(lr * 0.3**2 / 4, rel=0.1)
        assert abs(analog_w - w_bar) <= max(3 * se, 2e-4)


def test_penalty_gap_leading_order_and_its_limit():
    """§4: the last row, −ρ²/π, is the leading order; the s → 0 column reaches −8.54 % at ρ = 0.5."""
    text = printed(NB, "relative gap of the shifts")
    assert numbers(line_with(text, "0.001"))[1] == -8.54
    assert numbers(line_with(text, "-rho²/pi"))[-2] == -7.96
    assert r"$-8.54\,\%$ at $\rho = 0.5$" in prose(NB)


def test_implicit_penalty_figure_ordering():
    """§4 picture: the simulated weight sits on the fixed point, a little below argmin f_Σ; the
    printed eq. (60) lies beyond w* = 0.5 and runs away as the noise grows."""
    text = printed(NB, "fig_penalty.rows")
    rows = [numbers(ln) for ln in text.splitlines()[1:] if ln.strip()]
    assert len(rows) == 6
    for _, simulated, fixed, argmin, eq60 in rows:
        assert abs(simulated - fixed) <= 3e-4
        assert simulated < argmin < simulated + 0.01
        assert eq60 > 0.5
    assert [r[4] for r in rows] == sorted(r[4] for r in rows)


def test_upper_bound_terms_along_the_run():
    """§6: S_K is less than a fifth of S(W_max); σ²S_K = 0.017 lies above the simulated average at
    K = 10⁴ (0.012) by less than a factor 1.5, and 4σ²S_K = 0.068 is more than five times it."""
    text = printed(NB, "Thm. 2 on the 1-D quadratic")
    S_K, S_max, s2S_K, four_s2S_K = after_equals(line_with(text, "S_K (K = 10000)"))[1:]
    simulated = numbers(line_with(text, "10000 "))[2]
    assert S_K < S_max / 5
    assert round(s2S_K, 3) == 0.017 and round(simulated, 3) == 0.012
    assert simulated < s2S_K < 1.5 * simulated
    assert round(four_s2S_K, 3) == 0.068 and four_s2S_K > 5 * simulated
    for line in text.splitlines():
        if line.strip()[:1].isdigit() and len(numbers(line)) == 4:
            _, _, sim, bound = numbers(line)
            assert sim <= bound

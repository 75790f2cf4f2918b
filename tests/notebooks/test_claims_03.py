"""Notebook 03's prose against its printed numbers: each claim that quotes a number or an order."""

from __future__ import annotations

from tests.notebooks._claims import after_equals, line_with, numbers, printed, prose

NB = "03_lower_bound.ipynb"


def test_monte_carlo_ratios_tend_to_one():
    """§8 and the summary: 'the Monte Carlo ratio tends to 1 (1.13, 1.06, 1.03)'; §7: the O(lr)
    prediction agrees with the simulation to within about 0.5 %."""
    text = printed(NB, "ratio to sigma^2 S_K")
    ratios, predicted = [], []
    for lr in ("0.010", "0.005", "0.002"):
        row = numbers(line_with(text, lr))
        ratios.append(row[3])
        predicted.append(row[5])
    assert [round(r, 2) for r in ratios] == [1.13, 1.06, 1.03]
    assert ratios == sorted(ratios, reverse=True)
    assert all(abs(p / r - 1) <= 0.006 for p, r in zip(predicted, ratios, strict=True))
    assert "(1.13, 1.06, 1.03" in prose(NB)


def test_printed_constant_is_four_times_the_derived_floor():
    text = printed(NB, "lower_bound_floor_printed(sigma, w_bar, tau)")
    derived = after_equals(line_with(text, "derived floor"))[0]
    printed_4 = after_equals(line_with(text, "printed 4 sigma^2 S"))[0]
    assert abs(printed_4 / derived - 4) < 1e-3


def test_lemma_2_worst_case_stays_inside_half_tau():
    largest, half_tau = after_equals(printed(NB, "largest = max(largest"))[-2:]
    assert largest <= half_tau == 0.5


def test_error_floor_figure_sits_on_the_corrected_floor():
    """§9: the simulated floors sit on σ²S + O(α), not on σ²S itself: at τ = 3 about 1.5 times it."""
    text = printed(NB, "for row in result.rows")
    rows = {ln[:17].strip(): numbers(ln)[-2:] for ln in text.splitlines()[1:] if ln.strip()}
    assert all(0.95 <= corrected <= 1.05 for corrected, _ in rows.values()), rows
    assert round(rows["sigma=0.1, tau=3"][1], 1) == 1.5
    assert "about 1.5 times it" in prose(NB)


def test_exercise_03_2_dashboard_reading():
    """03.2's note: at sigma = 0.05 the derived floor is just below 1e-4."""
    row = numbers(line_with(printed(NB, "upper, W_max = tau/2"), "0.05"))
    assert 0.9e-4 < row[2] < 1e-4

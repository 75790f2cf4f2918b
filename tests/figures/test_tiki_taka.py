"""Tiki-Taka and residual learning figures: the summary numbers sit where theory says."""

from __future__ import annotations


def test_tiki_taka_beats_analog_sgd_on_least_squares(rows):
    assert rows["tiki_taka_least_squares"]["Analog SGD / Tiki-Taka (0.002) error"].value > 2


def test_shifted_fast_array_hurts_and_zero_shifting_restores(rows):
    # paper 2 Fig. 2: a shifted fast-array symmetric point hurts; zero-shifting restores
    rl = {quantity: row.value for quantity, row in rows["residual_asymmetry"].items()}
    assert rl["c=0.3: residual learning final error"] > 3 * rl["c=0: residual learning final error"]
    assert (
        rl["c=0.3: residual learning + zero-shift final error"]
        < 1.2 * rl["c=0: residual learning final error"]
    )
    assert rl["c=0: residual learning final error"] < 0.5 * rl["c=0: Analog SGD final error"]


def test_gamma_above_zero_lowers_the_error(rows):
    # paper 2 Fig. 5: gamma = 0 -> 0.1 lowers the error
    assert rows["gamma_effect"]["error(gamma=0) / error(gamma=0.1)"].value > 1.3

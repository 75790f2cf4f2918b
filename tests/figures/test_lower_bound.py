"""The error-floor figure: the simulated floor on paper 1's lower-bound instance."""

from __future__ import annotations


def test_simulated_floor_sits_on_the_corrected_derived_floor(quick_data):
    # the simulated floor over the O(lr)-corrected derived floor sigma^2 S.
    # 200 trials x 600 correlated steps: relative SE of the mean ||grad f||^2 ~ 3 %; 4 SE margin
    # below, and the time-average bias of the transient (< 2 %) above.
    rows = quick_data["error_floor"].rows
    assert len(rows) == 7  # 4 values of tau and 3 of sigma; sigma = 0.1, tau = 1 is on both
    for name, row in rows.items():
        assert 0.85 < row.value / row.reference < 1.1, name

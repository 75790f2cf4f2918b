"""The implicit-penalty figure: where Analog SGD settles (paper 2 Thm 1)."""

from __future__ import annotations


def test_simulated_mean_weight_sits_at_the_mean_field_fixed_point(rows):
    # simulated mean weight at the O(lr) mean-field fixed point. Stationary std
    # sqrt(lr sigma^2 / 2) <= 0.07, ~1200 effective samples: SE <= 0.002; tolerance 0.008 (4 SE).
    r = rows["implicit_penalty"]
    assert r
    for quantity, row in r.items():
        assert abs(row.value - row.reference) < 0.008, quantity

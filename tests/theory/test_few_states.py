"""Few states: the rounding derivation, the single-tile floor against seeded pulse simulations, and
the multi-tile residual argument."""

import numpy as np
import pytest
import sympy as sp
from scipy import integrate, stats

import analogkit as ak

th = ak.theory


def test_rounding_and_tile_derivations_hold():
    d = th.rounding_derivation()
    assert all(step.holds() for step in d.steps)
    t = th.residual_derivation_tiles()
    by_name = {x.name: x for r in t.results.values() for x in r.free_symbols}
    g, E1, E2 = by_name["gamma"], by_name["E1"], by_name["E2"]
    assert sp.simplify(t["residual_2"] + g * E1) == 0  # one more tile: E -> gamma E
    assert sp.simplify(t["residual_3"] + g**2 * E2) == 0


def test_rounding_variance_matches_a_simulation():
    u = np.array([0.0, 0.3, 1.0, 2.75, 10.5])
    rng = np.random.default_rng(0)
    n = np.floor(u + rng.random((200_000, u.size)))
    np.testing.assert_allclose(n.mean(axis=0), u, atol=4 * 0.5 / np.sqrt(200_000))
    np.testing.assert_allclose(n.var(axis=0), th.rounding_variance(u), atol=0.004)


def _simulated_loss(n_states, lr, trials=3000, seed=1):
    dev = ak.LinearDevice(1.0)
    prob = ak.Quadratic(L=1.0, w_star=0.3, noise=ak.GaussianNoise(0.3))
    tr = ak.quietly(
        ak.analog_sgd,
        prob,
        dev,
        lr,
        pulse=ak.PulseConfig.for_states(dev, n_states),
        steps=int(60 / lr),
        trials=trials,
        rng=np.random.default_rng(seed),
        record_every=10,
    )
    per = tr.tail_mean("loss", 0.5, per_trial=True)
    return per.mean(), per.std(ddof=1) / np.sqrt(per.size)


@pytest.mark.slow
@pytest.mark.parametrize("n_states, lr", [(40, 0.1), (40, 0.03), (200, 0.1), (200, 0.03)])
def test_single_tile_floor_with_quantisation_matches_simulation(n_states, lr):
    """Where a pulse is small next to the range (>= 40 states), the first-order model's loss is
    within 4 SE plus 5 % (its first-order error in lr and dw_min) of the simulation."""
    sim, se = _simulated_loss(n_states, lr)
    fl = th.few_states_floor(1.0, 0.3, 1.0, 0.3, lr, n_states)
    assert abs(sim - fl.loss) < 4 * se + 0.05 * fl.loss
    # without the quantisation term the model misses at 40 states
    if n_states == 40:
        assert sim - 0.5 * (fl.mse - fl.var_quantisation) > 10 * se


@pytest.mark.slow
def test_the_first_order_model_fails_with_very_few_states():
    """At 4 states one pulse moves the weight by a quarter of the range: the linearised model
    gives half the simulated loss (recorded, so that a change is seen)."""
    sim, se = _simulated_loss(4, 0.03, trials=2000)
    fl = th.few_states_floor(1.0, 0.3, 1.0, 0.3, 0.03, 4)
    assert 1.7 < sim / fl.loss < 2.4


def test_the_quantisation_term_does_not_vanish_as_lr_goes_to_0():
    """lr -> 0: var_q -> dw_min E[|g| q_s(w0)^2] / (2 h'(w0)), computed here by quadrature."""
    L, w_star, tau, s, n_states = 1.0, 0.3, 1.0, 0.3, 40
    dw = 2 * tau / n_states
    w0 = th.asgd_fixed_point(L, w_star, tau, s)
    m = L * (w0 - w_star)
    q_up, q_down = 1 - w0 / tau, 1 + w0 / tau
    pdf = stats.norm(m, s).pdf
    e = q_down**2 * integrate.quad(lambda g: g * pdf(g), 0, np.inf)[0]
    e += q_up**2 * integrate.quad(lambda g: -g * pdf(g), -np.inf, 0)[0]
    fnm = th.folded_normal_mean(m, s)
    dh = L + fnm / tau + (w0 / tau) * L * (1 - 2 * stats.norm.cdf(-m / s))  # d/dw of h
    limit = dw * e / (2 * dh)
    small = th.few_states_floor(L, w_star, tau, s, 1e-4, n_states).var_quantisation
    assert small == pytest.approx(limit, rel=1e-3)
    for lr in (0.003, 0.03):
        assert th.few_states_floor(L, w_star, tau, s, lr, n_states).var_quantisation > 0.5 * limit


def test_corollary_1_scaling():
    assert th.corollary_1_floor(0.5, 1, 0.1, 0.2) == pytest.approx(0.02 ** (2 / 3))
    ratio = th.corollary_1_floor(0.3, 4, 0.1, 0.2) / th.corollary_1_floor(0.3, 1, 0.1, 0.2)
    assert ratio == pytest.approx(0.3**2)


def test_few_states_inputs_are_checked():
    with pytest.raises(ValueError, match="n_states"):
        th.few_states_floor(1.0, 0.3, 1.0, 0.3, 0.1, 1)
    with pytest.raises(TypeError, match="n_states"):
        th.few_states_floor(1.0, 0.3, 1.0, 0.3, 0.1, 4.5)
    with pytest.raises(ValueError, match="u"):
        th.rounding_variance(-1.0)

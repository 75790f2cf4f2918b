"""analogkit.theory: sympy derivations, their numeric forms, and theory against simulation.

Statistical tests are seeded. Their standard errors (SE) come from per-trial time averages over
the tail of a run (trials are independent, so SE = std over trials / sqrt(trials)); each
tolerance is stated next to its assertion.
"""

import numpy as np
import pytest
import scipy.stats
import sympy as sp

import analogkit as ak
from analogkit import theory as th

S = th.sym


def _se(x, axis=0):
    """Standard error of the mean over independent trials (axis 0)."""
    return np.std(x, axis=axis, ddof=1) / np.sqrt(np.shape(x)[axis])


# ============================================================================================
# sympy: every derivation step simplifies to zero
# ============================================================================================


@pytest.mark.parametrize("family", th.FAMILIES)
def test_response_derivation_steps(family):
    for step in th.response_decomposition(family).derivation.steps:
        assert step.simplified == 0, step.name


@pytest.mark.parametrize("family", th.FAMILIES)
def test_F_G_identities_and_symmetric_point(family):
    r = th.response_decomposition(family)
    w = S.w
    assert sp.simplify(r.F - (r.q_minus + r.q_plus) / 2) == 0
    assert sp.simplify(r.G - (r.q_minus - r.q_plus) / 2) == 0
    assert sp.simplify(r.q_plus - (r.F - r.G)) == 0
    assert sp.simplify(r.q_minus - (r.F + r.G)) == 0
    G_sp = r.G.subs(w, r.symmetric_point)
    if family == "power":
        # c in (-1, 1) <-> r > 0 with c = (1 - r^gamma)/(1 + r^gamma): lets sympy see the signs
        rr = sp.Symbol("r", positive=True)
        G_sp = G_sp.subs(S.asymmetry, (1 - rr**S.gamma) / (1 + rr**S.gamma))
        G_sp = sp.powsimp(sp.expand_power_base(sp.simplify(G_sp)))
    assert sp.simplify(G_sp) == 0


def test_closed_form_symmetric_points():
    c, tau, gam = S.asymmetry, S.tau, S.gamma
    assert sp.simplify(th.response_decomposition("linear").symmetric_point - c * tau) == 0
    r = ((1 - c) / (1 + c)) ** (1 / gam)
    assert (
        sp.simplify(th.response_decomposition("power").symmetric_point - tau * (1 - r) / (1 + r))
        == 0
    )
    assert sp.simplify(th.response_decomposition("exponential").symmetric_point.subs(c, 0)) == 0
    # the power family with gamma = 1 is the linear family
    assert (
        sp.simplify(
            th.response_decomposition("power").q_plus.subs(gam, 1)
            - th.response_decomposition("linear").q_plus
        )
        == 0
    )


@pytest.mark.parametrize("family", [None, *th.FAMILIES])
def test_compact_update_equals_piecewise(family):
    u = th.analog_update(family)
    for step in u.derivation.steps:
        assert step.simplified == 0, step.name
    d = sp.Symbol("d", positive=True)
    for dw in (d, -d):  # dw > 0 and dw < 0
        assert sp.simplify(u.compact.subs(S.dw, dw) - u.piecewise.subs(S.dw, dw)) == 0


@pytest.mark.parametrize(
    "derivation",
    [
        th.folded_normal_derivation,
        lambda: th.asgd_drift("linear"),
        lambda: th.implicit_penalty().derivation,
        th.lower_bound_derivation,
        th.residual_derivation,
    ],
    ids=["folded_normal", "asgd_drift", "implicit_penalty", "lower_bound", "residual"],
)
def test_derivation_steps(derivation):
    d = derivation()
    assert len(d.steps) >= 3
    for step in d.steps:
        assert step.simplified == 0, f"{d.name}: {step.name}"


def test_lower_bound_constant_is_one_not_four():
    # independent of the module's steps: redo the drift balance of paper 1's instance here
    sigma, D, g, p = S.sigma, S.D, S.g, S.p
    q = 1 - p
    a = sigma / sp.sqrt(D) * sp.sqrt(q) / sp.sqrt(p)
    b = sigma / sp.sqrt(D) * sp.sqrt(p) / sp.sqrt(q)
    rho = 1 - 2 * p  # w/tau
    e_abs = p * (g + a) + q * (b - g)  # valid for -a <= g <= b
    (g_stat,) = sp.solve(g + rho * e_abs, g)
    S_rho = rho**2 / (1 - rho**2)
    assert sp.simplify(D * g_stat**2 - sigma**2 * S_rho) == 0
    assert sp.simplify(4 * sigma**2 * S_rho / (D * g_stat**2)) == 4  # the printed constant is 4x


def test_eq60_signs():
    pen = th.implicit_penalty()
    L, ws, tau, c, Sigma = S.L, S.w_star, S.tau, S.asymmetry, S.Sigma
    # ALD: the exact minimiser, eq. (43), and eq. (60) with Sigma -> -Sigma
    assert sp.simplify(pen.eq43.subs(c, 0) - L * tau * ws / (L * tau + Sigma)) == 0
    assert sp.simplify(pen.eq60_printed.subs(c, 0) - L * tau * ws / (L * tau - Sigma)) == 0
    assert sp.simplify(pen.eq60_printed - pen.eq43.subs(Sigma, -Sigma)) == 0
    assert sp.simplify(sp.diff(pen.f_Sigma.subs(c, 0), S.w).subs(S.w, pen.minimiser_ald)) == 0


# ============================================================================================
# numeric forms equal the sympy expressions; properties of the numeric functions
# ============================================================================================


def _random_device_inputs(rng, n=40):
    return {
        "w": rng.uniform(-0.95, 0.95, n),
        "tau": rng.uniform(0.5, 3.0, n),
        "c": rng.uniform(-0.6, 0.6, n),
        "gamma": rng.uniform(0.3, 3.0, n),
    }


@pytest.mark.parametrize("family", ["linear", "power", "exponential"])
def test_response_matches_devices(family):
    rng = np.random.default_rng(10)
    x = _random_device_inputs(rng)
    r = th.response_decomposition(family)
    w = x["w"] * x["tau"]
    if family == "linear":
        dev = ak.LinearDevice(tau=x["tau"], asymmetry=x["c"])
    elif family == "power":
        dev = ak.PowerDevice(tau=x["tau"], gamma=x["gamma"], asymmetry=x["c"])
    else:
        dev = ak.ExponentialDevice(tau=x["tau"], gamma=x["gamma"], asymmetry=x["c"])
    args = (S.w, *r.parameters)
    vals = (
        w,
        *[{S.tau: x["tau"], S.gamma: x["gamma"], S.asymmetry: x["c"]}[p] for p in r.parameters],
    )
    for name in ("q_plus", "q_minus", "F", "G"):
        f = sp.lambdify(args, getattr(r, name), "numpy")
        np.testing.assert_allclose(
            f(*vals), getattr(dev, name)(w), rtol=1e-10, atol=1e-12, err_msg=name
        )
    sp_num = sp.lambdify(r.parameters, r.symmetric_point, "numpy")(*vals[1:])
    # the exponential family's closed form equals devices.py's bisection
    np.testing.assert_allclose(sp_num, dev.symmetric_point, rtol=1e-9, atol=1e-12)


def test_soft_bounds_matches_device_both_branches():
    rng = np.random.default_rng(11)
    n = 30
    w_min, w_max = -rng.uniform(0.5, 2, n), rng.uniform(0.5, 2, n)
    u = rng.uniform(0, 0.8, n)
    r = th.response_decomposition("soft bounds")
    w = rng.uniform(w_min, w_max)
    dev = ak.SoftBoundsDevice(w_min=w_min, w_max=w_max, up_down=u)
    for name in ("q_plus", "q_minus", "F", "G"):
        f = sp.lambdify((S.w, *r.parameters), getattr(r, name), "numpy")
        np.testing.assert_allclose(
            f(w, w_min, w_max, u), getattr(dev, name)(w), rtol=1e-12, err_msg=name
        )
    f_sp = sp.lambdify(r.parameters, r.symmetric_point, "numpy")
    np.testing.assert_allclose(f_sp(w_min, w_max, u), dev.symmetric_point, rtol=1e-12)
    # up_down < 0 (s_up = 1 + up_down, s_down = 1): the same formula in s_up, s_down holds
    dev_neg = ak.SoftBoundsDevice(w_min=w_min, w_max=w_max, up_down=-u)
    s_up, s_down = 1 - u, 1.0
    np.testing.assert_allclose(
        (s_up - s_down) / (s_up / w_max - s_down / w_min), dev_neg.symmetric_point, rtol=1e-12
    )
    np.testing.assert_allclose(dev_neg.G(dev_neg.symmetric_point), 0, atol=1e-12)


def test_compact_update_matches_device_update():
    rng = np.random.default_rng(12)
    u = th.analog_update("linear")
    f = sp.lambdify((S.w, S.dw, S.tau, S.asymmetry), u.compact, "numpy")
    tau, c = rng.uniform(0.5, 3, 50), rng.uniform(-0.5, 0.5, 50)
    w, dw = rng.uniform(-0.9, 0.9, 50) * tau, rng.normal(0, 0.1, 50)
    np.testing.assert_allclose(
        f(w, dw, tau, c), ak.LinearDevice(tau, c).update(w, dw), rtol=1e-13, atol=1e-15
    )


def test_folded_normal_mean():
    rng = np.random.default_rng(13)
    m, s = rng.normal(0, 2, 60), rng.uniform(0.01, 3, 60)
    got = th.folded_normal_mean(m, s)
    ref = scipy.stats.foldnorm(np.abs(m) / s, scale=s).mean()
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    expr = th.folded_normal_mean_expr()
    for mi, si, gi in zip(m[:5], s[:5], got[:5], strict=True):
        assert abs(float(expr.subs({S.m: mi, S.s: si})) - gi) < 1e-12
    np.testing.assert_array_equal(th.folded_normal_mean(m, 0.0), np.abs(m))
    assert th.folded_normal_mean(0.0, 1.0) == pytest.approx(np.sqrt(2 / np.pi), rel=1e-14)
    # E[X|X|], used for the variance of the analog increment, by quadrature
    xax = sp.lambdify((S.m, S.s), th.folded_normal_derivation()["x_abs_x"], ["scipy", "numpy"])
    for mi, si in [(0.3, 0.5), (-1.2, 0.7)]:
        quad = scipy.stats.norm(mi, si).expect(lambda x: x * abs(x))
        assert xax(mi, si) == pytest.approx(quad, rel=1e-8)


def test_asgd_fixed_point_solves_the_sympy_drift():
    rng = np.random.default_rng(14)
    n = 25
    L, ws, tau = rng.uniform(0.5, 3, n), rng.uniform(-0.8, 0.8, n), rng.uniform(0.8, 4, n)
    s, c = rng.uniform(0.01, 1, n), rng.uniform(-0.4, 0.4, n)
    ws = ws * tau
    w = th.asgd_fixed_point(L, ws, tau, s, c)
    h = th.asgd_drift()["h"]
    for i in range(5):
        val = h.subs(
            {S.w: w[i], S.L: L[i], S.w_star: ws[i], S.s: s[i], S.tau: tau[i], S.asymmetry: c[i]}
        )
        assert abs(float(val)) < 1e-12
    # between w* and the symmetric point c*tau
    assert np.all((w - ws) * (w - c * tau) <= 1e-15)
    # noiseless: no floor (paper 1 Theorem 9); broadcasting over a grid, shape kept
    np.testing.assert_allclose(th.asgd_fixed_point(L, ws, tau, 0.0, c), ws)
    assert np.shape(th.asgd_fixed_point([1.0, 2.0], 0.5, [[1.0], [3.0]], 0.3)) == (2, 2)
    # the lr-dependence only enters the stationary moments, as O(lr)
    m1 = th.asgd_stationary_moments(1.0, 0.5, 1.0, 0.3, 1e-3)
    m2 = th.asgd_stationary_moments(1.0, 0.5, 1.0, 0.3, 2e-3)
    assert m1.fixed_point == m2.fixed_point
    assert (m2.mean - m2.fixed_point) / (m1.mean - m1.fixed_point) == pytest.approx(2.0, rel=0.01)


def test_implicit_penalty_minimiser_and_eq43_eq60():
    pen = th.implicit_penalty()
    rng = np.random.default_rng(15)
    for _ in range(5):
        L, ws, tau, s, c = (
            rng.uniform(0.5, 2),
            rng.uniform(-0.7, 0.7),
            rng.uniform(1, 3),
            rng.uniform(0.05, 0.5),
            rng.uniform(-0.4, 0.4),
        )
        Sig = s * np.sqrt(2 / np.pi)
        subs = {S.L: L, S.w_star: ws, S.tau: tau, S.asymmetry: c, S.Sigma: Sig}
        w = th.implicit_penalty_minimiser(L, ws, tau, s, c)
        assert float(pen.minimiser_roots[0].subs(subs)) == pytest.approx(w, abs=1e-12)
        assert float(pen.grad_f_Sigma.subs(subs).subs(S.w, w)) == pytest.approx(0, abs=1e-12)
        assert th.penalty_point_eq43(L, ws, tau, s, c) == pytest.approx(
            float(pen.eq43.subs(subs)), rel=1e-12
        )
        # eq. (43) lies between w* and w⋄; eq. (60) as printed lies beyond w* (away from w⋄)
        wd = c * tau
        e43, e60 = (
            th.penalty_point_eq43(L, ws, tau, s, c),
            th.penalty_point_eq60_printed(L, ws, tau, s, c),
        )
        assert (e43 - ws) * (e43 - wd) < 0
        assert abs(e60 - wd) > abs(ws - wd)
    # ALD: exact minimiser = eq. (43) = L tau w*/(L tau + Sigma)
    Sig = 0.3 * np.sqrt(2 / np.pi)
    assert th.implicit_penalty_minimiser(1.0, 0.5, 1.0, 0.3) == pytest.approx(
        0.5 / (1 + Sig), rel=1e-12
    )
    assert th.penalty_point_eq43(1.0, 0.5, 1.0, 0.3) == pytest.approx(0.5 / (1 + Sig), rel=1e-12)
    assert th.penalty_point_eq60_printed(1.0, 0.5, 1.0, 0.3) == pytest.approx(
        0.5 / (1 - Sig), rel=1e-12
    )


def test_implicit_penalty_vs_fixed_point_at_small_noise():
    # the absolute gap vanishes with the noise ...
    s = np.array([0.1, 0.01, 0.001])
    fp = th.asgd_fixed_point(1.0, 0.5, 1.0, s)
    pm = th.implicit_penalty_minimiser(1.0, 0.5, 1.0, s)
    gap = np.abs(pm - fp)
    assert np.all(np.diff(gap) < 0) and gap[-1] < 5e-5
    assert gap[1] / gap[2] == pytest.approx(10, rel=0.05)  # O(s)
    # ... the relative gap of the shifts tends to sqrt(2/pi)/E|x + N(0,1)| - 1,
    # where x = -rho E|x + N(0,1)|
    rho = 0.5
    x = -rho * np.sqrt(2 / np.pi)
    for _ in range(200):
        x = -rho * th.folded_normal_mean(x, 1.0)
    limit = np.sqrt(2 / np.pi) / th.folded_normal_mean(x, 1.0) - 1
    rel = (pm[-1] - 0.5) / (fp[-1] - 0.5) - 1
    assert rel == pytest.approx(limit, rel=0.02)
    assert abs(limit) == pytest.approx(rho**2 / np.pi, rel=0.15)
    # ... and it is small when w*/tau is small (paper 2 Theorem 5's regime)
    assert (
        abs(
            th.implicit_penalty_minimiser(1, 0.05, 1, 0.3) / th.asgd_fixed_point(1, 0.05, 1, 0.3)
            - 1
        )
        < 2e-3
    )


def test_lower_bound_numeric_forms():
    d = th.lower_bound_derivation()
    rng = np.random.default_rng(16)
    sigma, tau = rng.uniform(0.01, 1, 10), rng.uniform(0.5, 3, 10)
    w = rng.uniform(-0.9, 0.9, 10) * tau
    f = th.lower_bound_floor(sigma, w, tau, dim=3)
    for i in range(4):
        assert float(
            d["floor"].subs({S.w: w[i], S.sigma: sigma[i], S.tau: tau[i]})
        ) == pytest.approx(f[i], rel=1e-12)
    np.testing.assert_allclose(th.lower_bound_floor_printed(sigma, w, tau), 4 * f, rtol=1e-14)
    np.testing.assert_allclose(f, sigma**2 * th.saturation(w, tau), rtol=1e-14)
    # the stationary weight solves L (w - w*) = per-coordinate stationary gradient
    for D in (1, 4):
        ws = np.array([0.2, -0.2, 0.05])
        wst = th.lower_bound_stationary_w(0.1, ws, 1.0, L=1.5, dim=D)
        g = d["g_stationary"]
        for wi, wsi in zip(wst, ws, strict=True):
            gi = float(g.subs({S.w: wi, S.sigma: 0.1, S.tau: 1.0, S.D: D}))
            assert 1.5 * (wi - wsi) == pytest.approx(gi, abs=1e-13)
        assert np.all(np.abs(wst) < np.abs(ws))


def test_upper_bound():
    K = np.logspace(2, 8, 7)
    ub = th.asgd_upper_bound(K, 1.0, 0.1, 2.0, 0.5, 1.0)
    expr = 4 * sp.sqrt(S.f_gap * S.sigma**2 * S.L / S.K) / (
        1 - S.w**2 / S.tau**2
    ) + 4 * S.sigma**2 * (S.w**2 / S.tau**2) / (1 - S.w**2 / S.tau**2)
    ref = sp.lambdify(
        S.K, expr.subs({S.f_gap: 1.0, S.sigma: 0.1, S.L: 2.0, S.w: 0.5, S.tau: 1.0}), "numpy"
    )(K)
    np.testing.assert_allclose(ub, ref, rtol=1e-13)
    assert np.all(np.diff(ub) < 0)
    asym = th.asgd_asymptotic_bound(0.1, 0.5, 1.0)
    assert asym == pytest.approx(4 * 0.01 / 3, rel=1e-13)
    assert ub[-1] == pytest.approx(asym, rel=0.05)
    # the asymptotic bound is 4x the stationary floor of the lower-bound instance
    assert asym == pytest.approx(4 * th.lower_bound_floor(0.1, 0.5, 1.0), rel=1e-13)


def test_tiki_taka_pmax():
    c = np.sqrt(2 / np.pi)
    r = th.tiki_taka_pmax(L=1.0, tau=1.0, dim=10, sigma=1.0)
    assert r.pmax**2 == pytest.approx(41 * 10 / c**2, rel=1e-13)
    assert r.ratio == pytest.approx(33 * 41 * 10 / c**2, rel=1e-13)
    assert r.satisfied is False
    edge = th.tiki_taka_pmax(L=1.0, tau=1.0, dim=10, sigma=r.sigma_min)
    assert edge.ratio == pytest.approx(1.0, rel=1e-12)
    assert th.tiki_taka_pmax(L=1.0, tau=1.0, dim=10, sigma=1.01 * r.sigma_min).satisfied is True
    assert r.sigma_min / np.sqrt(10) == pytest.approx(np.sqrt(1353) / c, rel=1e-12)  # ~46 L tau
    arr = th.tiki_taka_pmax(L=1.0, tau=np.array([0.01, 1.0]), dim=1, sigma=1.0)
    np.testing.assert_array_equal(arr.satisfied, [True, False])


def test_residual_gradient_formula():
    c = np.array([0.0, 0.1, 0.3, -0.3])
    g = th.residual_fixed_point_gradient(3.5, c, 0.3)
    cond = th.residual_derivation()["g_c"]
    for gi, ci in zip(g, c, strict=True):
        assert float(cond.subs({S.g: gi, S.asymmetry: ci, S.s: 0.3})) == pytest.approx(0, abs=1e-13)
    np.testing.assert_allclose(g, c * th.folded_normal_mean(g, 0.3), atol=1e-14)
    # small c: c s sqrt(2/pi) (1 + O(c^2)); independent of tau; zero-shift -> 0
    assert g[1] == pytest.approx(0.1 * 0.3 * np.sqrt(2 / np.pi), rel=0.01)
    np.testing.assert_allclose(th.residual_fixed_point_gradient(0.7, c, 0.3), g, rtol=1e-13)
    np.testing.assert_array_equal(
        th.residual_fixed_point_gradient(3.5, c, 0.3, zero_shift=True), 0.0
    )
    # the joint fixed point tends to the leading order as lr -> 0 (P's spread ~ sqrt(lr))
    fp = th.residual_fixed_point(1.0, 0.5, 3.5, 0.3, 0.3, 0.4, np.array([1e-2, 1e-4, 1e-6]))
    err = np.abs(np.asarray(fp.grad_w) - g[2])
    assert err[2] < 1e-4 and err[1] / err[2] == pytest.approx(10, rel=0.1)  # O(sqrt(lr))


# ============================================================================================
# theory vs simulation
# ============================================================================================

NOISE = 0.3


def _asgd_run(tau, L, lr, rng, trials=2000):
    """Analog SGD on w* = (+0.5, -0.5) (both signs at once); per-trial tail means of W."""
    ws = np.array([0.5, -0.5])
    prob = ak.Quadratic(L=L, w_star=ws, dim=2, noise=ak.GaussianNoise(NOISE))
    burn, avg = int(12 / (lr * L)), int(20 / (lr * L))  # the slowest relaxation rate is >= lr L
    tr = ak.analog_sgd(
        prob,
        ak.LinearDevice(tau),
        lr,
        steps=burn + avg,
        trials=trials,
        rng=rng,
        record_every=max(1, int(0.5 / (lr * L))),
        record_weights=True,
    )
    per_trial = tr.tail_mean("weights", avg / (burn + avg), per_trial=True)
    return ws, per_trial.mean(0), _se(per_trial)


@pytest.mark.parametrize("tau", [1.0, 3.0])
@pytest.mark.parametrize("L", [1.0, 2.0])
def test_asgd_fixed_point_vs_simulation(tau, L):
    lr = 0.01
    ws, mean, se = _asgd_run(tau, L, lr, np.random.default_rng(100 + int(10 * tau + L)))
    mom = th.asgd_stationary_moments(L, ws, tau, NOISE, lr)
    fp, bias = np.asarray(mom.fixed_point), np.abs(np.asarray(mom.mean) - mom.fixed_point)
    # the effect is real: the fixed point sits far from w* (> 50 SE here, 0.02-0.1 in w)
    assert np.all(np.abs(fp - ws) > 50 * se)
    # 4 SE (SE ~ 1e-4) plus the O(lr) mean-field bias (estimated by asgd_stationary_moments)
    assert np.all(np.abs(mean - fp) <= 4 * se + bias), (mean, fp, se, bias)
    # the O(lr)-corrected mean agrees within 4 SE alone
    assert np.all(np.abs(mean - np.asarray(mom.mean)) <= 4 * se), (mean, mom.mean, se)


def test_asgd_fixed_point_independent_of_lr():
    tau, L = 1.0, 1.0
    rng = np.random.default_rng(7)
    results = {lr: _asgd_run(tau, L, lr, rng, trials=1000) for lr in (0.003, 0.03)}
    fp = th.asgd_fixed_point(L, np.array([0.5, -0.5]), tau, NOISE)
    for lr, (_, mean, se) in results.items():
        bias = np.abs(
            np.asarray(th.asgd_stationary_moments(L, np.array([0.5, -0.5]), tau, NOISE, lr).mean)
            - fp
        )
        assert np.all(np.abs(mean - fp) <= 4 * se + bias), (lr, mean, fp, se, bias)
    # a tenfold change of lr moves the stationary mean by less than 4 combined SE + both biases
    (_, m1, se1), (_, m2, se2) = results[0.003], results[0.03]
    assert np.all(np.abs(m1 - m2) <= 4 * np.hypot(se1, se2) + 1e-3)
    # whereas the shift from w* itself is 0.1
    assert np.all(np.abs(fp - np.array([0.5, -0.5])) > 0.09)


def test_lower_bound_floor_vs_simulation():
    # paper 1's instance: D = 1, L = 1, tau = 1, sigma = 0.1, w* = 0.2, W_0 = W*, small lr
    sigma, tau, ws, L, lr = 0.1, 1.0, 0.2, 1.0, 0.005
    prob = ak.Quadratic(L=L, w_star=ws, dim=1, noise=ak.LowerBoundNoise(sigma, tau))
    burn, avg = int(8 / (lr * 1.1)), int(20 / (lr * 1.1))  # relaxation rate ~ 1.1 lr
    tr = ak.analog_sgd(
        prob,
        ak.LinearDevice(tau),
        lr,
        steps=burn + avg,
        trials=2000,
        rng=np.random.default_rng(8),
        w0=ws,
        record_every=100,
        record_weights=True,
    )
    sl = tr.tail_slice(avg / (burn + avg))
    gn2 = tr.grad_norm2[sl].mean(0)  # per trial
    w_inf = np.max(np.abs(tr.weights[sl]), axis=2)
    S_K = (w_inf**2 / tau**2) / (1 - w_inf**2 / tau**2)  # along the trial's own trajectory
    ratio = gn2.mean() / (sigma**2 * S_K.mean())
    ratio_se = _se(gn2) / (sigma**2 * S_K.mean())
    w0 = th.lower_bound_stationary_w(sigma, ws, tau, L)
    floor = th.lower_bound_floor(sigma, w0, tau)
    mom = th.lower_bound_stationary_moments(sigma, ws, tau, lr, L)
    lr_term = mom.grad_norm2 / floor - 1  # the O(lr) part, ~0.07 at lr = 0.005
    # ||grad f||^2 = 1 x sigma^2 S_K (+ O(lr)): within 4 SE of the ratio plus the O(lr) term
    assert abs(ratio - 1) <= 4 * ratio_se + lr_term, (ratio, ratio_se, lr_term)
    # ... and not the printed 4 sigma^2 S_K
    assert ratio / 4 < 0.3
    # the O(lr)-corrected prediction: 4 SE plus 10% of the O(lr) term for the O(lr^2) rest
    assert abs(gn2.mean() - mom.grad_norm2) <= 4 * _se(gn2) + 0.1 * (mom.grad_norm2 - floor)
    # the stationary weight: 4 SE plus the O(lr) shift of the mean
    w_tail = tr.weights[sl, :, 0].mean(0)
    assert abs(w_tail.mean() - w0) <= 4 * _se(w_tail) + abs(mom.mean - w0)


def _tail_means(tr, frac):
    return tr.tail_mean("weights", frac, per_trial=True), tr.tail_mean("fast", frac, per_trial=True)


@pytest.mark.parametrize("zero_shift", [False, True])
def test_residual_learning_gradient_vs_simulation(zero_shift):
    # f = 1/2 (w - 0.5)^2, tau = 3.5, s = 0.3, gamma = 0.4, c in {0, 0.1, 0.3}
    # (one coordinate per c); transfer_lr << lr kappa^2 / L ~ 0.011 keeps W slow
    tau, ws, L, gamma, lr, tlr = 3.5, 0.5, 1.0, 0.4, 0.05, 0.002
    c = np.array([0.0, 0.1, 0.3])
    prob = ak.Quadratic(L=L, w_star=ws, dim=3, noise=ak.GaussianNoise(NOISE))
    burn, avg = 1500, 2500
    tr = ak.tiki_taka(
        prob,
        ak.LinearDevice(tau=tau, asymmetry=c),
        lr,
        tlr,
        gamma,
        zero_shift=zero_shift,
        steps=burn + avg,
        trials=1000,
        rng=np.random.default_rng(9 + zero_shift),
        w0=ws,
        record_every=10,
        record_weights=True,
    )
    frac = avg / (burn + avg)
    W, P = _tail_means(tr, frac)
    g_mixed, g_w = L * (W + gamma * P - ws), L * (W - ws)
    fp = th.residual_fixed_point(L, ws, tau, c, NOISE, gamma, lr, zero_shift=zero_shift)
    lead = th.residual_fixed_point_gradient(tau, c, NOISE, zero_shift=zero_shift)
    se_m, se_w = _se(g_mixed), _se(g_w)  # ~1.8e-4
    # the joint mean-field fixed point, within 4 SE
    assert np.all(np.abs(g_mixed.mean(0) - fp.grad_mixed) <= 4 * se_m), (
        g_mixed.mean(0),
        fp.grad_mixed,
        se_m,
    )
    assert np.all(np.abs(g_w.mean(0) - fp.grad_w) <= 4 * se_w), (g_w.mean(0), fp.grad_w, se_w)
    # the lr -> 0 formula g = c E|g + eps| (0 with zero-shift): 4 SE plus its finite-lr correction
    corr = np.abs(np.asarray(fp.grad_mixed) - lead)
    assert np.all(np.abs(g_mixed.mean(0) - lead) <= 4 * se_m + corr)
    # E|P| != 0 at the joint fixed point: within 3% (its SE is < 0.5%)
    abs_p = np.abs(tr.fast[tr.tail_slice(frac)]).mean((0, 1))
    np.testing.assert_allclose(abs_p, fp.p_abs_mean, rtol=0.03)
    if zero_shift:
        assert np.all(np.abs(g_mixed.mean(0)) < 2e-3)  # O(sqrt(lr)) only
    else:
        assert g_mixed.mean(0)[2] > 0.07 and g_mixed.mean(0)[1] > 0.022  # the c E|g+eps| floor


def test_tiki_taka_bias_depends_on_fast_lr_not_transfer_lr():
    # paper 1's Tiki-Taka (gamma = 0, ALD): bias O(sqrt(lr)), independent of transfer_lr
    tau, L, ws = 1.0, 1.0, np.array([0.5, -0.5])
    prob = ak.Quadratic(L=L, w_star=ws, dim=2, noise=ak.GaussianNoise(NOISE))
    rng = np.random.default_rng(11)
    sims = {}
    for lr, tlr, burn, avg in [
        (0.1, 0.002, 1500, 2500),
        (0.1, 0.0005, 2000, 2500),
        (0.025, 0.0005, 2500, 3500),
    ]:
        tr = ak.tiki_taka(
            prob,
            ak.LinearDevice(tau),
            lr,
            tlr,
            0.0,
            steps=burn + avg,
            trials=500,
            rng=rng,
            w0=ws,
            record_every=10,
            record_weights=True,
        )
        W = tr.tail_mean("weights", avg / (burn + avg), per_trial=True)
        g = L * (W - ws)
        sims[(lr, tlr)] = (g.mean(0), _se(g))
        pred = th.tiki_taka_fixed_point(L, ws, tau, NOISE, lr).grad_w
        # 4 SE (~2.5e-4) plus 3% of the predicted bias (O(lr) rest of the mean field)
        assert np.all(np.abs(g.mean(0) - pred) <= 4 * _se(g) + 0.03 * np.abs(pred)), (
            lr,
            tlr,
            g.mean(0),
            pred,
        )
    # transfer_lr 4x smaller: same bias within 4 combined SE
    (a, sa), (b, sb) = sims[(0.1, 0.002)], sims[(0.1, 0.0005)]
    assert np.all(np.abs(a - b) <= 4 * np.hypot(sa, sb))
    # fast lr 4x smaller: bias halves (sqrt(lr)), well below Analog SGD's shift (0.1)
    c_, sc = sims[(0.025, 0.0005)]
    assert np.all(np.abs(b / c_ - 2.0) < 0.25)
    assert np.all(np.abs(a) < 0.2 * np.abs(th.asgd_fixed_point(L, ws, tau, NOISE) - ws))


# ============================================================================================
# bad input
# ============================================================================================

BAD = [
    (lambda: th.response_decomposition("quadratic"), ValueError, "family"),
    (lambda: th.response_decomposition(3), TypeError, "family"),
    (lambda: th.analog_update("nope"), ValueError, "family"),
    (lambda: th.asgd_drift("power"), ValueError, "family"),
    (lambda: th.folded_normal_mean(0.0, -1.0), ValueError, "s must lie"),
    (lambda: th.folded_normal_mean("a", 1.0), TypeError, "m must be"),
    (lambda: th.folded_normal_mean(np.nan, 1.0), ValueError, "m must be finite"),
    (lambda: th.folded_normal_mean([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, "broadcast"),
    (lambda: th.asgd_fixed_point(0.0, 0.5, 1.0, 0.3), ValueError, "L must lie"),
    (lambda: th.asgd_fixed_point(1.0, 0.5, -1.0, 0.3), ValueError, "tau must lie"),
    (lambda: th.asgd_fixed_point(1.0, 0.5, 1.0, -0.3), ValueError, "noise_std must lie"),
    (
        lambda: th.asgd_fixed_point(1.0, 0.5, 1.0, 0.3, asymmetry=1.0),
        ValueError,
        "asymmetry must lie",
    ),
    (lambda: th.asgd_fixed_point(1.0, [0.1, 0.2], [1.0, 2.0, 3.0], 0.3), ValueError, "broadcast"),
    (lambda: th.asgd_fixed_point(True, 0.5, 1.0, 0.3), TypeError, "L must be"),
    (lambda: th.asgd_stationary_moments(1.0, 0.5, 1.0, 0.3, lr=0.0), ValueError, "lr must lie"),
    (lambda: th.asgd_stationary_moments(1.0, 0.5, 1.0, 0.3, lr=5.0), ValueError, "lr must lie"),
    (lambda: th.implicit_penalty_minimiser(1.0, 0.5, 0.0, 0.3), ValueError, "tau must lie"),
    (lambda: th.penalty_point_eq43(1.0, np.inf, 1.0, 0.3), ValueError, "w_star must be finite"),
    (lambda: th.lower_bound_floor(0.1, 1.0, 1.0), ValueError, r"w must lie in \(-tau, tau\)"),
    (lambda: th.lower_bound_floor(-0.1, 0.5, 1.0), ValueError, "sigma must lie"),
    (lambda: th.lower_bound_floor(0.1, 0.5, 1.0, dim=0), ValueError, "dim must be"),
    (lambda: th.lower_bound_floor(0.1, 0.5, 1.0, dim=1.5), TypeError, "dim must be"),
    (lambda: th.lower_bound_stationary_w(0.1, 2.0, 1.0), ValueError, "w_star must lie"),
    (lambda: th.lower_bound_stationary_moments(0.1, 0.2, 1.0, lr=-1.0), ValueError, "lr must lie"),
    (lambda: th.saturation(0.5, 0.0), ValueError, "tau must lie"),
    (lambda: th.asgd_upper_bound(0, 1.0, 0.1, 1.0, 0.5, 1.0), ValueError, "K must lie"),
    (lambda: th.asgd_upper_bound(10, 1.0, 0.1, 1.0, 1.0, 1.0), ValueError, "w_max must lie"),
    (lambda: th.asgd_upper_bound(10, 1.0, 0.1, 1.0, -0.1, 1.0), ValueError, "w_max must lie"),
    (lambda: th.asgd_asymptotic_bound(0.1, 2.0, 1.0), ValueError, "w_max must lie"),
    (lambda: th.tiki_taka_pmax(1.0, 1.0, 0, 1.0), ValueError, "dim must be"),
    (lambda: th.tiki_taka_pmax(1.0, 1.0, 1, 0.0), ValueError, "sigma must lie"),
    (lambda: th.tiki_taka_pmax(1.0, 1.0, 1, 1.0, c=1.5), ValueError, "c must lie"),
    (lambda: th.residual_fixed_point_gradient(3.5, -1.0, 0.3), ValueError, "asymmetry must lie"),
    (
        lambda: th.residual_fixed_point_gradient(3.5, 0.1, 0.3, zero_shift="yes"),
        TypeError,
        "zero_shift",
    ),
    (lambda: th.residual_fixed_point_gradient(0.0, 0.1, 0.3), ValueError, "tau must lie"),
    (
        lambda: th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.3, 0.4, -0.1),
        ValueError,
        "lr must lie",
    ),
    (
        lambda: th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.3, -0.4, 0.1),
        ValueError,
        "gamma must lie",
    ),
    (
        lambda: th.residual_fixed_point(1.0, 4.0, 3.5, 0.1, 0.3, 0.4, 0.1),
        ValueError,
        "w_star must lie",
    ),
    (
        lambda: th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.0, 0.4, 0.1),
        ValueError,
        "noise_std must lie",
    ),
    (
        lambda: th.tiki_taka_fixed_point(1.0, 0.5, 1.0, 0.3, 0.1, asymmetry=2.0),
        ValueError,
        "asymmetry must lie",
    ),
]


@pytest.mark.parametrize("call, exc, match", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_inputs_raise(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_theory_imports_nothing_but_sympy_numpy_scipy_and_validate():
    import ast
    import pathlib

    mods = set()
    for path in pathlib.Path(th.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                mods |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                mods.add(node.module)
    allowed_roots = {
        "__future__",
        "functools",
        "types",
        "warnings",
        "dataclasses",
        "numpy",
        "sympy",
    }
    own = {m for m in mods if m.startswith("analogkit")}
    assert {m for m in own if not m.startswith("analogkit.theory")} <= {"analogkit._validate"}
    assert {m.split(".")[0] for m in mods if not m.startswith("analogkit")} <= allowed_roots

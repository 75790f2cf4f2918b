"""analogkit.theory.response: F, G and the symmetric points in sympy, against analogkit.devices."""

import numpy as np
import pytest
import sympy as sp

import analogkit as ak
from analogkit import theory as th

S = th.sym


def test_families_are_the_devices_families():
    assert th.FAMILIES == tuple(ak.devices.FAMILIES)


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
    # the closed forms (the exponential one too) equal devices.py's
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

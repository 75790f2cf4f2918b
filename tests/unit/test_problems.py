"""Tests of analogkit.problems: shapes, gradients, optima and the three noise models.

Statistical checks use a fixed seed; every tolerance is a stated multiple of the Monte Carlo
standard error (SE) of the estimate it bounds.
"""

import numpy as np
import pytest

import analogkit as ak


@pytest.fixture
def rng():
    return np.random.default_rng(20240618)


def _problems(rng):
    return [
        ak.Quadratic(L=1.0, w_star=0.5),
        ak.Quadratic(L=[1.0, 2.0, 0.5], w_star=[0.1, -0.2, 0.3]),
        ak.Quadratic(L=2.0, w_star=0.0, dim=4, noise=ak.GaussianNoise(0.1)),
        ak.LeastSquares.random(rng, dim=6, rows=15),
        ak.LeastSquares(rng.standard_normal((9, 4)), rng.standard_normal(9)),  # inconsistent b
    ]


def test_shapes(rng):
    for prob in _problems(rng):
        W = rng.standard_normal((7, prob.dim))
        assert prob.loss(W).shape == (7,)
        assert prob.excess_loss(W).shape == (7,)
        assert prob.grad(W).shape == (7, prob.dim)
        assert prob.stochastic_grad(W, rng).shape == (7, prob.dim)
        assert prob.w_star.shape == (prob.dim,)
        assert isinstance(prob.f_star, float)
        assert prob.smoothness > 0


def test_dim_inferred_from_parameters():
    assert ak.Quadratic().dim == 1
    assert ak.Quadratic(w_star=[0.0, 1.0, 2.0]).dim == 3
    assert ak.Quadratic(L=[1.0, 2.0]).w_star.shape == (2,)
    assert ak.Quadratic(w_star=0.5, dim=5).w_star.tolist() == [0.5] * 5


def test_grad_matches_central_differences(rng):
    # f is quadratic, so central differences are exact up to rounding (~1e-16 |f| / h)
    h = 1e-5
    for prob in _problems(rng):
        W = rng.standard_normal((3, prob.dim))
        fd = np.empty_like(W)
        for d in range(prob.dim):
            e = np.zeros(prob.dim)
            e[d] = h
            fd[:, d] = (prob.loss(W + e) - prob.loss(W - e)) / (2 * h)
        np.testing.assert_allclose(prob.grad(W), fd, rtol=1e-6, atol=1e-8)


def test_quadratic_per_coordinate_curvature():
    prob = ak.Quadratic(L=[1.0, 4.0], w_star=[0.5, -0.5])
    W = np.array([[1.0, 0.0]])
    np.testing.assert_allclose(prob.grad(W), [[0.5, 2.0]])
    np.testing.assert_allclose(prob.loss(W), [0.5 * 0.25 + 2.0 * 0.25])
    assert prob.smoothness == 4.0
    assert prob.f_star == 0.0
    np.testing.assert_array_equal(prob.loss(prob.w_star[None]), [0.0])


def test_least_squares_random_matches_paper_generator():
    # A ~ N(0, a_std^2), then W* ~ N(0, w_star_std^2), b = A W*, drawn in that order
    prob = ak.LeastSquares.random(np.random.default_rng(5), dim=8, rows=20, w_star_std=0.45)
    r = np.random.default_rng(5)
    A = r.standard_normal((20, 8)) / np.sqrt(20)
    w_true = 0.45 * r.standard_normal(8)
    np.testing.assert_allclose(prob.A, A, rtol=1e-15)
    np.testing.assert_allclose(prob.w_star, w_true, atol=1e-12)
    assert prob.f_star < 1e-25
    np.testing.assert_allclose(prob.smoothness, np.linalg.eigvalsh(A.T @ A)[-1])
    # default a_std = 1/sqrt(rows): f equals the authors' MSELoss/2 over rows with N(0,1) entries
    W = np.random.default_rng(6).standard_normal((3, 8))
    A1 = A * np.sqrt(20)
    mse_half = 0.5 * np.mean((W @ A1.T - A1 @ w_true) ** 2, axis=1)
    np.testing.assert_allclose(prob.loss(W), mse_half, rtol=1e-12)


def test_least_squares_inconsistent_optimum(rng):
    A, b = rng.standard_normal((12, 3)), rng.standard_normal(12)
    prob = ak.LeastSquares(A, b)
    np.testing.assert_allclose(prob.grad(prob.w_star[None]), 0.0, atol=1e-12)
    np.testing.assert_allclose(prob.f_star, prob.loss(prob.w_star[None])[0], rtol=1e-12)
    assert prob.f_star > 0.1
    W = rng.standard_normal((50, 3))
    assert np.all(prob.loss(W) >= prob.f_star)
    np.testing.assert_allclose(prob.excess_loss(W), prob.loss(W) - prob.f_star, rtol=1e-10)


def test_noiseless_stochastic_grad_is_exact(rng):
    prob = ak.LeastSquares.random(rng, dim=4, rows=10)
    W = rng.standard_normal((5, 4))
    np.testing.assert_array_equal(prob.stochastic_grad(W, rng), prob.grad(W))


def test_gaussian_noise_moments(rng):
    std, n_trials, dim = 0.3, 5000, 40
    prob = ak.Quadratic(L=1.0, w_star=0.0, dim=dim, noise=ak.GaussianNoise(std))
    W = np.zeros((n_trials, dim))
    eps = prob.stochastic_grad(W, rng) - prob.grad(W)
    n = eps.size
    # SE of the sample mean: std/sqrt(n); SE of the sample variance of a Gaussian: std^2 sqrt(2/n)
    assert abs(eps.mean()) < 4 * std / np.sqrt(n)
    assert abs(eps.var() - std**2) < 4 * std**2 * np.sqrt(2 / n)
    # coordinates are independent: the mean off-diagonal correlation has SE 1/sqrt(n_trials)
    corr = np.corrcoef(eps[:, :5].T)[np.triu_indices(5, 1)]
    assert np.all(np.abs(corr) < 4 / np.sqrt(n_trials))


def test_gaussian_noise_zero_is_noiseless_and_draws_nothing(rng):
    noise = ak.GaussianNoise(0.0)
    prob = ak.Quadratic(L=1.0, w_star=0.5, dim=3, noise=noise)
    state = rng.bit_generator.state
    W = np.ones((4, 3))
    np.testing.assert_array_equal(prob.stochastic_grad(W, rng), prob.grad(W))
    np.testing.assert_array_equal(noise.sample(prob, W, rng), 0.0)
    assert rng.bit_generator.state == state


@pytest.mark.parametrize("w", [-0.6, 0.0, 0.3, 0.9])
def test_lower_bound_noise_exact_moments(w):
    # the exact two-point distribution of paper 1 App. G.2: mean 0, variance sigma^2/D
    sigma, tau, D = 0.4, 1.0, 5
    noise = ak.LowerBoundNoise(sigma, tau)
    hi, lo, p = noise.values(w, D)
    assert p == pytest.approx(0.5 * (1 - w / tau))
    assert p * hi + (1 - p) * lo == pytest.approx(0.0, abs=1e-15)
    assert p * hi**2 + (1 - p) * lo**2 == pytest.approx(sigma**2 / D, rel=1e-12)
    # paper 1 Lemma 4: E|g + xi| = (2 sigma/sqrt(D)) sqrt(p(1-p)) + (2p - 1) g while lo < -g < hi
    g = 0.5 * min(hi, -lo)
    e_abs = p * abs(g + hi) + (1 - p) * abs(g + lo)
    lemma4 = 2 * sigma / np.sqrt(D) * np.sqrt(p * (1 - p)) + (2 * p - 1) * g
    assert e_abs == pytest.approx(lemma4, rel=1e-12)


def test_lower_bound_noise_empirical_moments(rng):
    sigma, tau, D, w, n = 0.4, 1.0, 5, 0.3, 200_000
    noise = ak.LowerBoundNoise(sigma, tau)
    prob = ak.Quadratic(L=1.0, w_star=w, dim=D, noise=noise)
    W = np.full((n, D), w)
    eps = noise.sample(prob, W, rng)
    # one draw per trial, the same on every coordinate
    np.testing.assert_array_equal(eps, np.repeat(eps[:, :1], D, axis=1))
    x = eps[:, 0]
    hi, lo, p = noise.values(w, D)
    assert set(np.unique(x)) <= {hi, lo}
    # frequency of the positive value: binomial SE sqrt(p(1-p)/n)
    assert abs(np.mean(x == hi) - p) < 4 * np.sqrt(p * (1 - p) / n)
    var = sigma**2 / D
    mu4 = p * hi**4 + (1 - p) * lo**4
    # SE of the mean: sqrt(var/n); SE of the sample variance: sqrt((mu4 - var^2)/n)
    assert abs(x.mean()) < 4 * np.sqrt(var / n)
    assert abs(x.var() - var) < 4 * np.sqrt((mu4 - var**2) / n)


def test_lower_bound_noise_uses_trial_mean_and_is_zero_at_the_bounds(rng):
    noise = ak.LowerBoundNoise(0.1, 1.0)
    prob = ak.Quadratic(L=1.0, w_star=0.0, dim=2, noise=noise)
    np.testing.assert_allclose(noise.probability(np.array([0.0, 0.5])), [0.5, 0.25])
    # at w = +tau, p = 0 and xi = -a sqrt(p/(1-p)) = 0; at w = -tau, p = 1 and xi = +a sqrt(0) = 0
    for w in (1.0, -1.0):
        np.testing.assert_array_equal(noise.sample(prob, np.full((5, 2), w), rng), 0.0)
    # beyond the bounds (a diverging digital run) the noise is that of the nearest bound
    np.testing.assert_array_equal(noise.sample(prob, np.array([[-1.5, -1.5]]), rng), 0.0)
    with pytest.raises(ValueError, match=r"\[-tau, tau\]"):
        noise.probability(1.5)
    # p is taken at the per-trial mean over coordinates (equal on the paper's instance)
    eps = noise.sample(prob, np.array([[-1.5, 0.0]]), rng)
    hi, lo, _ = noise.values(-0.75, 2)
    assert eps[0, 0] in (hi, lo)


def test_lower_bound_run_starting_on_the_bound_does_not_crash():
    prob = ak.Quadratic(L=1.0, w_star=0.2, noise=ak.LowerBoundNoise(0.1, 1.0))
    tr = ak.analog_sgd(
        prob, ak.LinearDevice(1.0), 0.01, steps=10, trials=4, rng=np.random.default_rng(0), w0=1.0
    )
    assert np.all(np.isfinite(tr.loss)) and not tr.any_diverged


def test_sampling_noise_is_unbiased(rng):
    prob = ak.LeastSquares.random(rng, dim=6, rows=25, noise=ak.SamplingNoise(batch=3))
    n = 40_000
    W = np.repeat(rng.standard_normal((1, 6)), n, axis=0)
    g = prob.stochastic_grad(W, rng)
    full = prob.grad(W[:1])[0]
    se = g.std(axis=0) / np.sqrt(n)
    # per coordinate: the mean of n iid mini-batch gradients is within 4.5 SE of the full one
    assert np.all(np.abs(g.mean(axis=0) - full) < 4.5 * se)
    # and the noise is real (a mini-batch of 3 out of 25 rows is far from the full gradient)
    assert np.all(g.std(axis=0) > 0.1 * np.abs(full).max())


def test_sampling_noise_full_batch_without_replacement_limit(rng):
    # with one row the estimate is rows * a_i (a_i . w - b_i) for a row i of A
    prob = ak.LeastSquares.random(rng, dim=3, rows=4, noise=ak.SamplingNoise(batch=1))
    W = rng.standard_normal((200, 3))
    g = prob.stochastic_grad(W, rng)
    A, b = prob.A, prob.b
    per_row = 4 * (W @ A.T - b)[:, :, None] * A[None]  # (trials, rows, dim)
    match = np.isclose(g[:, None, :], per_row, rtol=1e-10, atol=1e-12).all(axis=2)
    assert np.all(match.any(axis=1))


def test_sampling_noise_needs_least_squares(rng):
    with pytest.raises(TypeError, match="LeastSquares"):
        ak.Quadratic(noise=ak.SamplingNoise(2))
    with pytest.raises(TypeError, match="LeastSquares"):
        ak.SamplingNoise(2).sample(ak.Quadratic(), np.zeros((2, 1)), rng)


def test_same_seed_same_numbers():
    a = ak.LeastSquares.random(np.random.default_rng(1), dim=5, rows=7)
    b = ak.LeastSquares.random(np.random.default_rng(1), dim=5, rows=7)
    np.testing.assert_array_equal(a.A, b.A)
    np.testing.assert_array_equal(a.b, b.b)
    prob = ak.Quadratic(L=1.0, w_star=0.2, dim=3, noise=ak.GaussianNoise(0.5))
    W = np.zeros((4, 3))
    g1 = prob.stochastic_grad(W, np.random.default_rng(3))
    g2 = prob.stochastic_grad(W, np.random.default_rng(3))
    np.testing.assert_array_equal(g1, g2)


@pytest.mark.parametrize(
    "make, exc, match",
    [
        (lambda: ak.Quadratic(L=0.0), ValueError, "L"),
        (lambda: ak.Quadratic(L=-1.0), ValueError, "L"),
        (lambda: ak.Quadratic(L=[1.0, 2.0], dim=3), ValueError, "L"),
        (lambda: ak.Quadratic(L=[1.0, 2.0], w_star=[1.0, 2.0, 3.0]), ValueError, "same length"),
        (lambda: ak.Quadratic(w_star=np.nan), ValueError, "w_star"),
        (lambda: ak.Quadratic(dim=0), ValueError, "dim"),
        (lambda: ak.Quadratic(dim=1.5), TypeError, "dim"),
        (lambda: ak.Quadratic(noise="gaussian"), TypeError, "noise"),
        (lambda: ak.GaussianNoise(-0.1), ValueError, "std"),
        (lambda: ak.GaussianNoise(np.nan), ValueError, "std"),
        (lambda: ak.LowerBoundNoise(0.1, 0.0), ValueError, "tau"),
        (lambda: ak.LowerBoundNoise(-0.1, 1.0), ValueError, "sigma"),
        (lambda: ak.SamplingNoise(0), ValueError, "batch"),
        (lambda: ak.SamplingNoise(2.0), TypeError, "batch"),
        (lambda: ak.LeastSquares(np.ones(3), np.ones(3)), ValueError, "A"),
        (lambda: ak.LeastSquares(np.ones((3, 2)), np.ones(4)), ValueError, "b"),
        (lambda: ak.LeastSquares(np.full((3, 2), np.inf), np.ones(3)), ValueError, "A"),
        (lambda: ak.LeastSquares.random(0), TypeError, "rng"),
        (lambda: ak.LeastSquares.random(np.random.default_rng(0), a_std=0.0), ValueError, "a_std"),
    ],
)
def test_bad_construction_raises(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_bad_weights_raise(rng):
    prob = ak.LeastSquares.random(rng, dim=3, rows=5)
    for W in (np.zeros(3), np.zeros((2, 4)), np.zeros((2, 3, 1))):
        with pytest.raises(ValueError, match=r"\(trials, dim\)"):
            prob.grad(W)
    with pytest.raises(ValueError, match="finite"):
        prob.loss(np.full((2, 3), np.nan))
    with pytest.raises(TypeError, match="Generator"):
        prob.stochastic_grad(np.zeros((2, 3)), 0)

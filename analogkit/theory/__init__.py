"""Closed forms of analog training: sympy derivations and their numeric (lambdified) forms.

Every result is derived in sympy (each step is a :class:`Step` whose ``lhs - rhs`` simplifies
to 0; ``Derivation.verify()`` checks them), turned into a vectorised numpy function by
``sympy.lambdify`` once (on first use, then cached; the numeric forms skip the symbolic
verification, which runs where a derivation is asked for), and compared with the simulations of
``analogkit.algorithms`` in ``tests/theory/``. ``docs/theory.md`` has the numbers.

P1 is Wu et al., NeurIPS 2024 (arXiv:2406.12774; equation numbers of arXiv v1); P2 is Wu et al.,
NeurIPS 2025 (arXiv:2502.06309; equation numbers of the NeurIPS camera-ready, which number
differently from arXiv v3: camera-ready (43), (60), (149) are v3 (48), (50), (145)).

One module per topic:

* ``response`` -- F, G and the symmetric point of each device family; the analog update.
* ``folded_normal`` -- E|m + eps| for Gaussian eps, the moment behind every asymmetry effect.
* ``asgd`` -- Analog SGD's mean-field fixed point and stationary moments on a 1-D quadratic.
* ``penalty`` -- P2's implicit penalty and its eqs. (43) and (60).
* ``bounds`` -- P1's lower-bound instance (Theorem 3).
* ``upper_bound`` -- P1's upper bound (Theorem 2): the chain (61)-(65) and its constant.
* ``residual`` -- residual learning's fixed points with a shifted fast array.
* ``tiki_taka`` -- P1 Theorem 4's condition with Assumption 5's constant; paper 1's Tiki-Taka
  (gamma = 0).
* ``pipeline`` -- pipeline schedules and their clock cycles; a stale gradient meets asymmetry
  (``ak.theory.pipeline.cycles_derivation()``, ...; notebook 07).

Symbols are collected in :data:`sym` (names follow ``analogkit.devices``); :func:`check` writes
one checked step in a notebook.
"""

from analogkit.theory import pipeline  # noqa: F401 - ak.theory.pipeline, a module
from analogkit.theory._core import Derivation, Step, check, sym
from analogkit.theory.asgd import (
    StationaryMoments,
    asgd_drift,
    asgd_fixed_point,
    asgd_stationary_moments,
)
from analogkit.theory.bounds import (
    lower_bound_derivation,
    lower_bound_floor,
    lower_bound_floor_printed,
    lower_bound_stationary_moments,
    lower_bound_stationary_w,
    saturation,
)
from analogkit.theory.few_states import (
    FewStatesFloor,
    corollary_1_floor,
    few_states_floor,
    residual_derivation_tiles,
    rounding_derivation,
    rounding_variance,
)
from analogkit.theory.folded_normal import (
    folded_normal_derivation,
    folded_normal_mean,
    folded_normal_mean_expr,
)
from analogkit.theory.penalty import (
    ImplicitPenalty,
    implicit_penalty,
    implicit_penalty_minimiser,
    penalty_point_eq43,
    penalty_point_eq60_printed,
)
from analogkit.theory.residual import (
    ResidualFixedPoint,
    residual_derivation,
    residual_fixed_point,
    residual_fixed_point_gradient,
)
from analogkit.theory.response import (
    FAMILIES,
    AnalogUpdate,
    Response,
    analog_update,
    response_decomposition,
)
from analogkit.theory.tiki_taka import (
    PAPER1_GAUSSIAN_C,
    TikiTakaCondition,
    tiki_taka_derivation,
    tiki_taka_fixed_point,
    tiki_taka_pmax,
)
from analogkit.theory.upper_bound import (
    asgd_asymptotic_bound,
    asgd_asymptotic_bound_printed,
    asgd_upper_bound,
    asgd_upper_bound_printed,
    upper_bound_derivation,
)

__all__ = [
    "sym",
    "Step",
    "Derivation",
    "check",
    "Response",
    "FAMILIES",
    "response_decomposition",
    "AnalogUpdate",
    "analog_update",
    "folded_normal_mean",
    "folded_normal_mean_expr",
    "folded_normal_derivation",
    "StationaryMoments",
    "asgd_drift",
    "asgd_fixed_point",
    "asgd_stationary_moments",
    "ImplicitPenalty",
    "implicit_penalty",
    "implicit_penalty_minimiser",
    "penalty_point_eq43",
    "penalty_point_eq60_printed",
    "lower_bound_derivation",
    "lower_bound_floor",
    "lower_bound_floor_printed",
    "lower_bound_stationary_w",
    "lower_bound_stationary_moments",
    "saturation",
    "upper_bound_derivation",
    "asgd_upper_bound",
    "asgd_upper_bound_printed",
    "asgd_asymptotic_bound",
    "asgd_asymptotic_bound_printed",
    "TikiTakaCondition",
    "tiki_taka_derivation",
    "tiki_taka_pmax",
    "PAPER1_GAUSSIAN_C",
    "residual_derivation",
    "residual_fixed_point_gradient",
    "ResidualFixedPoint",
    "residual_fixed_point",
    "tiki_taka_fixed_point",
    "rounding_derivation",
    "rounding_variance",
    "FewStatesFloor",
    "few_states_floor",
    "residual_derivation_tiles",
    "corollary_1_floor",
]

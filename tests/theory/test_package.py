"""analogkit.theory as a package: every name it had as one module, and what it imports."""

import ast
import pathlib

from analogkit import theory as th

#: analogkit.theory.__all__ when theory was a single module
NAMES = [
    "sym",
    "Step",
    "Derivation",
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
    "asgd_upper_bound",
    "asgd_asymptotic_bound",
    "TikiTakaCondition",
    "tiki_taka_pmax",
    "residual_derivation",
    "residual_fixed_point_gradient",
    "ResidualFixedPoint",
    "residual_fixed_point",
    "tiki_taka_fixed_point",
]

#: the names paper 3 added (analogkit.theory.few_states)
FEW_STATES = [
    "rounding_derivation",
    "rounding_variance",
    "FewStatesFloor",
    "few_states_floor",
    "residual_derivation_tiles",
    "corollary_1_floor",
]


#: public names added since: P1 Theorem 2's chain and printed constant, Theorem 4's conditions
ADDED = [
    "upper_bound_derivation",
    "asgd_upper_bound_printed",
    "asgd_asymptotic_bound_printed",
    "tiki_taka_derivation",
    "PAPER1_GAUSSIAN_C",
]


def test_every_name_of_the_single_module_is_still_public():
    assert [n for n in NAMES + FEW_STATES + ADDED if not hasattr(th, n)] == []
    assert set(NAMES) | set(FEW_STATES) | set(ADDED) | {"check"} == set(th.__all__)


def test_theory_needs_only_sympy_numpy_and_the_standard_library():
    """(Which analogkit modules it may import is tests/test_layering.py's business.)"""
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
    assert {m.split(".")[0] for m in mods if not m.startswith("analogkit")} <= allowed_roots

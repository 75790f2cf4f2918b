"""The figures of ``make figures`` (``python -m analogkit figures``) and ``figures/summary.md``.

One module per topic; each figure is a :class:`FigureSpec` with ``compute(quick)`` (the
simulations and theory: the data to draw and the summary rows) and ``draw(fig, data)``.
``make(name)`` builds one, as notebooks do; ``write(out)`` writes them all, each as a PNG and as
a slide-size SVG (``slide``). ``quick`` means fewer
trials and steps, for tests.
"""

from analogkit.figures._registry import (
    FIGURES,
    SLIDE,
    SLIDE_MIN_FONT,
    FigureData,
    FigureResult,
    FigureSpec,
    Row,
    by_quantity,
    make,
    output_dir,
    register,
    save,
    slide,
    summary_markdown,
    write,
)
from analogkit.figures.asgd import asgd_ablation, asgd_lr_plateau, pulse_vs_expected
from analogkit.figures.few_states import few_states_floor
from analogkit.figures.lower_bound import error_floor
from analogkit.figures.multi_tile import multi_tile_floor, multi_tile_gamma, multi_tile_toy
from analogkit.figures.networks import (
    networks_p1_tau,
    networks_p2_finetune,
    networks_p2_response,
    networks_p3_states,
)
from analogkit.figures.penalty import implicit_penalty
from analogkit.figures.pipeline import pipeline_curves, pipeline_speedup
from analogkit.figures.response import RESPONSE_EXAMPLES, response_functions
from analogkit.figures.tiki_taka import gamma_effect, residual_asymmetry, tiki_taka_least_squares

# in the order they are written, and listed in summary.md
for _spec in (
    response_functions,
    asgd_lr_plateau,
    pulse_vs_expected,
    asgd_ablation,
    error_floor,
    implicit_penalty,
    tiki_taka_least_squares,
    residual_asymmetry,
    gamma_effect,
    few_states_floor,
    multi_tile_floor,
    multi_tile_gamma,
    multi_tile_toy,
    networks_p1_tau,
    networks_p2_response,
    networks_p2_finetune,
    networks_p3_states,
    pipeline_curves,
    pipeline_speedup,
):
    register(_spec)
del _spec

__all__ = [
    "FigureResult",
    "FigureData",
    "FigureSpec",
    "Row",
    "by_quantity",
    "FIGURES",
    "register",
    "make",
    "save",
    "slide",
    "SLIDE",
    "SLIDE_MIN_FONT",
    "write",
    "output_dir",
    "summary_markdown",
    "RESPONSE_EXAMPLES",
    *FIGURES,
]

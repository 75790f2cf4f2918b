"""analogkit: a small numpy package that teaches gradient-based training on analog in-memory hardware.

Devices, pulses and problems feed the training algorithms, which return a Trace; ``theory``
derives closed forms that the tests hold against the simulations; ``plotting``, ``widgets``,
``figures`` and ``exercises`` build on both and load on first use.
"""

from analogkit.algorithms import (
    agad,
    analog_sgd,
    c_ttv2,
    digital_sgd,
    mixed_precision,
    multi_tile,
    pipeline,
    tiki_taka,
    ttv2,
)
from analogkit.devices import (
    FAMILIES,
    Device,
    ExponentialDevice,
    IdealDevice,
    LinearDevice,
    PiecewiseDevice,
    PowerDevice,
    SoftBoundsDevice,
    vary,
)
from analogkit.problems import (
    GaussianNoise,
    LeastSquares,
    LowerBoundNoise,
    Noise,
    Problem,
    Quadratic,
    SamplingNoise,
)
from analogkit.pulses import PulseCapWarning, PulseConfig, pulse_response, pulse_update
from analogkit.trace import DivergenceWarning, RunWarning, SaturationWarning, Trace, quietly

__version__ = "0.1.0"

__all__ = [
    "FAMILIES",
    "Device",
    "ExponentialDevice",
    "IdealDevice",
    "LinearDevice",
    "PiecewiseDevice",
    "PowerDevice",
    "SoftBoundsDevice",
    "vary",
    "PulseConfig",
    "pulse_response",
    "pulse_update",
    "Noise",
    "GaussianNoise",
    "LowerBoundNoise",
    "SamplingNoise",
    "Problem",
    "Quadratic",
    "LeastSquares",
    "Trace",
    "RunWarning",
    "DivergenceWarning",
    "SaturationWarning",
    "PulseCapWarning",
    "quietly",
    "digital_sgd",
    "analog_sgd",
    "tiki_taka",
    "ttv2",
    "multi_tile",
    "mixed_precision",
    "c_ttv2",
    "agad",
    "pipeline",
]

#: submodules loaded on first use (``ak.theory`` imports sympy, ``ak.widgets`` ipywidgets)
_LAZY = {"theory", "widgets", "figures", "plotting", "style", "exercises", "networks"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"analogkit.{name}")
    raise AttributeError(f"module 'analogkit' has no attribute {name!r}")

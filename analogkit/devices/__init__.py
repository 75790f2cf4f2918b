"""Device response functions and the expected analog update they cause.

A resistive device changes its conductance-weight ``w`` by ``+dw_min * q_plus(w)`` for an up pulse and
by ``-dw_min * q_minus(w)`` for a down pulse. For an increment ``dw`` the expected
("analog") update is, element-wise (paper 1 eqs. (6)-(7), paper 2 eqs. (3)-(5))::

    U_q(w, dw) = w + dw * q_plus(w)    if dw >= 0
               = w + dw * q_minus(w)   if dw <  0
               = w + dw * F(w) - |dw| * G(w),   F = (q_minus + q_plus) / 2,  G = (q_minus - q_plus) / 2

``G`` is the asymmetric component; its zero is the *symmetric point* w⋄ towards which noisy updates
drift. Every parameter may be an array (device-to-device variation) that broadcasts against ``w``;
:func:`vary` samples such arrays from a ``numpy.random.Generator``; :data:`FAMILIES` names the
built-in families for the dashboards, figures and tests.
"""

from analogkit.devices.base import Device
from analogkit.devices.families import (
    MAX_GAMMA,
    ExponentialDevice,
    IdealDevice,
    LinearDevice,
    PiecewiseDevice,
    PowerDevice,
    SoftBoundsDevice,
)
from analogkit.devices.registry import FAMILIES, Family
from analogkit.devices.variation import vary

__all__ = [
    "Device",
    "IdealDevice",
    "LinearDevice",
    "SoftBoundsDevice",
    "PowerDevice",
    "ExponentialDevice",
    "PiecewiseDevice",
    "vary",
    "Family",
    "FAMILIES",
    "MAX_GAMMA",
]

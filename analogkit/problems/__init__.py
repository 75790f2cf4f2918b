"""Objectives with a known optimum and the gradient-noise models the papers analyse."""

from analogkit.problems.noise import GaussianNoise, LowerBoundNoise, Noise, SamplingNoise
from analogkit.problems.objectives import LeastSquares, Problem, Quadratic

__all__ = [
    "Noise",
    "GaussianNoise",
    "LowerBoundNoise",
    "SamplingNoise",
    "Problem",
    "Quadratic",
    "LeastSquares",
]

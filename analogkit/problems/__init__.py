"""Objectives the algorithms train: toy problems with a known optimum, the gradient-noise models
the papers analyse, an MLP on scikit-learn's handwritten digits and a deep linear
network on a teacher-student regression."""

from analogkit.problems.deep_linear import DeepLinear
from analogkit.problems.digits import Dataset, load_digits
from analogkit.problems.mlp import MLP
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
    "Dataset",
    "load_digits",
    "MLP",
    "DeepLinear",
]

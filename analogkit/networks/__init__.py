"""Networks on real data (notebook 06): the digits data, an analog MLP, and the papers' tables.

``ak.networks.load_digits(rng)`` gives scikit-learn's handwritten digits split into train and
test; ``ak.networks.MLP(sizes, data, batch=10)`` is the network as a Problem that every algorithm
trains unchanged (its Trace records the test accuracy per record as "test_accuracy");
``digits_mlp()`` is the 64-32-10 network of the tables; ``DeepLinear(width, depth, rng=rng)`` is
a deep linear network on a teacher-student regression (the many-layer network of notebook 07).
``tables(quick)`` computes the four tables of paper 1 Fig. 5, paper 2 Tables 8 and 1 and paper 3
Table 1; ``load_tables()`` reads the copy ``make figures`` stored in figures/networks.json.
"""

from pathlib import Path

from analogkit.networks.setup import (
    BATCH,
    GAINS,
    LR,
    SIZES,
    digits_mlp,
    initial,
    pretrain,
    single_threaded,
    steps_per_epoch,
)
from analogkit.networks.table import Cell, Ordering, Table, markdown, save_tables
from analogkit.networks.table import load_tables as _load
from analogkit.networks.tables import NAMES
from analogkit.networks.tables import compute as tables
from analogkit.problems import MLP, Dataset, DeepLinear, load_digits

#: where ``make figures`` stores the tables (a checkout's figures/ directory)
STORED = Path(__file__).resolve().parents[2] / "figures" / "networks.json"


def load_tables(path=None) -> dict:
    """name -> Table of the four tables as ``make figures`` stored them (no recomputation).

    Args:
        path: the JSON file; default figures/networks.json of this checkout.
    """
    return _load(STORED if path is None else path)


__all__ = [
    "Dataset",
    "load_digits",
    "MLP",
    "DeepLinear",
    "SIZES",
    "GAINS",
    "BATCH",
    "LR",
    "digits_mlp",
    "steps_per_epoch",
    "initial",
    "pretrain",
    "single_threaded",
    "NAMES",
    "tables",
    "load_tables",
    "save_tables",
    "markdown",
    "Table",
    "Cell",
    "Ordering",
]

"""Training algorithms on analog devices, run over many independent trials at once.

Every algorithm is a rule over one or more tiles (:mod:`analogkit.algorithms.tile`), run by the
one training loop (:func:`analogkit.algorithms.loop.train`). Each public function takes a problem
(``analogkit.problems``), learning rates, ``steps``, ``trials`` and a numpy ``Generator``, runs all
trials vectorised (the only Python loop is over time steps) and returns a
:class:`~analogkit.trace.Trace`. The same generator state gives the same numbers.

Paper 1's equation numbers are those of arXiv v1; paper 2's those of the NeurIPS 2025
camera-ready (arXiv v3 numbers its equations differently).

* :func:`digital_sgd` -- W <- W - lr (grad f + eps)                         (paper 1 eq. (2))
* :func:`analog_sgd`  -- W <- U_q(W, -lr (grad f + eps))                     (paper 1 eq. (3)/(7),
                                                                  paper 2 camera-ready eq. (2))
* :func:`tiki_taka`   -- P <- U_q(P, -lr grad f(W + gamma P)), W <- U_q(W, transfer_lr P)
                                                    (paper 2 camera-ready eqs. (10)-(11); paper 1
                                                     §4, TT-P/TT-W)
* :func:`ttv2`        -- as tiki_taka, but P is read into a digital buffer H that fires single
                         pulses onto W when |H| crosses a threshold: paper 2's reading of TTv2
                         (camera-ready App. D) and RLv2 (§5, camera-ready eq. (14)); not
                         aihwkit's ``BufferedTransferCompound`` (see :func:`ttv2`)
* :func:`multi_tile`  -- N + 1 tiles, W = sum_n gamma^n W^(n), gradients onto the last, scheduled
                         transfers down the stack (paper 3 eqs. (4)-(7), Algorithm 1)
* :func:`mixed_precision` -- a digital accumulator fires whole pulses onto one tile (paper 3's MP)
* :func:`c_ttv2`, :func:`agad` -- TTv2 with choppers on P's input and reads; AGAD's reference is a
                         digital running mean of P (R24 eqs. (11)-(13))
* :func:`pipeline`    -- any of them on a network split into pipeline stages, synchronous
                         (GPipe-like) or asynchronous (PipeDream-like, stale weights); counts
                         samples and clock cycles (analogkit's model of paper 4's setting)

Every iteration evaluates the exact gradient at the recorded steps (so the trace can record the
true ||grad f||^2), and the noise drawn by ``problem.noise`` is added *before* any absolute value
is taken: the bias of Analog SGD comes from E|grad f + eps|, not from |E grad f|.
"""

from analogkit.algorithms.chopped import AGAD, ChoppedTTv2, agad, c_ttv2
from analogkit.algorithms.loop import train
from analogkit.algorithms.mixed_precision import MixedPrecision, mixed_precision
from analogkit.algorithms.multi_tile import MultiTile, multi_tile
from analogkit.algorithms.pipeline import Pipelined, pipeline
from analogkit.algorithms.sgd import SGD, analog_sgd, digital_sgd
from analogkit.algorithms.tile import Rule, Tile
from analogkit.algorithms.transfer import TikiTaka, TTv2, tiki_taka, ttv2

__all__ = [
    "digital_sgd",
    "analog_sgd",
    "tiki_taka",
    "ttv2",
    "multi_tile",
    "mixed_precision",
    "c_ttv2",
    "agad",
    "pipeline",
    "Pipelined",
    "train",
    "Tile",
    "Rule",
    "SGD",
    "TikiTaka",
    "TTv2",
    "MultiTile",
    "MixedPrecision",
    "ChoppedTTv2",
    "AGAD",
]

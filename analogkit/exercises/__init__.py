"""The notebooks' exercises: a registry of checkable questions and one :func:`check` function.

Policy (the same in every notebook; README "Notebooks"): the student writes the answer into
``answer`` in the exercise cell (initially ``answer = None``); the next cell calls
``ak.exercises.check("01.1", answer)``, which prints ``✓ correct``, ``✗ not yet: <hint>`` or
``… not answered yet`` and never raises for a wrong or malformed answer. The solution sits in the
cell after it, collapsed, and re-runs the check.

Each checker computes the expected value from analogkit (a device's ``symmetric_point``, its
``q_plus`` ...), never from a number copied from elsewhere. The exercises of notebook NN live in
``nbNN.py``, which starts with ``exercise = notebook(__name__)`` (``_registry.notebook``); adding
one is one call there, whose number k makes the id "NN.k" ("02.1" here, in nb02.py)::

    exercise(1,
        prompt="Final loss of digital SGD on ... ?",
        solution=lambda: ...,                  # computes the right answer with analogkit
        hint="What does the noise floor of SGD scale with?")

``solution`` is also what the tests feed to the checker (it must accept it), and the default
checker compares a numeric answer with it (relative tolerance 0.5 %, so 3 significant digits
pass). Pass ``checker=`` for anything else: :func:`close_to` with another tolerance,
:func:`direction` for up/down answers, :func:`one_of` for a word from a list.
"""

from analogkit.exercises import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07
from analogkit.exercises._checkers import close_to, direction, one_of
from analogkit.exercises._registry import EXERCISES, Exercise, add, check

#: the modules that register the exercises, in notebook order
NOTEBOOKS = (nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07)

# the data of some exercises, under the names the notebooks use
CROSSBAR_00_1 = nb00.CROSSBAR
ASGD_02 = nb02.ASGD
TT_STEP_04_1 = nb04.TT_STEP
MT_STEP_05_2 = nb05.MT_STEP
STEP_06_1 = nb06.STEP

__all__ = ["Exercise", "EXERCISES", "add", "check", "close_to", "direction", "one_of"]

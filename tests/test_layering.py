"""The layer rule: which analogkit modules each part of the package may import.

Every import of an analogkit module anywhere in ``analogkit/`` (at the top of a file or inside a
function) is read with ``ast`` and must be allowed by ``MAY_IMPORT``. A part is a top-level module
(``analogkit/devices.py``) or a subpackage (``analogkit/algorithms/``); imports inside one part are
always allowed. ``"analogkit"`` stands for the package root (``import analogkit as ak``).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analogkit"

_CORE = {"_validate", "devices", "pulses", "problems", "trace", "algorithms"}
_BELOW_LEAVES = _CORE | {"theory", "style", "plotting", "svg", "networks", "analogkit"}

#: part -> the analogkit parts it may import
MAY_IMPORT = {
    "_validate": set(),
    "style": set(),
    "trace": set(),
    "devices": {"_validate"},
    "problems": {"_validate"},
    "theory": {"_validate"},
    "pulses": {"_validate", "devices"},
    "algorithms": {"_validate", "devices", "pulses", "problems", "trace"},
    "networks": _CORE,
    "plotting": {"_validate", "devices", "style", "trace"},
    "svg": {"style"},
    "widgets": _BELOW_LEAVES,
    "figures": _BELOW_LEAVES,
    "exercises": _BELOW_LEAVES,
    "__init__": _CORE,  # the rest load lazily, by name
    "__main__": {"figures"} | _BELOW_LEAVES,
}


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported_parts(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "analogkit":  # from analogkit import devices, ...
                names = [f"analogkit.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "analogkit":
                yield node.lineno, parts[1] if len(parts) > 1 else "analogkit"


FILES = sorted(PACKAGE.rglob("*.py"))


def test_every_part_is_in_the_table():
    assert {_part(p) for p in FILES} == set(MAY_IMPORT)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(PACKAGE)) for p in FILES])
def test_imports_follow_the_layer_rule(path):
    part = _part(path)
    bad = [
        f"line {line}: {part} imports {target}"
        for line, target in _imported_parts(path)
        if target != part and target not in MAY_IMPORT[part]
    ]
    assert not bad, "; ".join(bad)


def test_no_relative_imports():
    """Absolute imports only, so that the table above sees every import."""
    relative = [
        f"{p.relative_to(PACKAGE)}:{n.lineno}"
        for p in FILES
        for n in ast.walk(ast.parse(p.read_text()))
        if isinstance(n, ast.ImportFrom) and n.level > 0
    ]
    assert not relative

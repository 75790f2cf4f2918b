"""The four network tables (quick mode): shapes, the statistics recomputed from the stored
curves, the orderings re-judged from the cells, and the JSON and markdown they are stored as."""

from __future__ import annotations

import numpy as np
import pytest

from analogkit import networks
from analogkit.networks.table import Cell, cell


@pytest.fixture(scope="module")
def tables():
    return dict(zip(networks.NAMES, networks.tables(True)))


def test_four_tables_with_three_seeds_and_their_columns(tables):
    assert list(tables) == ["p1_tau", "p2_response", "p2_finetune", "p3_states"]
    assert tables["p1_tau"].columns == ["τ = 0.15", "τ = 0.3", "τ = 0.6"]
    assert tables["p2_response"].rows == ["power ASGD", "power TT/RL", "exp ASGD", "exp TT/RL"]
    assert tables["p2_finetune"].columns == ["DSGD", "ASGD", "TT/RL", "TTv2", "RLv2"]
    assert tables["p3_states"].columns == ["TT-v1", "TT-v2", "MP", "3 tiles", "4 tiles", "6 tiles"]
    assert tables["p3_states"].rows == ["4 states", "10 states"]
    for t in tables.values():
        assert t.seeds >= 3 and t.quick and t.settings and t.paper and t.orderings
        for row in t.rows:
            for col in t.columns:
                c = t.get(row, col)
                if c is None:
                    continue
                curve = np.asarray(c.curve, dtype=float)
                assert curve.shape == (t.epochs + 1, t.seeds), (t.name, row, col)
                assert np.all((curve >= 0) & (curve <= 100))


def test_mean_and_std_are_those_of_the_final_epoch(tables):
    for t in tables.values():
        for cols in t.cells.values():
            for c in cols.values():
                final = np.asarray(c.curve, dtype=float)[-1]
                assert c.mean == pytest.approx(np.mean(final), abs=1e-3)
                assert c.std == pytest.approx(np.std(final, ddof=1), abs=1e-3)
                # the accuracy of 360 test images: multiples of 100/360
                assert np.allclose(final * 3.6, np.round(final * 3.6), atol=1e-3)


def test_a_diverged_seed_is_left_out_and_counted():
    c = cell([[10.0, 20.0, 30.0], [50.0, np.nan, 70.0]])
    assert (c.mean, c.std, c.diverged) == (60.0, pytest.approx(np.std([50, 70], ddof=1)), 1)
    assert c.curve[1][1] is None


def test_orderings_agree_with_the_cells(tables):
    a = tables["p1_tau"]
    improves = next(o for o in a.orderings if o.claim == "A SGD improves as τ grows")
    means = [a.mean("A SGD", c) for c in a.columns]
    assert improves.holds == (means[0] < means[1] < means[2])
    d = tables["p3_states"]
    best = next(o for o in d.orderings if o.claim == "MP best")
    assert best.holds == all(
        d.mean(r, "MP") > d.mean(r, c) for r in d.rows for c in d.columns if c != "MP"
    )
    for t in tables.values():
        assert all(o.claim and o.detail for o in t.orderings)


def test_json_round_trip_and_markdown(tables, tmp_path):
    path = tmp_path / "networks.json"
    networks.save_tables(tables.values(), path)
    loaded = networks.load_tables(path)
    assert loaded == tables
    assert isinstance(loaded["p1_tau"].get("A SGD", "τ = 0.3"), Cell)
    text = networks.markdown(tables.values())
    for t in tables.values():
        assert f"## {t.title}" in text and t.settings in text
        assert "| D SGD |" in text or t.name != "p1_tau"
    assert text.count("**The paper.**") == 4
    with pytest.raises(FileNotFoundError, match="python -m analogkit networks"):
        networks.load_tables(tmp_path / "missing.json")


def test_the_stored_tables_are_the_full_runs():
    stored = networks.load_tables()
    assert list(stored) == list(networks.NAMES)
    for t in stored.values():
        assert not t.quick and t.seeds >= 3 and t.epochs >= 5
        for o in t.orderings:
            assert o.holds or o.reason, (t.name, o.claim)  # every miss says why

"""The figure registry and `python -m analogkit figures`: every figure written with its summary
rows, compute() and draw() apart, byte-identical reruns, names checked."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from analogkit import figures
from analogkit.figures import FigureData, FigureSpec, Row
from tests.figures.conftest import cli


def test_every_figure_is_written_with_summary_rows(quick_run):
    summary = (quick_run / "summary.md").read_text()
    for name in figures.FIGURES:
        png = quick_run / f"{name}.png"
        assert png.exists() and png.stat().st_size > 10_000, name
        assert png.stat().st_size < 600_000, f"{name}.png is too large for slides and the README"
        assert f"| {name} | " in summary, f"no summary row for {name}"


def test_every_figure_is_also_a_slide_size_svg_with_readable_text(quick_run):
    import re

    for name in figures.FIGURES:
        svg = (quick_run / f"{name}.svg").read_text()
        width, height = (
            float(x) for x in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
        )
        assert (width / 72, height / 72) == pytest.approx(figures.SLIDE, abs=0.01), name
        assert "<dc:date>" not in svg, name  # deterministic: no date
        sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg)]
        # text is at least SLIDE_MIN_FONT; mathtext draws sub- and superscripts at 0.7 of it
        assert sizes and min(sizes) >= 0.7 * figures.SLIDE_MIN_FONT, (name, min(sizes))
        assert sorted(sizes)[len(sizes) // 2] >= figures.SLIDE_MIN_FONT, name
        assert len(svg) < 2_000_000, name


def test_the_cli_writes_what_draw_makes_of_the_computed_data(quick_run, drawn):
    """Two independent runs give byte-identical files, and draw() on a fresh figure needs
    nothing but the data compute() returned."""
    names = sorted(p.name for p in quick_run.iterdir())
    assert names == sorted(p.name for p in drawn.iterdir())
    expected = [f"{n}.{ext}" for n in figures.FIGURES for ext in ("png", "svg")]
    assert names == sorted(expected + ["summary.md", "networks.md", "networks.json"])
    for name in names:
        assert (quick_run / name).read_bytes() == (drawn / name).read_bytes(), name


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_compute_returns_rows_keyed_by_name(quick_data, name):
    data = quick_data[name]
    assert isinstance(data, FigureData)
    assert data.rows, name
    for key, row in data.rows.items():
        assert isinstance(row, Row)
        assert key.endswith(row.quantity), (key, row.quantity)  # the quantity, or panel: quantity
        assert isinstance(row.value, float | int), key


def test_the_registry_keeps_its_order_and_the_public_names():
    assert list(figures.FIGURES) == [
        "response_functions",
        "asgd_lr_plateau",
        "pulse_vs_expected",
        "asgd_ablation",
        "error_floor",
        "implicit_penalty",
        "tiki_taka_least_squares",
        "residual_asymmetry",
        "gamma_effect",
        "few_states_floor",
        "multi_tile_floor",
        "multi_tile_gamma",
        "multi_tile_toy",
        "networks_p1_tau",
        "networks_p2_response",
        "networks_p2_finetune",
        "networks_p3_states",
        "pipeline_curves",
        "pipeline_speedup",
    ]
    for name, spec in figures.FIGURES.items():
        assert isinstance(spec, FigureSpec) and spec.name == name
        assert getattr(figures, name) is spec
        assert spec.__doc__ == spec.compute.__doc__ and spec.__doc__.strip()


def test_make_builds_a_pyplot_figure_with_its_rows_and_caption():
    res = figures.make("response_functions", quick=True)
    assert isinstance(res, figures.FigureResult) and res.name == "response_functions"
    assert plt.fignum_exists(res.figure.number)  # so that a notebook shows it
    assert res.figure.get_size_inches().tolist() == [11, 6.2]
    assert [r.quantity for r in res.rows][0] == "symmetric point, linear, c = 0.2"
    assert res.caption
    plt.close(res.figure)


def test_rows_sharing_a_quantity_need_their_own_names():
    row = Row("q", 1.0)
    assert figures.by_quantity([row]) == {"q": row}
    with pytest.raises(ValueError, match="share a quantity"):
        figures.by_quantity([row, Row("q", 2.0)])


def test_unknown_names_and_bad_options_are_rejected(tmp_path):
    res = cli("figures", "--only", "no_such_figure", "--out", str(tmp_path))
    assert res.returncode == 2
    assert "unknown figure name(s): no_such_figure" in res.stderr
    assert "response_functions" in res.stderr  # the valid names are listed
    res = cli("figures", "--bogus")
    assert res.returncode == 2 and "unrecognized arguments: --bogus" in res.stderr
    with pytest.raises(ValueError, match="valid names"):
        figures.make("nope")
    with pytest.raises(ValueError, match="valid names"):
        figures.write(tmp_path, ["nope"])


def test_list_names_every_figure():
    res = cli("figures", "--list")
    assert res.returncode == 0
    for name, spec in figures.FIGURES.items():
        assert f"{name:28s} {spec.__doc__.strip().splitlines()[0]}" in res.stdout


def test_only_writes_just_the_named_figure_and_leaves_the_full_summary_alone(tmp_path):
    (tmp_path / "summary.md").write_text("the full summary\n")
    res = cli(
        "figures",
        "--quick",
        "--no-progress",
        "--only",
        "response_functions",
        "--out",
        str(tmp_path),
    )
    assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "partial-summary.md",
        "response_functions.png",
        "response_functions.svg",
        "summary.md",
    ]
    assert (tmp_path / "summary.md").read_text() == "the full summary\n"
    partial = (tmp_path / "partial-summary.md").read_text()
    assert "| response_functions | " in partial and "| error_floor | " not in partial


@pytest.mark.parametrize("out", ["", "   ", "README.md", "README.md/sub"])
def test_a_bad_output_directory_is_a_one_line_error(out):
    res = cli("figures", "--only", "response_functions", "--quick", "--out", out)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert "--out" in res.stderr and "Traceback" not in res.stderr


def test_networks_writes_the_four_tables(tmp_path, quick_run):
    res = cli("networks", "--quick", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["networks.json", "networks.md"]
    for name in ("networks.md", "networks.json"):  # the same tables as `figures --quick`
        assert (tmp_path / name).read_bytes() == (quick_run / name).read_bytes()
    summary = (quick_run / "summary.md").read_text()
    assert "[tables](networks.md)" in summary
    res = cli("networks", "--out", "README.md")
    assert res.returncode == 2 and "--out" in res.stderr and "Traceback" not in res.stderr

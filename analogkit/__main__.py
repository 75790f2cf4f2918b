"""Command line: ``python -m analogkit figures [--out DIR] [--quick] [--only NAME ...] [--list]``
and ``python -m analogkit networks [--out DIR] [--quick]``."""

from __future__ import annotations

import argparse
import sys
import time


def _write_tables(out, quick: bool) -> list:
    """figures/networks.md and networks.json: the four tables (computed once per process)."""
    from analogkit import networks

    tables = networks.tables(quick)
    md, js = out / "networks.md", out / "networks.json"
    md.write_text(networks.markdown(tables))
    networks.save_tables(tables, js)
    return [md, js]


def main(argv=None) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from analogkit import figures

    parser = argparse.ArgumentParser(prog="python -m analogkit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("figures", help="regenerate the figures and figures/summary.md")
    p.add_argument("--out", default="figures", help="output directory (default: figures)")
    p.add_argument("--quick", action="store_true", help="fewer trials and steps (about a minute)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="only these figures (see --list)")
    p.add_argument("--list", action="store_true", help="list the figure names and exit")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    n = sub.add_parser(
        "networks", help="the four network tables: figures/networks.md and networks.json"
    )
    n.add_argument("--out", default="figures", help="output directory (default: figures)")
    n.add_argument("--quick", action="store_true", help="one epoch per run (seconds)")
    args = parser.parse_args(argv)

    if args.command == "figures" and args.list:
        for name, fn in figures.FIGURES.items():
            doc = (fn.__doc__ or "").strip().splitlines()[0]
            print(f"{name:28s} {doc}")
        return 0
    unknown = [n for n in getattr(args, "only", None) or [] if n not in figures.FIGURES]
    if unknown:
        parser.error(
            f"unknown figure name(s): {', '.join(unknown)}; valid names: {', '.join(figures.FIGURES)}"
        )
    try:
        out = figures.output_dir(args.out)
    except ValueError as exc:
        print(f"python -m analogkit {args.command}: error: --out: {exc}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    if args.command == "networks":
        written = _write_tables(out, args.quick)
    else:
        written = figures.write(out, args.only, quick=args.quick, progress=not args.no_progress)
        if not args.only:  # the tables belong to the full set (summary.md links to them)
            written += _write_tables(out, args.quick)
    for path in written:
        print(path)
    print(f"wrote {len(written)} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``saylau demo | ingest | metrics | forensics | export | serve``.

Each sub-command lives in its own module, which defines ``add_arguments(parser)`` and
``run(args) -> int``; this file only dispatches, so modules stay independent.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "demo": ("saylau.demo.command", "Generate a seeded synthetic election snapshot."),
    "ingest": ("saylau.ingest.command", "Load files or APIs into a validated snapshot."),
    "metrics": ("saylau.metrics.command", "Compute station and national metrics of a snapshot."),
    "forensics": ("saylau.forensics.command", "Run the election-forensics screens."),
    "export": ("saylau.export", "Write a self-contained static site of every chart."),
    "serve": ("saylau.serve", "Run the dashboard, warming its caches as the server starts."),
}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one sub-command; return its exit code."""
    parser = argparse.ArgumentParser(prog="saylau", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name, (module, help_text) in COMMANDS.items():
        try:
            modules[name] = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and not exc.name.startswith("saylau"):
                raise
            continue
        modules[name].add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    return int(modules[args.command].run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

"""The `mancrel` command. Each domain registers its own subcommands."""

import argparse
import importlib
import sys

# Modules with a `register(subparsers)` function, in the order their commands are listed.
COMMAND_MODULES = [
    "mancrel.core.commands",
    "mancrel.worker.commands",
    "mancrel.deadletter.commands",
    "mancrel.catalog.commands",
    "mancrel.ai.commands",
    "mancrel.ops.commands",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mancrel", description="Mancrel CRM")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    result = args.handler(args)
    sys.exit(result or 0)

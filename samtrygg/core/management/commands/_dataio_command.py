"""Shared machinery of the ``import`` and ``export`` commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import autodiscover_modules

from samtrygg.core import dataio


class DataCommand(BaseCommand):
    registry: dict[str, dataio.Kind]
    verb = ""
    # Data commands need no system checks (they would load every page and the API first).
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        autodiscover_modules("data_kinds")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        # Django's CommandParser hands called_from_command_line on to the subparsers.
        sub = parser.add_subparsers(dest="kind", metavar="<kind>", required=True)
        for name in sorted(self.registry):
            kind = self.registry[name]
            p = sub.add_parser(name, help=kind.help, description=kind.help)
            if kind.formats:
                p.add_argument("--format", choices=kind.formats, default=kind.formats[0])
            if kind.add_arguments:
                kind.add_arguments(p)

    def fail(self, message: str) -> CommandError:
        return CommandError(message, returncode=2)

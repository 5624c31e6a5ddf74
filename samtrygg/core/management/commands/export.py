"""``samtrygg export <kind> --format ... [filters]`` to standard output."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import CommandError

from samtrygg.core import dataio
from samtrygg.core.errors import DomainError
from samtrygg.core.management.commands._dataio_command import DataCommand


class Command(DataCommand):
    help = "Exportera data till standard ut: samtrygg export <typ> --format ..."
    registry = dataio.EXPORTERS

    def handle(self, *args: Any, **options: Any) -> None:
        kind = self.registry[options["kind"]]
        try:
            kind.run(argparse.Namespace(**options), self.stdout._out)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

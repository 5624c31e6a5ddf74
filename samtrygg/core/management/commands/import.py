"""``samtrygg import <kind> FILE...``: exit 0 all done, 1 records skipped, 2 refused."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from samtrygg.core import dataio
from samtrygg.core.errors import DomainError
from samtrygg.core.management.commands._dataio_command import DataCommand


class Command(DataCommand):
    help = "Importera data: samtrygg import <typ> FIL..."
    registry = dataio.IMPORTERS

    def handle(self, *args: Any, **options: Any) -> None:
        import argparse

        kind = self.registry[options["kind"]]
        namespace = argparse.Namespace(**options)
        try:
            outcome: dataio.ImportOutcome = kind.run(namespace, self.stderr)
        except DomainError as exc:
            raise CommandError(f"{exc.message}", returncode=2) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"Filen finns inte: {exc.filename}", returncode=2) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                _("Filen kan inte läsas som text (UTF-8): %(e)s") % {"e": exc.reason}, returncode=2
            ) from exc
        except OSError as exc:
            raise CommandError(
                _("Filen kan inte läsas: %(f)s (%(e)s)") % {"f": exc.filename, "e": exc.strerror},
                returncode=2,
            ) from exc
        for problem in outcome.problems:
            self.stderr.write(problem)
        self.stdout.write(outcome.summary())
        if outcome.skipped:
            sys.exit(1)

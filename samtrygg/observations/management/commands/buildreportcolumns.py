"""``samtrygg buildreportcolumns``: build the kept report columns of every outdated year."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand

from samtrygg.core.progress import progress
from samtrygg.observations import columns


class Command(BaseCommand):
    help = (
        "Bygg lägesbildens sparade kolumner för varje år vars rapporter har ändrats sedan de "
        "byggdes (efter en uppgradering eller en import utanför tjänsterna). Lägesbilden är "
        "rätt även utan dem, bara långsammare."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        added = columns.add_missing_versions()
        if added:
            self.stdout.write(f"{added} år med rapporter saknade version och fick en.")
        years = columns.outdated()
        built = 0
        for partnership_id, year in progress(
            years,
            total=len(years),
            label="Bygger kolumner",
            stream=cast(IO[str], self.stderr),
            unit="år",
        ):
            built += columns.build(partnership_id, year)
        self.stdout.write(f"Kolumnerna byggdes för {built} år (av {len(years)} inaktuella).")

"""``samtrygg loadreference``: reload the shipped län, kommuner, boundaries and population."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from samtrygg.core import reference
from samtrygg.core.models import County, Municipality, Population


class Command(BaseCommand):
    help = "Läs in län, kommuner, gränser och folkmängd som följer med Samtrygg."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = reference.load(County, Municipality, Population)
        self.stdout.write(
            f"{counts['counties']} län, {counts['municipalities']} kommuner, "
            f"{counts['populations']} folkmängdsuppgifter."
        )

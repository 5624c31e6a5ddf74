"""``samtrygg loaddemo``: load the demo partnerships and print the demo logins."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

from samtrygg.core import demo
from samtrygg.core.generations import data_changed


class Command(BaseCommand):
    help = "Läs in demon (Orsa och Gislaved) och skriv ut demoinloggningarna."

    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = demo.load_demo()
        autodiscover_modules("demo_data")
        for loader in demo.demo_loaders():
            loader(partnerships, self.stdout)
        # The demo stores reports in bulk, without signals or audit entries: each partnership's
        # results are renewed (and its reports' columns built), and what all of them read.
        for partnership in partnerships:
            data_changed(partnership.pk)
        data_changed()
        self.stdout.write(
            self.style.SUCCESS("Demon är inläst: " + ", ".join(p.name for p in partnerships))
        )
        self.stdout.write(f"\nDemoinloggningar (lösenord för alla: {demo.DEMO_PASSWORD}):")
        for email, roles, where in demo.demo_logins():
            self.stdout.write(f"  {email:40} {roles:28} {where}")
        self.stdout.write(
            "\nStarta med samtrygg serve (make demo), öppna adressen den skriver och logga in "
            "med en av adresserna ovan."
        )

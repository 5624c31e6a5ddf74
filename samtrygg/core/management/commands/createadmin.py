"""``samtrygg createadmin``: the first (system) administrator."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samtrygg.core import services
from samtrygg.core.errors import DomainError


class Command(BaseCommand):
    help = "Skapa systemadministratören (lösenord från SAMTRYGG_ADMIN_PASSWORD eller prompt)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="administratörens e-postadress")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="läs lösenordet ur SAMTRYGG_ADMIN_PASSWORD, fråga inte",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("SAMTRYGG_ADMIN_PASSWORD", "")
        if not password:
            if options["no_input"]:
                raise CommandError(
                    "Sätt SAMTRYGG_ADMIN_PASSWORD när --no-input används.", returncode=2
                )
            password = getpass.getpass("Lösenord: ")
            if password != getpass.getpass("Lösenord igen: "):
                raise CommandError("Lösenorden är inte lika.", returncode=2)
        try:
            user = services.create_admin(
                email=options["email"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(f"Systemadministratören {user.email} skapades.")

"""The one command grammar for data.

``samtrygg import <kind> FILE...`` and ``samtrygg export <kind> --format ... [filters]``.

Apps register kinds in a module named ``data_kinds`` (found when the command starts). An
importer returns an :class:`ImportOutcome`; the command turns it into the exit code: 0 all
done, 1 done with records skipped (a feed), 2 bad usage or input refused, nothing changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _("%(c)d nya, %(u)d uppdaterade, %(n)d oförändrade, %(s)d överhoppade.") % {
            "c": self.created,
            "u": self.updated,
            "n": self.unchanged,
            "s": self.skipped,
        }

    def add(self, other: ImportOutcome) -> None:
        """Count the outcome of one more file (or batch) into this one."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.skipped += other.skipped
        self.problems += other.problems


ImportFunc = Callable[[argparse.Namespace, IO[str]], ImportOutcome]
ExportFunc = Callable[[argparse.Namespace, IO[str]], None]
ArgsFunc = Callable[[argparse.ArgumentParser], None]


@dataclass
class Kind:
    name: str
    help: str
    run: Callable[..., Any]
    add_arguments: ArgsFunc | None = None
    formats: tuple[str, ...] = ()


IMPORTERS: dict[str, Kind] = {}
EXPORTERS: dict[str, Kind] = {}


def register_import(
    name: str, help: str, add_arguments: ArgsFunc | None = None
) -> Callable[[ImportFunc], ImportFunc]:
    def decorate(func: ImportFunc) -> ImportFunc:
        IMPORTERS[name] = Kind(name, help, func, add_arguments)
        return func

    return decorate


def register_export(
    name: str, help: str, formats: tuple[str, ...], add_arguments: ArgsFunc | None = None
) -> Callable[[ExportFunc], ExportFunc]:
    def decorate(func: ExportFunc) -> ExportFunc:
        EXPORTERS[name] = Kind(name, help, func, add_arguments, formats)
        return func

    return decorate


def files_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """The files an import reads: one or more."""
    parser.add_argument("files", nargs="+", metavar="FIL", help=help)


def existing_file(name: str) -> Path:
    """The path of a file named on the command line; a missing one is refused in words."""
    path = Path(name)
    if not path.is_file():
        raise DomainError(_("Filen finns inte: %(f)s") % {"f": path})
    return path


def partnership_argument(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--partnership",
        metavar="KOMMUNKOD",
        required=required,
        help=_("samverkan, angiven med kommunens fyrsiffriga kod (t.ex. 2034 för Orsa)"),
    )


def partnership_from(code: str) -> Any:
    from samtrygg.core.models import Partnership

    found = (
        Partnership.objects.select_related("municipality").filter(municipality__code=code).first()
    )
    if found is None:
        raise DomainError(_("Det finns ingen samverkan för kommunkod %(c)s.") % {"c": code})
    return found


def system_actor(partnership: Any) -> Any:
    """The actor used by the command line: the operator acting as administrator."""
    from samtrygg.core.models import Role
    from samtrygg.core.permissions import Actor

    return Actor(
        user=None,
        partnership=partnership,
        roles=frozenset({Role.ADMINISTRATOR, Role.SAMORDNARE}),
        organisation_ids=frozenset(),
    )


def actor_from(options: argparse.Namespace) -> Any:
    """The command line's actor (see :func:`system_actor`) in the partnership that
    ``--partnership`` names."""
    return system_actor(partnership_from(options.partnership))

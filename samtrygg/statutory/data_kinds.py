"""``samtrygg export statutory --partnership KOMMUNKOD --format json|pdf|docx [--draft]``: the
latest adopted statutory lägesbild with its åtgärdsplan (or, with ``--draft``, the current
draft) to standard output."""

from __future__ import annotations

import argparse
import sys
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _

from samtrygg.core import dataio
from samtrygg.core.errors import DomainError


def _args(parser: argparse.ArgumentParser) -> None:
    dataio.partnership_argument(parser)
    parser.add_argument(
        "--draft",
        action="store_true",
        help=_("det pågående utkastet i stället för den senast antagna versionen"),
    )


@dataio.register_export(
    "statutory",
    _("Lägesbild och åtgärdsplan enligt lag (2023:196) (JSON, PDF eller DOCX)"),
    ("json", "pdf", "docx"),
    _args,
)
def export_statutory(options: argparse.Namespace, out: IO[str]) -> None:
    from samtrygg.statutory import exports, queries

    actor = dataio.actor_from(options)
    report = queries.current_draft(actor) if options.draft else queries.latest_adopted(actor)
    if report is None:
        raise DomainError(
            _("Samverkan har inget utkast.")
            if options.draft
            else _("Samverkan har ingen antagen lägesbild enligt lagen.")
        )
    with translation.override("sv"):
        if options.format == "json":
            out.write(exports.as_json(report))
            out.write("\n")
            return
        data = exports.pdf(report) if options.format == "pdf" else exports.docx(report)
    binary = getattr(out, "buffer", None) or sys.stdout.buffer
    out.flush()
    binary.write(data)
    binary.flush()

"""The compliance matrix as XLSX, shaped for the länsstyrelse's yearly report to Brå under
förordning (2016:1258): one row per kommun of the län with the state of each obligation of
lag (2023:196), and a summary sheet with the counts the report asks for."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from samtrygg.core.spreadsheets import Spreadsheet
from samtrygg.county.queries import ComplianceRow
from samtrygg.county.scope import Scope


def overdue_labels() -> dict[str, str]:
    return {
        "lagesbild": _("lägesbild saknas"),
        "action_plan": _("åtgärdsplan saknas"),
        "coordination": _("samordningsfunktion saknas"),
        "follow_up": _("uppföljning av planen försenad"),
        "review": _("översyn försenad"),
        "agreement": _("överenskommelsen har gått ut"),
        "promise": _("medborgarlöftet har gått ut"),
    }


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else _("ingen uppgift")


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("ingen uppgift")
    return _("ja") if value else _("nej")


def compliance_xlsx(scope: Scope, rows: list[ComplianceRow], today: dt.date) -> bytes:
    book = Spreadsheet()
    labels = overdue_labels()
    summary = book.sheet(_("Sammanfattning"), fit_columns=True)
    summary.append([_("Länsstyrelsens årliga redovisning till Brå")], bold=True)
    summary.append([_("Län"), f"{scope.name} ({scope.key})"], bold_first=True)
    summary.append([_("Redovisningsår"), today.year], bold_first=True)
    summary.append([_("Uttaget"), today.isoformat()], bold_first=True)
    summary.append([_("Källa"), _("Samtrygg: kommunernas egna uppgifter")], bold_first=True)
    summary.append([])
    summary.append([_("Uppgift"), _("Antal kommuner")], bold=True)
    counts = [
        (_("Kommuner i länet"), len(rows)),
        (_("Kommuner med uppgifter i Samtrygg"), sum(1 for r in rows if r.in_samtrygg)),
        (
            _("Antagen lägesbild (lag 2023:196, 4 §)"),
            sum(1 for r in rows if r.statutory_lagesbild_adopted),
        ),
        (_("Beslutad åtgärdsplan"), sum(1 for r in rows if r.action_plan_decided)),
        (_("Samordningsfunktion inrättad"), sum(1 for r in rows if r.coordination_function)),
        (
            _("Giltig samverkansöverenskommelse"),
            sum(1 for r in rows if r.agreement_valid_to and r.agreement_valid_to >= today),
        ),
        (
            _("Giltigt medborgarlöfte"),
            sum(1 for r in rows if r.promise_valid_to and r.promise_valid_to >= today),
        ),
        (
            _("EST-rapporter de senaste fyra veckorna"),
            sum(1 for r in rows if r.est_reports_last_4_weeks),
        ),
        (_("Har antagit länets mall"), sum(1 for r in rows if r.template_version)),
        (_("Med minst en försenad uppgift"), sum(1 for r in rows if r.overdue)),
    ]
    for label, n in counts:
        summary.append([label, n], bold_first=True)

    sheet = book.sheet(_("Kommuner"), fit_columns=True)
    sheet.append(
        [
            _("Länskod"),
            _("Kommunkod"),
            _("Kommun"),
            _("I Samtrygg"),
            _("Lägesbild antagen"),
            _("Åtgärdsplan beslutad"),
            _("Beslutande organ"),
            _("Samordningsfunktion inrättad"),
            _("Senaste uppföljning av åtgärdsplanen"),
            _("Nästa översyn"),
            _("Samverkansöverenskommelse giltig till"),
            _("Medborgarlöfte giltigt till"),
            _("Senaste uppföljning publicerad"),
            _("EST-rapporter senaste 4 veckorna"),
            _("Senast antagna EST-lägesbild"),
            _("Länets mall, version"),
            _("Försenat"),
        ],
        bold=True,
    )
    sheet.freeze_header()
    for r in rows:
        sheet.append(
            [
                scope.key if scope.is_lan else "",
                r.kommunkod,
                r.kommun,
                _("ja") if r.in_samtrygg else _("nej"),
                _day(r.statutory_lagesbild_adopted),
                _day(r.action_plan_decided),
                r.action_plan_body or (_("ingen uppgift") if r.action_plan_decided is None else ""),
                _yes_no(r.coordination_function),
                _day(r.plan_follow_up),
                _day(r.next_review),
                _day(r.agreement_valid_to),
                _day(r.promise_valid_to),
                _day(r.last_follow_up_published),
                _yes_no(r.est_reports_last_4_weeks),
                r.latest_adopted_picture or _("ingen uppgift"),
                r.template_version if r.template_version else "–",
                ", ".join(labels[k] for k in r.overdue)
                or ("" if r.in_samtrygg else _("ingen uppgift")),
            ]
        )
    return book.to_bytes()

"""The adopted lägesbild as PDF (WeasyPrint, from the page's own template, with the charts and
the map rendered on the server) and as XLSX (openpyxl), from the frozen snapshot."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation

from samtrygg.core.permissions import Actor
from samtrygg.core.spreadsheets import Spreadsheet
from samtrygg.documents.chartsvg import for_print
from samtrygg.documents.pdf import pdf_of_html, render_html
from samtrygg.documents.svgmap import readable_labels
from samtrygg.situation import charts, wording
from samtrygg.situation.models import SituationPicture


def picture_html(
    actor: Actor, picture: SituationPicture, request: HttpRequest | None = None
) -> str:
    """The HTML the picture's PDF is made from."""
    from samtrygg.situation.views import _detail_context

    context = {
        **_detail_context(actor, picture),
        "can_compile": False,
        "can_adopt": False,
        "can_cosign": False,
        "can_correct": False,
    }
    data = context["data"]
    if data.get("map_svg"):
        # A picture adopted before the map's labels had their own halo: readable in the PDF
        # too (the frozen snapshot itself is left as it is).
        data = {**data, "map_svg": readable_labels(data["map_svg"])}
    # Tables as wide as the page allows (weeks summed per month, the hours down the page);
    # the drawings with their text in the font it was measured with and the colour scales
    # in solid colours.
    data["charts"] = {
        key: {
            **chart,
            "svg": for_print(chart.get("svg") or ""),
            "print": charts.print_tables(key, chart, data),
        }
        for key, chart in (data.get("charts") or {}).items()
    }
    context["data"] = data
    return render_html("situation/picture.html", context, request)


def picture_pdf(
    actor: Actor, picture: SituationPicture, request: HttpRequest | None = None
) -> bytes:
    return pdf_of_html(picture_html(actor, picture, request))


def picture_xlsx(picture: SituationPicture) -> bytes:
    """The picture as a workbook, in Swedish (it is shared): the stored codes worded."""
    with translation.override("sv"):
        data = wording.localize(picture.snapshot)
    book = Spreadsheet()
    sheet = book.sheet("Delområden")
    sheet.append([f"Lägesbild {data['period']['label_sv']}", data["partnership"]])
    sheet.append([f"Version {picture.version}", picture.get_status_display()])
    if picture.correction_reason:
        sheet.append(["Rättelse", picture.correction_reason])
    sheet.append([])
    header = [
        "Delområde",
        "Nivå",
        "Trend",
        "Föreslagen nivå",
        "Skäl till avvikelse",
        "Antal",
        "Normalt",
        "Förändring",
        "Heta punkter",
        "Motivering",
    ]
    sheet.append(header, bold=True)
    levels = {lv.area_name: lv for lv in picture.levels.all()}
    for area in data["areas"]:
        lv = levels.get(area["name"])
        sheet.append(
            [
                area["name"],
                lv.get_level_display() if lv else area["suggested"]["level_text"],
                lv.get_trend_display() if lv else area["suggested"]["trend_symbol"],
                area["suggested"]["level_text"],
                lv.reason if lv else "",
                area["count"],
                area["expected"],
                area["verdict_text"],
                area["hot_cells"],
                area["sentence"],
            ]
        )
    if data.get("assessment") or picture.assessment:
        sheet.append([])
        sheet.append(["Bedömning", data.get("assessment") or picture.assessment])
    for key, chart in data.get("charts", {}).items():
        ws = book.sheet(chart["title"])
        ws.append(chart["columns"], bold=True)
        for row in chart["rows"]:
            ws.append(list(row))
        _ = key
    police = data.get("police") or {}
    if police.get("events"):
        ws = book.sheet("Polisens händelser")
        ws.append(["Publicerad", "Typ", "Rubrik", "Länk"], bold=True)
        for event in police["events"]:
            ws.append([event["published"], event["type"], event["title"], event["url"]])
    return book.to_bytes()


def summary_lines(picture: SituationPicture) -> list[str]:
    """Plain-text lines for e-mail digests."""
    levels = {lv.area_name: lv for lv in picture.levels.all()}
    lines: list[str] = []
    for area in picture.snapshot.get("areas", []):
        lv = levels.get(area["name"])
        level = lv.get_level_display() if lv else wording.level_text(area["suggested"]["level"])
        lines.append(f"- {area['name']}: {level}, {area['count']} händelser")
    return lines

"""The statutory lägesbild with its åtgärdsplan as PDF (WeasyPrint through the shared document
machinery, from the document's own template), as DOCX (python-docx: the nämnd's papers are
edited in Word) and as JSON. All three are made from the same document
(:func:`samtrygg.statutory.document.document`) and carry the data cut-off and the sources."""

from __future__ import annotations

import io
import json
from typing import Any

from django.utils.translation import gettext as _

from samtrygg.documents.pdf import render_pdf
from samtrygg.statutory import document
from samtrygg.statutory.models import StatutoryReport

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def as_json(report: StatutoryReport) -> str:
    return json.dumps(document.document(report), ensure_ascii=False, indent=2, default=str)


def pdf_context(report: StatutoryReport) -> dict[str, Any]:
    """What the PDF (and the version's page) shows: the document, its problems, the plan
    grouped by the problem each item addresses, and the police events."""
    doc = document.document(report)
    problems = {p["id"]: p for p in doc["analys"]["problems"]}
    groups: dict[int, list[dict[str, Any]]] = {}
    for item in doc["atgardsplan"]:
        groups.setdefault(item["problem"], []).append(item)
    return {
        "report": report,
        "doc": doc,
        "problems": list(problems.values()),
        "plan_groups": [
            {"problem": problems[pid], "items": items}
            for pid, items in groups.items()
            if pid in problems
        ],
        "police": doc["kartlaggning"]["police_events"],
    }


def pdf(report: StatutoryReport) -> bytes:
    return render_pdf("statutory/report_pdf.html", pdf_context(report))


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:,.{digits}f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        return str(value)
    return text.replace(",", "\u00a0").replace(".", ",")


def docx(report: StatutoryReport) -> bytes:
    """The document as a Word file: headings for the parts of 4 §, tables for the numbers."""
    from docx import Document
    from docx.shared import Pt

    doc = document.document(report)
    meta = doc["metadata"]
    word = Document()
    style = word.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)

    def table(header: list[str], rows: list[list[Any]]) -> None:
        grid = word.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = _fmt(value) if not isinstance(value, str) else value

    def paragraphs(text: str) -> None:
        for block in (text or "").split("\n\n"):
            if block.strip():
                word.add_paragraph(block.strip())

    word.add_heading(
        _("Lägesbild och åtgärdsplan %(period)s – %(kommun)s")
        % {"period": meta["period"]["label"], "kommun": meta["municipality"]},
        level=0,
    )
    word.add_paragraph(meta["law"])
    # 0 Metadata
    word.add_heading(_("0 Om dokumentet"), level=1)
    status = _("antagen") if report.status != "utkast" else _("utkast")
    info = [
        [_("Period"), f"{meta['period']['start']} – {meta['period']['end']}"],
        [_("Version"), f"{meta['version']} ({status})"],
        [_("Uppgifter till och med"), meta["data_cutoff"] or "–"],
    ]
    author = meta.get("author")
    if author:
        info.append([_("Samordningsfunktion"), f"{author['unit']} ({author['contact']})"])
    decision = meta.get("decision")
    if decision:
        info.append(
            [
                _("Beslut"),
                f"{decision['body']} {decision['date']} {decision['reference']}: "
                f"{decision['outcome_label']}",
            ]
        )
    table([_("Uppgift"), _("Värde")], info)
    if meta.get("change_reason"):
        word.add_paragraph(_("Skäl till den nya versionen: %(r)s") % {"r": meta["change_reason"]})
    paragraphs(meta.get("summary", ""))
    word.add_heading(_("Samråd"), level=2)
    if meta["consultations"]:
        table(
            [_("Datum"), _("Aktör"), _("Bidrag")],
            [[c["date"], c["actor_name"], c["contribution"]] for c in meta["consultations"]],
        )
    else:
        word.add_paragraph(_("Inga samråd är registrerade."))
    if meta["decisions"]:
        word.add_heading(_("Beslutsgång"), level=2)
        table(
            [_("Datum"), _("Organ"), _("Paragraf eller diarienummer"), _("Beslut")],
            [[d["date"], d["body"], d["reference"], d["outcome_label"]] for d in meta["decisions"]],
        )

    # 1 Kartläggning
    kart = doc["kartlaggning"]
    word.add_heading(_("1 Kartläggning av brottsligheten (4 § 1)"), level=1)
    word.add_heading(_("Anmälda brott (Brå)"), level=2)
    if kart["bra"]:
        table(
            [
                _("År"),
                _("Brottskategori"),
                _("Antal"),
                _("Per 100 000"),
                _("Länet per 100 000"),
                _("Riket per 100 000"),
            ],
            [
                [
                    r["year"],
                    r["category"],
                    r["count"],
                    _fmt(r["per_100k"], 0),
                    _fmt(r["lan_per_100k"], 0),
                    _fmt(r["riket_per_100k"], 0),
                ]
                for r in kart["bra"]
            ],
        )
    else:
        word.add_paragraph(_("Ingen statistik från Brå är inläst."))
    police = kart["police_events"]
    word.add_heading(_("Polisens händelser i kommunen"), level=2)
    if police["rows"]:
        table(
            [_("Händelsetyp"), *[str(y) for y in police["years"]]],
            [[row["type"], *row["counts"]] for row in police["rows"]],
        )
    else:
        word.add_paragraph(_("Inga polishändelser är inlästa."))
    est = kart["est"]
    word.add_heading(_("EST-rapporter per delområde"), level=2)
    if est.get("areas"):
        table(
            [_("Delområde"), _("Antal"), _("Förändring"), _("Per 1 000 invånare")],
            [[a["name"], a["count"], a["change_text"], _fmt(a["rate"], 1)] for a in est["areas"]],
        )
    else:
        word.add_paragraph(_("Inga delområden."))
    word.add_heading(_("Konsekvenser"), level=2)
    paragraphs(kart["consequences"] or _("Ingen text."))
    paragraphs(kart["comment"])

    # 2 Annan information
    other = doc["annan_information"]
    word.add_heading(_("2 Annan information av betydelse (4 § 2)"), level=1)
    walks = other["safety_walks"]
    word.add_heading(_("Trygghetsvandringar"), level=2)
    word.add_paragraph(
        _("%(n)d trygghetsvandringar med %(r)d boende.")
        % {"n": walks["count"], "r": walks.get("residents", 0)}
    )
    if walks["findings"]:
        table([_("Fynd"), _("Antal")], [[f["type"], f["count"]] for f in walks["findings"]])
    for key, heading in (
        ("police_assessment", _("Polisens bedömning")),
        ("coming_events", _("Kommande händelser")),
        ("risk_and_protective_factors", _("Risk- och skyddsfaktorer")),
        ("other", _("Övrigt")),
    ):
        if other.get(key):
            word.add_heading(heading, level=2)
            paragraphs(other[key])

    # 3 Analys
    analys = doc["analys"]
    word.add_heading(_("3 Analys av kartläggningen (4 § 3)"), level=1)
    paragraphs(analys["text"])
    for problem in analys["problems"]:
        word.add_heading(
            f"{problem['title']} ({problem['priority_label']}, {problem['status_label']})",
            level=2,
        )
        paragraphs(problem["description"])
        figures = problem.get("figures") or {}
        if figures:
            word.add_paragraph(
                _("Antal %(period)s: %(n)s (året före: %(p)s). Delområden: %(areas)s.")
                % {
                    "period": meta["period"]["label"],
                    "n": _fmt(figures.get("count")),
                    "p": _fmt(figures.get("previous_count")),
                    "areas": ", ".join(problem["areas"]) or _("hela kommunen"),
                }
            )
            if figures.get("hot_times"):
                scope = (
                    _("Tider med flest händelser i hela kommunen (samma kategorier): %(t)s.")
                    if problem["areas"]
                    else _("Tider med flest händelser: %(t)s.")
                )
                word.add_paragraph(
                    scope
                    % {
                        "t": ", ".join(
                            f"{h['day']} {h['hour']:02d}–{(h['hour'] + 1) % 24:02d} "
                            f"({h['observed']})"
                            for h in figures["hot_times"]
                        )
                    }
                )
        if problem["causes"]:
            table(
                [_("Problemtriangeln"), _("Orsak"), _("Underlag")],
                [[c["side_label"], c["text"], c["evidence"]] for c in problem["causes"]],
            )
    if analys["knowledge_gaps"]:
        word.add_heading(_("Kunskapsluckor"), level=2)
        paragraphs(analys["knowledge_gaps"])

    # Åtgärdsplan
    word.add_heading(_("Åtgärdsplan"), level=1)
    titles = {p["id"]: p["title"] for p in analys["problems"]}
    measures = [i for i in doc["atgardsplan"] if i["kind"] == "atgard"]
    if measures:
        table(
            [
                _("Problem"),
                _("Åtgärd"),
                _("Mål"),
                _("Ansvarig"),
                _("Tidplan"),
                _("Uppföljning"),
            ],
            [
                [
                    titles.get(i["problem"], ""),
                    i["title"] + (f" ({i['cause_text']})" if i["cause_text"] else ""),
                    f"{i['goal_type_label']}: {i['indicator']} {i['baseline'] or '–'} → "
                    f"{i['target']} ({i['target_date']})",
                    i["responsible"],
                    i["time_plan"],
                    f"{i['follow_up_how']} ({i['follow_up_when']})",
                ]
                for i in measures
            ],
        )
    else:
        word.add_paragraph(_("Inga åtgärder i planen."))
    for item in doc["atgardsplan"]:
        if item["kind"] == "ingen_atgard":
            word.add_paragraph(
                _("Inga åtgärder mot ”%(p)s”: %(r)s")
                % {"p": titles.get(item["problem"], ""), "r": item["reason"]}
            )
    word.add_heading(_("Källor"), level=1)
    for line in meta["sources"]:
        word.add_paragraph(line, style="List Bullet")
    word.add_paragraph(
        _("Uppgifter till och med %(d)s. Skapat av Samtrygg.") % {"d": meta["data_cutoff"] or "–"}
    )
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()

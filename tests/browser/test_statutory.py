"""The statutory lägesbild in a real browser: the samordnare drafts it, edits the analysis,
links a problem to two plan items, records the kommunstyrelse's decision and adopts; the PDF
and the DOCX hold the three parts of 4 § and the plan; the compliance page turns green for
the lägesbild."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _plan_item(page: Any, title: str, target: str) -> None:
    page.goto("/lagen/atgardsplan/")
    page.select_option("#i-problem", label="Kvällar i Centrum")
    page.fill("#i-title", title)
    page.select_option("#i-goal", "prestationsmal")
    page.fill("#i-indicator", "Kvällar med vuxennärvaro")
    page.fill("#i-baseline", "0")
    page.fill("#i-target", target)
    page.fill("#i-target-date", (dt.date.today() + dt.timedelta(days=300)).isoformat())
    page.fill("#i-follow-when", (dt.date.today() + dt.timedelta(days=120)).isoformat())
    page.get_by_role("button", name="Lägg till i planen").click()
    expect(page.locator(".messages")).to_contain_text("Åtgärden lades till i planen")


def test_statutory_lagesbild(page: Any, login: Any, orsa: Any) -> None:
    from docx import Document
    from pypdf import PdfReader

    from samtrygg.statutory.models import StatutoryReport

    year = dt.date.today().year - 1
    login(page, orsa.user("samordnare"))

    # 0. The compliance page before: the lägesbild is overdue (red).
    page.goto("/lagen/efterlevnad/")
    row = page.locator('[data-obligation="lagesbild"]')
    expect(row).to_have_attribute("data-status", "overdue")

    # 1. A prioritised problem with a cause.
    page.goto("/lagen/problem/")
    page.fill("#p-title", "Kvällar i Centrum")
    page.fill("#p-description", "Samlingar vid torget på helgkvällar.")
    page.get_by_role("button", name="Spara problem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvällar i Centrum")
    page.fill("#c-text", "Ingen vuxen närvaro sena kvällar")
    page.get_by_role("button", name="Lägg till orsak").click()
    expect(page.locator("#causes")).to_contain_text("Ingen vuxen närvaro")

    # 2. Two plan items for the problem.
    _plan_item(page, "Vuxennärvaro på torget", "40 kvällar")
    _plan_item(page, "Belysning i gångtunneln", "2 armaturer")
    page.goto("/lagen/atgardsplan/")
    expect(page.locator(".plan-group tbody tr")).to_have_count(2)

    # 3. Draft the lägesbild and edit the analysis.
    page.goto("/lagen/")
    page.fill("#draft-year", str(year))
    page.get_by_role("button", name="Ta fram utkast").click()
    page.wait_for_url("**/lagen/lagesbild/*/")
    expect(page.locator("#del-1")).to_contain_text("4 § 1")
    page.fill("#text-analys-input", "Kvällarna i Centrum är kommunens tydligaste problem.")
    page.locator("#text-analys").get_by_role("button", name="Spara texten").click()
    expect(page.locator(".messages")).to_contain_text("Texten sparades")
    expect(page.locator("#del-3")).to_contain_text("Kvällarna i Centrum är kommunens")
    expect(page.locator("#atgardsplan .plan-card")).to_have_count(2)

    # 4. The kommunstyrelse's decision: the body first, then the decision, then adopt.
    report_url = page.url
    page.goto("/lagen/beslutsorgan/")
    page.select_option("#b-kind", "kommunstyrelse")
    page.fill("#b-name", "Kommunstyrelsen")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.locator("#body-table")).to_contain_text("Kommunstyrelsen")
    page.goto(report_url)
    page.fill("#decision-date", dt.date.today().isoformat())
    page.fill("#decision-reference", "KS § 45")
    page.select_option("#decision-outcome", "godkant")
    page.get_by_role("button", name="Registrera beslut").click()
    expect(page.locator("#decision-trail")).to_contain_text("KS § 45")
    page.get_by_role("button", name="Anta och lås versionen").click()
    expect(page.locator("#report-status")).to_have_text("Antagen")
    expect(page.locator("#texter")).to_have_count(0)
    report = StatutoryReport.objects.get(partnership=orsa.partnership)
    assert report.status == "antagen"

    # 5. The PDF and the DOCX hold the three parts of 4 § and the plan.
    pdf = page.request.get(f"/lagen/lagesbild/{report.pk}/lagesbild.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.body())).pages
    )
    for part in (
        "4 § 1",
        "4 § 2",
        "4 § 3",
        "Åtgärdsplan",
        "Vuxennärvaro på torget",
        "Belysning i gångtunneln",
        "KS § 45",
    ):
        assert part in text, part
    word = page.request.get(f"/lagen/lagesbild/{report.pk}/lagesbild.docx")
    assert word.ok
    document = Document(io.BytesIO(word.body()))
    body = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for part in (
        "4 § 1",
        "4 § 2",
        "4 § 3",
        "Åtgärdsplan",
        "Vuxennärvaro på torget",
        "Belysning i gångtunneln",
    ):
        assert part in body, part

    # 6. The compliance page: the lägesbild and the plan are green now.
    page.goto("/lagen/efterlevnad/")
    expect(row).to_have_attribute("data-status", "ok")
    expect(page.locator('[data-obligation="atgardsplan"]')).to_have_attribute("data-status", "ok")
    colour = row.locator(".badge").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour != "rgba(0, 0, 0, 0)"

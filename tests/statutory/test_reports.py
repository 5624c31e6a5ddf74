"""The statutory lägesbild: drafting from the stored data, texts, decisions, adoption that
freezes the version, a new version with its differences, and the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.core.errors import DomainError
from samtrygg.statutory import compliance, document, services
from samtrygg.statutory.document import TOP_LEVEL
from samtrygg.statutory.models import ReportStatus, StatutoryReport
from tests.statutory.conftest import make_body, make_problem, plan_fields

pytestmark = pytest.mark.django_db


def _adopted(coordinator: Any, orsa: Any) -> StatutoryReport:
    problem = make_problem(coordinator)
    services.create_plan_item(coordinator, problem, **plan_fields(orsa))
    report = services.draft_report(coordinator, year=dt.date.today().year - 1)
    services.save_text(coordinator, report, section="analys", text="Kvällarna i Centrum.")
    body = make_body(coordinator)
    services.record_decision(
        coordinator,
        report,
        body=body,
        date=dt.date.today(),
        reference="KS § 45",
        outcome="godkant",
    )
    return services.adopt_report(coordinator, report)


def test_the_draft_holds_the_five_parts(coordinator: Any, orsa: Any) -> None:
    problem = make_problem(coordinator)
    item = services.create_plan_item(coordinator, problem, **plan_fields(orsa))
    report = services.draft_report(coordinator, year=2025)
    doc = document.document(report)
    assert tuple(k for k in doc if k in TOP_LEVEL) == TOP_LEVEL
    assert [p["id"] for p in doc["analys"]["problems"]] == [problem.pk]
    assert [i["problem"] for i in doc["atgardsplan"]] == [problem.pk]
    assert doc["atgardsplan"][0]["id"] == item.pk
    assert doc["metadata"]["period"] == {
        "start": "2025-01-01",
        "end": "2025-12-31",
        "label": "2025",
    }
    with pytest.raises(DomainError):
        services.draft_report(coordinator, year=2024)


def test_adoption_needs_an_approving_decision(coordinator: Any, orsa: Any) -> None:
    report = services.draft_report(coordinator, year=2025)
    with pytest.raises(DomainError):
        services.adopt_report(coordinator, report)
    body = make_body(coordinator)
    services.record_decision(
        coordinator,
        report,
        body=body,
        date="2026-01-10",
        reference="KS § 3",
        outcome="aterremitterat",
    )
    with pytest.raises(DomainError):
        services.adopt_report(coordinator, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.UTKAST


def test_an_adopted_version_is_frozen(coordinator: Any, orsa: Any) -> None:
    report = _adopted(coordinator, orsa)
    frozen = document.document(report)
    assert frozen["metadata"]["decision"]["reference"] == "KS § 45"
    problem = report.partnership.problems.get()
    services.update_problem(
        coordinator,
        problem,
        title="Nytt namn",
        description="",
        priority=1,
        status="aktuell",
        period_start=problem.period_start,
        period_end=problem.period_end,
    )
    report.refresh_from_db()
    assert document.document(report) == frozen
    for attempt in (
        lambda: services.save_text(coordinator, report, section="analys", text="Ändrat"),
        lambda: services.recompute_report(coordinator, report),
        lambda: services.add_consultation(
            coordinator,
            report,
            actor_kind="polis",
            actor_name="Polisen",
            date="2026-01-01",
            contribution="Bedömning",
        ),
        lambda: services.adopt_report(coordinator, report),
        lambda: services.record_decision(
            coordinator,
            report,
            body=report.decision.body,
            date="2026-01-01",
            reference="x",
            outcome="avslag",
        ),
    ):
        with pytest.raises(DomainError):
            attempt()
    report.refresh_from_db()
    assert report.snapshot == frozen


def test_a_new_version_supersedes_and_shows_differences(coordinator: Any, orsa: Any) -> None:
    report = _adopted(coordinator, orsa)
    draft = services.new_version(coordinator, report, reason="Ny analys efter dialoger")
    assert draft.version == 2 and draft.supersedes == report
    services.save_text(coordinator, draft, section="analys", text="Kvällarna och helgerna.")
    changes = document.differences(document.document(report), document.document(draft))
    assert {
        "section": "analys",
        "label": "text",
        "before": "Kvällarna i Centrum.",
        "after": "Kvällarna och helgerna.",
    } in changes
    services.record_decision(
        coordinator,
        draft,
        body=report.decision.body,
        date=dt.date.today(),
        reference="KS § 80",
        outcome="godkant",
    )
    services.adopt_report(coordinator, draft)
    report.refresh_from_db()
    assert report.status == ReportStatus.ERSATT


def test_compliance_turns_green_on_adoption(coordinator: Any, orsa: Any) -> None:
    before = {o.key: o.status for o in compliance.obligations(orsa.partnership)}
    assert before["lagesbild"] == "overdue"
    _adopted(coordinator, orsa)
    after = {o.key: o for o in compliance.obligations(orsa.partnership)}
    assert after["lagesbild"].status == "ok"
    assert after["atgardsplan"].status == "ok"
    assert after["oversyn"].date == compliance.add_months(dt.date.today(), 24)


ROLES = ("samordnare", "kommunpolis", "analytiker", "styrgrupp", "rapportor")


@pytest.mark.parametrize("role", ROLES)
def test_pages_open_for_each_role(role: str, orsa: Any, coordinator: Any, login: Any) -> None:
    report = _adopted(coordinator, orsa)
    problem = report.partnership.problems.get()
    item = problem.plan_items.get()
    client = login(orsa.user(role), orsa.partnership)
    readers = role != "rapportor"
    for name, args, allowed in (
        ("statutory-overview", [], True),
        ("statutory-compliance", [], True),
        ("statutory-bodies", [], True),
        ("statutory-coordination", [], True),
        ("statutory-report", [report.pk], True),
        ("statutory-problems", [], readers),
        ("statutory-problem", [problem.pk], readers),
        ("statutory-plan", [], readers),
        ("statutory-plan-item", [item.pk], readers),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == (200 if allowed else 403), name
    # Every "Visa" on the compliance page opens for the role; the plan only for readers.
    import re

    page = client.get(reverse("statutory-compliance")).content.decode()
    table = page[
        page.index('id="obligations"') : page.index("</table>", page.index('id="obligations"'))
    ]
    links = re.findall(r'href="([^"]+)"', table)
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link
    assert (reverse("statutory-plan") in links) == readers


def test_documents_hold_the_parts(coordinator: Any, orsa: Any, login: Any) -> None:
    import io

    from docx import Document

    report = _adopted(coordinator, orsa)
    client = login(orsa.user("samordnare"), orsa.partnership)
    pdf = client.get(reverse("statutory-report-pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    word = client.get(reverse("statutory-report-docx", args=[report.pk]))
    assert word.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    for heading in ("4 § 1", "4 § 2", "4 § 3", "Åtgärdsplan", "Källor"):
        assert heading in text

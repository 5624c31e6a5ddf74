"""The public web survey: single-use codes, anonymity, the privacy screen, an open link."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from samtrygg.core.errors import DomainError
from samtrygg.core.models import AuditEntry
from samtrygg.surveys import services
from samtrygg.surveys.models import Response, Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(coordinator: Any) -> Any:
    return services.create_wave(coordinator, "Webbenkät", 2026, "random")


def _url(wave: Any) -> str:
    return f"/p/2034/enkat/{wave.slug}/"


def test_a_code_is_used_once_and_is_not_kept_with_the_answer(
    client: Any, coordinator: Any, wave: Any, orsa: Any
) -> None:
    codes = services.issue_tokens(coordinator, wave, 3)
    assert len(set(codes)) == 3 and all(len(c) == 9 and c[4] == "-" for c in codes)
    services.set_web_open(coordinator, wave, True)
    page = client.get(_url(wave) + f"?kod={codes[0]}")
    assert page.status_code == 200 and codes[0] in page.content.decode()
    body = {"token": codes[0].lower(), "T1": "3", "T2": "2", "area": orsa.area.pk, "P3": "9"}
    answered = client.post(_url(wave), body)
    assert answered.status_code == 200 and "Tack" in answered.content.decode()
    again = client.post(_url(wave), body)
    assert again.status_code == 400 and "redan använts" in again.content.decode()
    assert Response.objects.count() == 1
    response = Response.objects.get()
    assert response.answers == {"T1": 3, "T2": 2, "P3": 9} and response.area == orsa.area
    # Nothing joins the answer to the code: no code, hash or time is kept with it, the codes
    # have no order of their own, and the audit entry names the wave, not the answer.
    columns = {f.column for f in Response._meta.concrete_fields}
    assert not any("token" in c or "digest" in c or "_at" in c or "time" in c for c in columns)
    assert {f.name for f in Token._meta.concrete_fields} == {"digest", "wave", "used"}
    assert Token._meta.pk is not None and Token._meta.pk.name == "digest"
    stored = {t.digest for t in Token.objects.all()}
    assert all(code.replace("-", "") not in " ".join(stored) for code in codes)
    entry = AuditEntry.objects.filter(model="surveys.Wave").order_by("-id").first()
    assert entry is not None and entry.object_id == str(wave.pk)
    assert not AuditEntry.objects.filter(model__in=["surveys.Response", "surveys.Token"]).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM surveys_token WHERE used")
        assert cursor.fetchone()[0] == 1


def test_a_wrong_or_missing_code_is_refused(client: Any, coordinator: Any, wave: Any) -> None:
    services.issue_tokens(coordinator, wave, 1)
    services.set_web_open(coordinator, wave, True)
    for token in ("", "ABCD-EFGH"):
        refused = client.post(_url(wave), {"token": token, "T1": "1"})
        assert refused.status_code == 400
    assert not Response.objects.exists()


def test_a_code_of_another_wave_is_refused(coordinator: Any, wave: Any) -> None:
    other = services.create_wave(coordinator, "Webbenkät", 2027, "random")
    code = services.issue_tokens(coordinator, other, 1)[0]
    services.issue_tokens(coordinator, wave, 1)
    services.set_web_open(coordinator, wave, True)
    with pytest.raises(DomainError):
        services.submit_web_answer(wave, services.WebAnswer({"T1": "1"}, token=code))


def test_free_text_with_an_identifier_is_refused_and_nothing_is_used(
    client: Any, coordinator: Any, wave: Any
) -> None:
    code = services.issue_tokens(coordinator, wave, 1)[0]
    services.set_web_open(coordinator, wave, True)
    text = "Ring mig på 070-123 45 67 om busstationen."
    refused = client.post(_url(wave), {"token": code, "T1": "4", "comment": text})
    assert refused.status_code == 400
    assert not Response.objects.exists()
    assert not Token.objects.filter(used=True).exists()
    assert (
        refused["Cache-Control"].startswith("max-age=0") or "no-cache" in refused["Cache-Control"]
    )
    answered = client.post(_url(wave), {"token": code, "T1": "4", "comment": "Mörkt vid torget."})
    assert answered.status_code == 200
    assert Response.objects.get().comment == "Mörkt vid torget."


def test_t1b_only_counts_after_t1_five_and_unknown_codes_are_refused(
    coordinator: Any, wave: Any
) -> None:
    codes = services.issue_tokens(coordinator, wave, 2)
    services.set_web_open(coordinator, wave, True)
    services.submit_web_answer(wave, services.WebAnswer({"T1": "2", "T1b": "1"}, token=codes[0]))
    assert Response.objects.get().answers == {"T1": 2}
    with pytest.raises(DomainError) as refused:
        services.submit_web_answer(wave, services.WebAnswer({"T1": "7"}, token=codes[1]))
    assert refused.value.field == "T1"
    with pytest.raises(DomainError):
        services.submit_web_answer(wave, services.WebAnswer({}, token=codes[1]))
    assert not Token.objects.get(digest=services.token_digest(wave, codes[1])).used


def test_a_closed_or_unknown_survey_is_not_found(client: Any, coordinator: Any, wave: Any) -> None:
    assert client.get(_url(wave)).status_code == 404
    assert client.get("/p/2034/enkat/finns-inte/").status_code == 404
    assert client.get("/p/9999/enkat/x/").status_code == 404
    with pytest.raises(DomainError):
        services.set_web_open(coordinator, wave, True)  # a random sample needs codes first


def test_an_open_link_needs_no_code_and_says_it_is_self_selected(
    client: Any, coordinator: Any
) -> None:
    wave = services.create_wave(coordinator, "Öppen enkät", 2026, "open")
    services.set_web_open(coordinator, wave, True)
    page = client.get(_url(wave))
    assert "självselekterat urval" in page.content.decode()
    assert 'name="token"' not in page.content.decode()
    assert client.post(_url(wave), {"T2": "3"}).status_code == 200
    assert Response.objects.get().answers == {"T2": 3}
    with pytest.raises(DomainError):
        services.issue_tokens(coordinator, wave, 5)


def test_own_questions_are_asked_and_counted(client: Any, coordinator: Any) -> None:
    from samtrygg.surveys import queries

    question = services.add_own_question(
        coordinator, "E1", "Känner du dig trygg i skolan?", "Ja\nNej\nVet inte", ["2"]
    )
    with pytest.raises(DomainError):
        services.add_own_question(coordinator, "T1", "x", "a\nb", [1])
    wave = services.create_wave(coordinator, "Öppen enkät", 2026, "open")
    services.set_wave_questions(coordinator, wave, [question.pk])
    services.set_web_open(coordinator, wave, True)
    assert "trygg i skolan" in client.get(_url(wave)).content.decode()
    for value in ["2"] * 12 + ["1"] * 20:
        assert client.post(_url(wave), {"E1": value}).status_code == 200
    row = next(r for r in queries.indicator_table(wave, []) if r.code == "E1")
    assert row.result.n == 32 and row.result.share == pytest.approx(12 / 32)

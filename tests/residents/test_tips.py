"""The public tip form: what it says first, the privacy screen, abuse protection, the queue."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from samtrygg.core.models import AuditEntry
from samtrygg.observations.models import Observation
from samtrygg.residents import services
from samtrygg.residents.models import Tip, TipStatus

pytestmark = pytest.mark.django_db

URL = "/p/2034/tips/"


def test_the_form_says_112_and_114_14_first_and_asks_for_no_name(orsa: Any, client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    first = main.index("Pågående brott eller fara: ring 112")
    assert first < main.index("<h1>")
    assert "Anmäla brott eller tipsa om personer: polisen.se eller 114 14" in main
    assert "platser och miljöer" in main
    assert 'name="name"' not in html and "Ditt namn" not in html
    assert "90 dagar efter att tipset stängts" in html
    assert "<script" not in main  # the form itself needs no script


def test_a_tip_is_stored_once_and_the_resident_thanked(
    orsa: Any, client: Any, tip_data: Any
) -> None:
    response = client.post(URL, tip_data)
    assert response.status_code == 302 and response["Location"].endswith("?tack=1")
    tip = Tip.objects.get()
    assert tip.area_id == orsa.place.area_id and tip.status == TipStatus.NEW
    assert "Tack! Ditt tips har kommit in." in client.get(response["Location"]).content.decode()


def test_every_problem_of_a_tip_is_said_at_once_and_what_was_typed_is_kept(
    orsa: Any, client: Any, tip_data: Any
) -> None:
    text = "Det är mörkt vid busstationen. " * 80
    typed = tip_data | {
        "seen_on": "2030-01-01",
        "description": text,
        "contact_email": "inte-en-epost",
    }
    response = client.post(URL, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<p class="field-error" id="err-seen">Datumet ligger i framtiden.</p>' in page
    assert (
        '<p class="field-error" id="err-description">Texten får vara högst 2000 tecken.</p>' in page
    )
    assert '<p class="field-error" id="err-contact">E-postadressen ser inte ut som' in page
    assert "Säkerställ" not in page and "Fyll i en giltig" not in page
    assert 'name="seen_on" id="id_seen_on" value="2030-01-01"' in page
    assert f">{text}</textarea>" in page and 'value="inte-en-epost"' in page
    assert not Tip.objects.exists()


def test_a_date_that_cannot_be_read_and_no_category_are_said_at_once(
    orsa: Any, client: Any, tip_data: Any
) -> None:
    response = client.post(URL, tip_data | {"category": "", "seen_on": "20/12/2026"})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<p class="field-error" id="err-category">Välj vad tipset gäller.</p>' in page
    assert "Datumet kan inte läsas. Skriv det som ÅÅÅÅ-MM-DD." in page
    # A date field would empty what it cannot read: it comes back as text, as typed.
    assert 'type="text" name="seen_on" id="id_seen_on" value="20/12/2026"' in page
    assert not Tip.objects.exists()


def _all_rows() -> set[str]:
    """Every row of every table, as text (the request's writes are the difference)."""
    rows = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            rows |= {table + ": " + " ".join(str(v) for v in row) for row in cursor.fetchall()}
    return rows


IDENTIFIERS = [
    ("personnummer", "Han på 19121212-1212 slängde skräp här hela tiden."),
    ("telefon", "Ring mig på 070-123 45 67 om lampan vid gångtunneln."),
    ("e-post", "Skriv till kalle.karlsson@exempel.se om belysningen."),
    ("registreringsnummer", "Bilen ABC 123 står parkerad på gångvägen varje kväll."),
    ("namn", "Johan Andersson klottrar på muren vid gångtunneln."),
]


@pytest.mark.parametrize(("kind", "text"), IDENTIFIERS, ids=[k for k, _t in IDENTIFIERS])
def test_identifiers_are_refused_and_nothing_of_them_is_stored_or_logged(
    kind: str, text: str, orsa: Any, client: Any, tip_data: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    before = AuditEntry.objects.count()
    rows_before = _all_rows()
    response = client.post(URL, tip_data | {"description": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ingenting är sparat" in body
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert Tip.objects.count() == 0 and AuditEntry.objects.count() == before
    # No row written by the request holds any part of the identifying words.
    pieces = [word for word in text.replace(",", " ").split() if len(word) >= 5]
    pieces += ["19121212", "070-123", "kalle.karlsson", "ABC 123", "Andersson"]
    needles = [p for p in pieces if p in text]
    written = _all_rows() - rows_before
    for row in written:
        for needle in needles:
            assert needle not in row, f"{row[:80]} holds {needle!r}"
    logged = "\n".join(record.getMessage() for record in caplog.records) + caplog.text
    for needle in needles:
        assert needle not in logged


def test_the_open311_channel_refuses_the_same_way(orsa: Any, client: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": "2034",
            "service_code": "klotter",
            "lat": str(orsa.place.lat),
            "long": str(orsa.place.lon),
            "description": "Han på 19121212-1212 klottrar.",
        },
    )
    assert response.status_code == 400
    assert "personnummer" in response.json()[0]["description"]
    assert Tip.objects.count() == 0
    assert "19121212" not in caplog.text


def test_honeypot_and_a_form_sent_too_fast_are_refused(
    orsa: Any, client: Any, tip_data: Any
) -> None:
    from samtrygg.residents import guard

    response = client.post(URL, tip_data | {"webbplats": "http://spam.example"})
    assert response.status_code == 400 and "lämnas tomt" in response.content.decode()
    response = client.post(URL, tip_data | {"visad": guard.form_token(time.time())})
    assert response.status_code == 400 and "för snabbt" in response.content.decode()
    response = client.post(URL, tip_data | {"visad": "förfalskad"})
    assert response.status_code == 400 and "Ladda om sidan" in response.content.decode()
    assert Tip.objects.count() == 0


def test_a_thousand_tips_in_a_minute_from_one_address(
    orsa: Any, client: Any, tip_data: Any, settings: Any, monkeypatch: Any
) -> None:
    """The excess gets 429 with a Swedish explanation; each accepted tip is stored once."""
    from samtrygg.residents import guard

    settings.RESIDENT_TIPS_PER_ADDRESS = "20/m"
    settings.RESIDENT_TIPS_TOTAL = "600/m"
    # The throttle's clock stays inside one minute's window, however long the run takes.
    minute = int(time.time() // 60) * 60 + 1.0
    monkeypatch.setattr(guard, "_now", lambda: minute)
    tip_data = tip_data | {"visad": guard.form_token(minute - 60)}
    started = time.monotonic()
    statuses: list[int] = []
    for number in range(1000):
        data = tip_data | {"description": f"Trasig lampa vid gångtunneln, tips {number}."}
        response = client.post(URL, data, REMOTE_ADDR="203.0.113.7")
        statuses.append(response.status_code)
        if response.status_code == 429 and statuses.count(429) == 1:
            body = response.content.decode()
            assert "Du har skickat många tips på kort tid" in body
            assert int(response["Retry-After"]) > 0
    elapsed = time.monotonic() - started
    accepted = statuses.count(302)
    assert accepted == 20 and statuses.count(429) == 980
    assert elapsed < 60
    texts = list(Tip.objects.values_list("description", flat=True))
    assert len(texts) == accepted == len(set(texts))
    assert sorted(int(t.rsplit(" ", 1)[1].rstrip(".")) for t in texts) == list(range(20))
    # another address is still welcome
    assert client.post(URL, tip_data, REMOTE_ADDR="203.0.113.8").status_code == 302
    print(f"1000 tips from one address: {elapsed:.1f} s, {accepted} accepted")


def test_the_total_limit_holds_across_addresses(
    orsa: Any, client: Any, tip_data: Any, settings: Any, monkeypatch: Any
) -> None:
    from samtrygg.residents import guard

    settings.RESIDENT_TIPS_TOTAL = "3/h"
    hour = int(time.time() // 3600) * 3600 + 1.0
    monkeypatch.setattr(guard, "_now", lambda: hour)
    tip_data = tip_data | {"visad": guard.form_token(hour - 60)}
    codes = [
        client.post(URL, tip_data, REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert (
        "ovanligt många tips"
        in client.post(URL, tip_data, REMOTE_ADDR="198.51.100.9").content.decode()
    )


def _tip(orsa: Any, email: str = "") -> Tip:
    return services.submit_tip(
        orsa.partnership,
        services.TipInput(
            category="otrygg-plats",
            place_kind="karta",
            lat=orsa.place.lat,
            lon=orsa.place.lon,
            description="Lampan i gångtunneln är trasig, det är helt mörkt.",
            contact_email=email,
        ),
    )


def test_the_queue_converts_a_tip_into_an_observation_at_the_area(
    orsa: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tip = _tip(orsa, email="boende@exempel.se")
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get("/tips/")
    assert page.status_code == 200 and "Lampan i gångtunneln" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/tips/{tip.pk}/",
            {
                "action": "convert",
                "category": str(tip.category_id),
                "occurred_on": str(timezone.localdate()),
                "time_band": "kvall",
                "assessment": "2",
                "description": tip.description,
            },
        )
    assert response.status_code == 302
    tip.refresh_from_db()
    observation = Observation.objects.get()
    assert tip.status == TipStatus.CONVERTED and tip.observation == observation
    assert observation.source == "boende" and observation.location_precision == "delomrade"
    assert observation.area_id == orsa.area.pk
    assert (observation.lat, observation.lon) != (tip.lat, tip.lon)
    assert observation.report.channel == "tips"
    assert tip.contact_delete_after is not None
    assert (tip.contact_delete_after - tip.handled_at).days == 90
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["boende@exempel.se"]
    assert "rapport" in mail.outbox[0].body
    # handled once only
    again = client.post(f"/tips/{tip.pk}/", {"action": "close", "reason": "Igen."})
    assert again.status_code == 400 and "redan hanterat" in again.content.decode()


def test_forward_needs_a_target_and_records_it(
    orsa: Any, login: Any, actor_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tip = _tip(orsa)
    client = login(orsa.user("samordnare"), orsa.partnership)
    refused = client.post(f"/tips/{tip.pk}/", {"action": "forward", "note": ""})
    assert refused.status_code == 400 and "felanmälans e-postadress" in refused.content.decode()
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    services.update_settings(
        actor,
        fault_report_name="Orsa kommuns felanmälan",
        fault_report_email="felanmalan@orsa.example",
        contact_days=30,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tips/{tip.pk}/", {"action": "forward", "note": ""})
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.FORWARDED and "felanmalan@orsa.example" in tip.forwarded_to
    assert mail.outbox[0].to == ["felanmalan@orsa.example"]
    assert "Lampan i gångtunneln" in mail.outbox[0].body


def test_close_with_a_reason_mails_the_tipster_and_the_address_is_deleted_later(
    orsa: Any, actor_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tip = _tip(orsa, email="svar@exempel.se")
    actor = actor_of(orsa.user("kommunpolis"), orsa.partnership)
    with pytest.raises(services.DomainError):
        services.close_tip(actor, tip, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.close_tip(actor, tip, reason="Belysningen är redan lagad.")
    assert "Belysningen är redan lagad." in mail.outbox[0].body
    tip.refresh_from_db()
    assert services.delete_expired_contacts(timezone.now()) == 0
    assert services.delete_expired_contacts(timezone.now() + dt.timedelta(days=91)) == 1
    tip.refresh_from_db()
    assert tip.contact_email == ""
    assert "svar@exempel.se" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_tips_older_than_seven_days_are_flagged(orsa: Any, login: Any) -> None:
    old = _tip(orsa)
    Tip.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    _tip(orsa)
    client = login(orsa.user("samordnare"), orsa.partnership)
    html = client.get("/tips/").content.decode()
    assert "1 tips har väntat mer än 7 dagar." in html
    assert html.count("väntat över 7 dagar") == 1


def test_the_queue_is_for_coordinators(orsa: Any, login: Any, client: Any) -> None:
    tip = _tip(orsa)
    assert (
        login(orsa.user("rapportor"), orsa.partnership).get(f"/tips/{tip.pk}/").status_code == 403
    )
    client.logout()
    assert client.get("/tips/").status_code == 302


def test_unknown_kommun_is_404(client: Any, orsa: Any) -> None:
    assert client.get("/p/9999/tips/").status_code == 404
    assert client.get("/p/abcd/fakta/").status_code == 404

"""The privacy screen on names without a cue, disguised identifiers, user names and
lägenhetsnummer (issue 26): exact findings, positions in the user's own text, the name list,
and the false-refusal rate on every real police event summary."""

from __future__ import annotations

import json
import os
import runpy
import time
from collections.abc import Iterator
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.utils import translation

if not settings.configured:
    settings.configure(USE_I18N=True, LANGUAGE_CODE="sv")
    django.setup()

from samtrygg.core import privacy
from samtrygg.core.privacy import (
    APARTMENT,
    EMAIL,
    HANDLE,
    NAME,
    PERSONNUMMER,
    PHONE,
    REGISTRATION_NUMBER,
    SAMORDNINGSNUMMER,
    Finding,
    PrivacyRefusal,
    ensure_clean,
    refusal_message,
    screen,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _swedish() -> Iterator[None]:
    with translation.override("sv"):
        yield


def _found(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, text[finding.start : finding.end]) for finding in screen(text)]


# --- the name list ----------------------------------------------------------------------------


def test_the_name_list_is_what_the_script_makes_from_faker() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "person_names.py"))
    path = ROOT / "samtrygg" / "core" / "reference" / "person_names.txt"
    assert path.read_text(encoding="utf-8") == script["render"](), (
        "run .venv/bin/python scripts/person_names.py"
    )


def test_the_name_list_holds_common_names_and_no_place_words() -> None:
    assert len(privacy.FIRST_NAMES) >= 900 and len(privacy.SURNAMES) >= 500
    assert {"Kalle", "Anna", "Mohammed", "Fatima", "Britt-Marie"} <= privacy.FIRST_NAMES
    assert {"Andersson", "Lindqvist", "Hassan", "Yilmaz"} - privacy.SURNAMES == {"Yilmaz"}
    assert not {"Gatan", "Vägen", "Torget", "Polisen"} & (privacy.FIRST_NAMES | privacy.SURNAMES)


# --- names without a cue ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Kalle Svensson kastade sten.", ["Kalle Svensson"]),
        ("En elev, Sara Lindqvist, hotade personalen.", ["Sara Lindqvist"]),
        ("Fritidsledaren Zeynep Yilmaz såg allt.", ["Zeynep Yilmaz"]),
        ("fritidsledaren Johan Berg såg allt.", ["Johan Berg"]),
        ("Kalle och Lisa Svensson bråkade.", ["Kalle", "Lisa Svensson"]),
        ("Lisa Svensson och Kalle bråkade.", ["Lisa Svensson", "Kalle"]),
        ("K. Svensson och Kalle S. var där.", ["K. Svensson", "Kalle S."]),
        ("Britt-Marie Lind-Svensson skrek.", ["Britt-Marie Lind-Svensson"]),
        ("Kalle, 15, kastade sten.", ["Kalle"]),
        ("Oskar (14) klättrade på taket.", ["Oskar"]),
        ("En elev, K.S., hotade en lärare.", ["K.S."]),
        ("Eleven F E hotade läraren.", ["F E"]),
        ("Igår såg väktaren Anna Maria Ekström vid kiosken.", ["Anna Maria Ekström"]),
        ("HUGO PETTERSSON KASTADE STEN.", ["HUGO PETTERSSON"]),
        ("Kevin sprang från kiosken.", ["Kevin"]),
    ],
)
def test_names_without_a_cue(text: str, names: list[str]) -> None:
    assert _found(text) == [(NAME, name) for name in names]


@pytest.mark.parametrize(
    "text",
    [
        "Olof Palmes gata",
        "Drottning Kristinas väg",
        "Birger Jarlsgatan",
        "Sankt Eriks torg",
        "Carl Larsson-gården",
        "Zornmuseet",
        "Astrid Lindgrens Värld",
        "Vid Sankt Jörgens Kapell blev en cyklist påkörd.",
        "Kalle Svenssons Bil AB",
        "Café Petersson",
        "Clas Ohlson",
        "Einar Mattsson har bytt lås.",
        "Kalle var där igen.",  # a first name alone, without a role, an age or an action
        "Sten kastades mot bussen.",
        "Per person blev det 200 kr.",
        "Maj var lugn.",
        "Karl XI:s väg",
    ],
)
def test_places_businesses_and_lone_words_pass(text: str) -> None:
    assert screen(text) == []


# --- disguised identifiers keep the user's positions ------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Pnr 8103\u200b13-6662 angavs.", PERSONNUMMER, "8103\u200b13-6662"),
        ("Pnr ８１０３１３－６６６２ angavs.", PERSONNUMMER, "８１０３１３－６６６２"),
        (
            "Pnr \u0668\u0661\u0660\u0663\u0661\u0663-\u0666\u0666\u0666\u0662.",
            PERSONNUMMER,
            "\u0668\u0661\u0660\u0663\u0661\u0663-\u0666\u0666\u0666\u0662",
        ),
        ("Pnr 810313\u20106662.", PERSONNUMMER, "810313\u20106662"),
        ("Pnr 810313\u2009-\u20096662.", PERSONNUMMER, "810313\u2009-\u20096662"),
        ("Pnr 19810313 6662.", PERSONNUMMER, "19810313 6662"),
        ("Pnr 810313/6662.", PERSONNUMMER, "810313/6662"),
        ("Id 751274\u00ad-3670.", SAMORDNINGSNUMMER, "751274\u00ad-3670"),
        ("Ring 070.123.45.67 nu.", PHONE, "070.123.45.67"),
        ("Ring   070  123 45 67 nu.", PHONE, "070  123 45 67"),
        ("Mejla k\u200balle@exempel.se nu.", EMAIL, "k\u200balle@exempel.se"),
        ("Mejla kalle＠exempel.se nu.", EMAIL, "kalle＠exempel.se"),
        ("Mejla kalle at exempel dot se nu.", EMAIL, "kalle at exempel dot se"),
        ("Bilen \u0410\u0412\u0421 123 stod där.", REGISTRATION_NUMBER, "\u0410\u0412\u0421 123"),
        ("Bilen a\u0300bc 123 och abc 123.", REGISTRATION_NUMBER, "abc 123"),
        ("Killen he\u200bter Marcus.", NAME, "Marcus"),
    ],
)
def test_disguised_identifiers_are_found_where_the_user_wrote_them(
    text: str, kind: str, expected: str
) -> None:
    assert _found(text) == [(kind, expected)]


def test_the_message_gives_positions_in_the_users_text() -> None:
    text = "Ring \u200b\u200b070\u200b-123 45 67."
    findings = screen(text)
    assert findings == [Finding(PHONE, 7, len(text) - 1)]
    assert "telefonnummer (tecken 8–21)" in refusal_message(findings)


def test_a_twelve_digit_number_with_a_space_is_a_date_and_time_when_recent() -> None:
    assert screen("Loggat 20240512 2230") == []
    assert _found("Pnr 19810313 6662") == [(PERSONNUMMER, "19810313 6662")]


def test_dotted_clock_times_and_dates_are_no_phone_numbers() -> None:
    assert screen("Öppet 08.00–17.00 och 08.30-12.00, händelsen 05.12.2024.") == []


# --- user names and lägenhetsnummer ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("Hotet kom från @användare_05.", ["@användare_05"]),
        ("På Snapchat heter han kalle_05.", ["kalle_05"]),
        ("Användarnamn: dk_boss12", ["dk_boss12"]),
        ("Instagramkontot sara.l.2008 lade upp filmen.", ["sara.l.2008"]),
        ("Hen finns på Instagram som lisa_andersson_99.", ["lisa_andersson_99"]),
    ],
)
def test_user_names(text: str, handles: list[str]) -> None:
    assert _found(text) == [(HANDLE, handle) for handle in handles]


@pytest.mark.parametrize(
    "text",
    [
        "Följ @polisen_orsa på Instagram.",
        "Ryktet spreds på Snapchat.",
        "Mejla kalle@exempel.se",  # an e-mail address, not a user name
    ],
)
def test_public_accounts_and_apps_alone_are_no_user_names(text: str) -> None:
    assert HANDLE not in {finding.kind for finding in screen(text)}


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Störningar från lgh 1204.", ["lgh 1204"]),
        ("Lgh 1102 och 1103 klagar.", ["Lgh 1102", "1103"]),
        ("Lägenhetsnummer 1201 på plan 2.", ["Lägenhetsnummer 1201"]),
        ("Bråk i lägenhet nr 1203/1303.", ["lägenhet nr 1203", "1303"]),
    ],
)
def test_apartment_numbers(text: str, numbers: list[str]) -> None:
    assert _found(text) == [(APARTMENT, number) for number in numbers]


@pytest.mark.parametrize(
    "text", ["Lgh 123 klagar.", "Brand i en lägenhet 2024.", "Lägenheterna 2020–2022."]
)
def test_short_numbers_and_years_are_no_apartment_numbers(text: str) -> None:
    assert screen(text) == []


@pytest.mark.parametrize(
    ("kind", "label", "advice"),
    [
        (HANDLE, "användarnamn i sociala medier", "ett konto i sociala medier"),
        (APARTMENT, "lägenhetsnummer", "en lägenhet i trappuppgång B"),
    ],
)
def test_message_for_the_new_kinds(kind: str, label: str, advice: str) -> None:
    message = refusal_message([Finding(kind, 4, 12)])
    assert f"{label} (tecken 5–12)" in message
    assert advice in message


def test_ensure_clean_refuses_the_new_kinds_without_repeating_them() -> None:
    text = "Kalle Svensson i lgh 1204 skriver som @kalle_05."
    with pytest.raises(PrivacyRefusal) as raised:
        ensure_clean(text, field="description")
    assert [finding.kind for finding in raised.value.findings] == [NAME, APARTMENT, HANDLE]
    for part in ("Kalle", "Svensson", "1204", "kalle_05"):
        assert part not in raised.value.message


# --- speed beside the screen it replaced --------------------------------------------------------


def _cpu_seconds(screen_text: object, texts: list[str]) -> float:
    assert callable(screen_text)
    rounds = []
    for _ in range(5):
        started = time.process_time()
        for text in texts:
            screen_text(text)
        rounds.append(time.process_time() - started)
    return min(rounds)


def test_the_screen_is_not_much_slower_than_the_one_it_replaced() -> None:
    from benchmarks import privacy_reference
    from tests.core.test_privacy import TYPICAL_REPORT

    texts = [TYPICAL_REPORT, *(line.split(" | ", 1)[1] for line in _clean_lines())] * 3
    old = _cpu_seconds(privacy_reference.screen, texts)
    new = _cpu_seconds(screen, texts)
    assert new < 3 * old, (new, old)


def _clean_lines() -> list[str]:
    path = Path(__file__).with_name("privacy_cases.txt")
    return [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("- |")
    ]


# --- real police event summaries ---------------------------------------------------------------


def _police_summaries() -> list[str]:
    configured = os.environ.get("SAMTRYGG_DATA_DIR")
    folder = (Path(configured) if configured else ROOT.parent / "shared" / "data") / "police_events"
    files = sorted(folder.glob("events_*.jsonl"))
    if not files:
        pytest.skip(f"no police events in {folder} (set SAMTRYGG_DATA_DIR)")
    summaries = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            summaries.extend(json.loads(line)["summary"] for line in handle if line.strip())
    return summaries


def test_at_most_half_a_percent_of_real_police_summaries_are_refused() -> None:
    summaries = _police_summaries()
    assert len(summaries) > 10_000
    refused = sum(bool(screen(summary)) for summary in summaries)
    assert refused / len(summaries) <= 0.005, refused

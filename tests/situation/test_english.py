"""The lägesbild, the meeting agenda and the job log in English (the language switch), and the
Swedish counts in the singular (``1 händelse``): words from codes and numbers, never from the
engine's Swedish texts."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation

from samtrygg.analysis.binning import period_label_sv
from samtrygg.analysis.change import compare_to_baseline
from samtrygg.analysis.levels import Level, suggest_levels
from samtrygg.analysis.picture import Period, compute_picture
from samtrygg.situation import wording
from tests.situation.data import busy_weeks

YEAR, WEEK = 2025, 20
PERIOD = Period.week(YEAR, WEEK)
SWEDISH = re.compile(r"\b(vecka|händelser?|delområde|normalt|vanligt|heta?|punkt(er)?|grön|röd)\b")


def _visible(fragment: str) -> str:
    """The text of an HTML fragment (tags and the JSON of the chart specifications removed)."""
    fragment = re.sub(r"<script.*?</script>", " ", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


# --- words from codes, without Django's database ----------------------------------------------


@pytest.mark.parametrize(
    ("period", "english"),
    [
        (Period.week(2026, 49), "week 49 2026"),
        (Period.month(2025, 11), "November 2025"),
        (Period.tertial(2025, 3), "T3 2025"),
        (Period.year(2025), "2025"),
    ],
)
def test_period_labels_in_both_languages(period: Period, english: str) -> None:
    with translation.override("sv"):
        assert wording.period_text(period.unit, period.index) == period.label_sv
        assert wording.label_text(period.label) == period.label_sv
    with translation.override("en"):
        assert wording.period_text(period.unit, period.index) == english
        assert wording.label_text(period.label) == english


def _areas(observed: list[int], baseline: list[list[int]], hot: Any, growing: Any) -> Any:
    change = compare_to_baseline(np.asarray(observed), np.asarray(baseline))
    return change, suggest_levels(change, hot, growing)


CASES = [
    # one event, no hot-spot data at all; a small number
    ([1, 30, 0], [[1, 1, 2], [20, 22, 19], [0, 0, 0]], None, None),
    # hot spots and growing ones, one of each and several
    ([1, 60, 7], [[1, 1, 2], [20, 22, 19], [5, 6, 7]], [1, 3, 0], [1, 2, 0]),
    ([1234, 0, 5], [[1000, 1100, 1050], [1, 0, 2], [5, 5, 5]], [0, 0, 0], [0, 0, 0]),
]


@pytest.mark.parametrize(("observed", "baseline", "hot", "growing"), CASES)
def test_the_area_sentence_is_worded_from_the_codes_in_swedish_and_in_english(
    observed: list[int], baseline: list[list[int]], hot: Any, growing: Any
) -> None:
    change, levels = _areas(observed, baseline, hot, growing)
    for a in range(len(observed)):
        area = {
            "count": int(change.observed[a]),
            "expected": round(float(change.expected[a]), 1),
            "verdict": int(change.verdict[a]),
            "hot_cells": 0 if hot is None else hot[a],
            "growing_cells": 0 if growing is None else growing[a],
            "reason_keys": list(levels.reason_keys[a]),
            "cells_analysed": hot is not None,
            "min_count": 5,
            "suggested": {"level": int(levels.level[a]), "trend": int(levels.trend[a])},
        }
        with translation.override("sv"):
            # the level, its meaning and arrow, the numbers, and what the arrow rests on
            swedish = wording.area_sentence(area)
            level = wording.LEVEL_TEXT[Level(int(levels.level[a]))]
            assert swedish.startswith(str(level).capitalize() + " (")
            assert swedish.split(": ", 1)[0][-1] in "↑→↓"
            assert swedish.count(".") >= 2 and swedish.endswith(".")
        with translation.override("en"):
            english = wording.area_sentence(area)
        assert not SWEDISH.search(english), english
        assert english.endswith(".") and "(" in english
        if area["count"] == 1:
            assert "1 händelse " in swedish and "1 event " in english
        if area["count"] == 1234:
            assert "1 234 händelser" in swedish and "1,234 events" in english
        if "small_numbers" in area["reason_keys"]:
            assert "(färre än 5)" in swedish


def test_one_event_is_worded_in_the_singular() -> None:
    change = compare_to_baseline(np.asarray([1, 2]), np.asarray([[1, 2, 1], [2, 2, 3]]))
    levels = suggest_levels(change)
    with translation.override("sv"):
        for a, words in ((0, "1 händelse mot normalt"), (1, "2 händelser mot normalt")):
            area = {
                "count": int(change.observed[a]),
                "expected": float(change.expected[a]),
                "verdict": int(change.verdict[a]),
                "reason_keys": list(levels.reason_keys[a]),
                "suggested": {"level": int(levels.level[a]), "trend": int(levels.trend[a])},
            }
            assert wording.area_sentence(area).split(": ", 1)[1].startswith(words)


def test_the_engines_notes_in_both_languages() -> None:
    week = Period.week(2025, 3)
    start = week.start
    times = np.asarray([start + 3600, start + 7200, start + 7300])
    picture = compute_picture(
        times,
        np.zeros(3, dtype=np.int32),
        period=week,
        n_categories=1,
        areas=np.asarray([0, -1, 0]),
        cells=np.asarray([0, 0, 0]),
        n_areas=1,
    )
    # The engine gives codes and numbers (snapshot version 2); the words are made here.
    notes = [note.as_dict() for note in picture.notes]
    assert {"code": "outside_areas", "params": {"n": 1}} in notes
    assert {"code": "no_point", "params": {"n": 3}} in notes
    with translation.override("sv"):
        swedish = [wording.note_text(n) for n in notes]
    assert "1 händelse låg utanför alla områden och räknas inte per område." in swedish
    assert any(n.startswith("3 händelser saknar en plats") for n in swedish)
    # A version 1 snapshot stored the Swedish sentences: they are still shown, and worded.
    left_out = f"Jämförelseperioder före datastart är utelämnade: {period_label_sv(2872, 'week')}."
    with translation.override("sv"):
        assert [wording.note_text(n) for n in [*swedish, left_out]] == [*swedish, left_out]
    with translation.override("en"):
        english = [wording.note_text(n) for n in [*notes, *swedish, left_out]]
    for note in english:
        assert not SWEDISH.search(note) and "datastart" not in note, note
    assert "1 event was outside every sub-area" in " ".join(english)


# --- the page, the snapshot, the agenda -------------------------------------------------------


def english(client: Any) -> Any:
    """Switch the client to English with the project's language switch."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_the_live_pictures_charts_are_english(orsa: Any, login: Any) -> None:
    busy_weeks(orsa, YEAR, WEEK)
    client = english(login(orsa.user("samordnare"), orsa.partnership))
    page = client.get(reverse("situation-current"), {"period": PERIOD.label}).content.decode()
    charts = page[page.index('<section class="chart-block"') : page.rindex("</section>")]
    text = _visible(charts)
    assert "Events per sub-area against normal" in text and "Hot times" in text
    assert "Mon" in text and f"week {WEEK} {YEAR}" in text
    assert not SWEDISH.search(text), SWEDISH.search(text)
    specs = " ".join(re.findall(r"<script[^>]*application/json[^>]*>(.*?)</script>", charts))
    assert "Händelser per delområde" not in specs and '"Antal"' not in specs
    assert "Events per sub-area against normal" in specs

    swedish = login(orsa.user("samordnare"), orsa.partnership)
    swedish.post(reverse("set_language"), {"language": "sv", "next": "/"})
    page = swedish.get(reverse("situation-current"), {"period": PERIOD.label}).content.decode()
    assert "Händelser per delområde mot normalt" in page and f"vecka {WEEK} {YEAR}" in page


@pytest.mark.django_db
def test_the_pictures_heading_and_areas_are_english(orsa: Any, login: Any, actor_of: Any) -> None:
    from samtrygg.situation import services

    busy_weeks(orsa, YEAR, WEEK)
    with translation.override("sv"):
        picture = services.draft(actor_of(orsa.user("samordnare"), orsa.partnership), PERIOD)
    client = english(login(orsa.user("samordnare"), orsa.partnership))
    for url, query in (
        (reverse("situation-current"), {"period": PERIOD.label}),
        (reverse("situation-detail", args=[picture.pk]), {}),
    ):
        page = client.get(url, query).content.decode()
        heading = _visible(re.search(r"<h1>.*?</h1>", page, re.S).group(0))
        assert f"week {WEEK} {YEAR}" in heading and "vecka" not in heading
        cards = _visible(
            "".join(re.findall(r'<article class="card area-card".*?</article>', page, re.S))
        )
        assert cards and not SWEDISH.search(cards.replace(orsa.area.name, "")), cards


@pytest.mark.django_db
def test_a_snapshot_in_english_for_display_and_unchanged(orsa: Any) -> None:
    from samtrygg.situation.pictures import compute_snapshot

    busy_weeks(orsa, YEAR, WEEK)
    with translation.override("sv"):
        data = compute_snapshot(orsa.partnership, PERIOD)
    stored = repr(data)
    with translation.override("en"):
        shown = wording.localize(data)
    assert repr(data) == stored
    assert shown["period"]["label_text"] == f"week {WEEK} {YEAR}"
    area = shown["areas"][0]
    for text in (area["sentence"], area["verdict_text"], area["suggested"]["level_text"]):
        assert not SWEDISH.search(text), text
    assert "sentence" not in data["areas"][0]  # stored as codes, worded when shown
    assert shown["charts"]["areas"]["title"] == "Events per sub-area against normal"
    assert all(h["day"].endswith("day") for h in shown["hot_times"]["top"])
    assert all(not SWEDISH.search(n) for n in shown["notes"])
    with translation.override("sv"):
        again = wording.localize(data)
    assert all(
        a["sentence"].endswith(" ↑: fler händelser än vanligt.")
        and a["sentence"].startswith(
            str(wording.LEVEL_TEXT[Level(a["suggested"]["level"])]).capitalize()
        )
        for a in again["areas"]
    )
    assert again["period"]["label_text"] == data["period"]["label_sv"]
    assert [c["title"] for c in again["charts"].values()] == [
        c["title"] for c in data["charts"].values()
    ]


def _snapshot(spots: list[dict[str, Any]]) -> dict[str, Any]:
    area = {
        "name": "Centrum",
        "count": 1,
        "expected": 0.4,
        "verdict": 0,
        "hot_cells": 1,
        "growing_cells": 0,
        "reason_keys": ["change_usual", "hot_spot", "small_numbers"],
        "sentence": "Gul (förhöjt) →: 1 händelse mot normalt 0,4 (som vanligt), 1 het punkt och "
        "för få händelser för en säker bedömning (färre än 5).",
        "suggested": {"level": 1, "trend": 0, "level_key": "yellow"},
    }
    return {"areas": [area], "hotspots": spots, "new_hotspots": spots}


def _spot(count: int, area: str = "Centrum") -> dict[str, Any]:
    return {
        "area": area,
        "count": count,
        "bin": 1,
        "pattern": 1,
        "pattern_text": "ny het punkt",
        "emerging": count == 0,
    }


@pytest.mark.django_db
def test_the_agenda_leaves_out_hot_spots_without_events_and_speaks_english(
    orsa: Any, actor_of: Any, monkeypatch: Any
) -> None:
    from samtrygg.actions.agenda import build_agenda
    from samtrygg.situation import agenda

    # Gi* counts a cell's neighbours: a cell with no event of its own beside a busy one tests
    # as a (new) hot spot. It was listed as "Ny het punkt i Centrum (0 händelser vecka 48)".
    snapshot = _snapshot([_spot(0), _spot(1), _spot(0, "")])
    monkeypatch.setattr(agenda, "cached_snapshot", lambda *args, **kwargs: snapshot)
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    day = dt.date(2026, 11, 24)
    with translation.override("sv"):
        items = build_agenda(actor, day)
    source, *points = items
    assert source["kind"] == "source"
    assert "ingen lägesbild är antagen för mötets vecka eller veckan före" in source["text"]
    texts = [i["text"] for i in points]
    assert texts == [
        "Centrum: gul – " + snapshot["areas"][0]["sentence"] + " →: ingen tydlig förändring.",
        "Ny het punkt i Centrum (1 händelse vecka 48 2026)",
    ]
    with translation.override("en"):
        items = build_agenda(actor, day)
    english = " ".join(i["text"] for i in items if i["kind"] != "source")
    assert "no situation picture has been adopted" in items[0]["text"]
    assert "New hot spot in Centrum (1 event in week 48 2026)" in english
    assert english.startswith("Centrum: yellow – Yellow (elevated) →: 1 event against")
    assert not SWEDISH.search(english.replace("Centrum", "")), english


# --- the job log ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_job_messages_follow_the_language_the_job_was_queued_in(eager: Any) -> None:
    from samtrygg.core import jobs
    from samtrygg.core.models import JobRun
    from samtrygg.core.tasks import ping

    with translation.override("en"):
        result = ping.delay()
    assert JobRun.objects.get(task_id=result.id).message == "The worker responds."
    # Through a worker: the language travels in a message header.
    headers: dict[str, Any] = {"id": "task-en", "task": "samtrygg.core.ping"}
    with translation.override("en"):
        jobs._on_publish(sender="samtrygg.core.ping", headers=headers, body=((), {}, {}))
    assert headers[jobs.LANGUAGE_HEADER] == "en"
    with translation.override("sv"):
        result = ping.apply(headers={jobs.LANGUAGE_HEADER: "en"})
        assert result.get() == "The worker responds."
        for _time in range(2):
            ping.apply(kwargs={"idempotency_key": "ping-en"}, headers={jobs.LANGUAGE_HEADER: "en"})
        assert ping.apply().get() == "Arbetaren svarar."
    runs = JobRun.objects.filter(idempotency_key="ping-en")
    messages = list(runs.values_list("message", flat=True))
    assert "Already done earlier with the same key; nothing was run again." in messages


@pytest.mark.django_db
def test_a_meeting_made_in_english_is_stored_in_swedish(
    orsa: Any, actor_of: Any, monkeypatch: Any
) -> None:
    """The agenda and the default title are stored with the meeting and read by everyone:
    they are written in the site's language whatever the coordinator's."""
    from samtrygg.actions import services as action_services
    from samtrygg.situation import agenda

    snapshot = _snapshot([_spot(1)])
    monkeypatch.setattr(agenda, "cached_snapshot", lambda *args, **kwargs: snapshot)
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    day = dt.date(2026, 11, 24)
    with translation.override("en"):
        meeting = action_services.create_meeting(actor, held_on=day)
        regenerated = action_services.regenerate_agenda(actor, meeting)
    assert meeting.title.endswith("vecka 48 2026")
    for stored in (meeting.agenda, regenerated.agenda):
        texts = [i["text"] for i in stored]
        assert "Ny het punkt i Centrum (1 händelse vecka 48 2026)" in texts

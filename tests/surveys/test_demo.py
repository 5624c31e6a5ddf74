"""The Orsa survey demo: two waves, one delområde under 30, published figures, dialogues;
deterministic and idempotent."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest

from samtrygg.surveys import demo_data, queries
from samtrygg.surveys.models import Dialogue, PublishedFigure, Response, Wave

pytestmark = pytest.mark.django_db


def test_the_generated_file_is_the_same_every_time() -> None:
    first = demo_data.wave_csv(np.random.default_rng(demo_data.SEED), 0)
    again = demo_data.wave_csv(np.random.default_rng(demo_data.SEED), 0)
    assert first == again
    assert first.splitlines()[0].endswith(",kon,alder,weight")


def test_demo_loads_once_with_an_area_under_thirty(db: Any) -> None:
    from samtrygg.core.demo import DEMO_LOADERS, load_demo

    assert demo_data.load_demo_surveys in DEMO_LOADERS
    partnerships = load_demo()
    demo_data.load_demo_surveys(partnerships, io.StringIO())
    orsa = next(p for p in partnerships if p.municipality_id == "2034")
    waves = Wave.objects.filter(partnership=orsa).order_by("year")
    assert waves.count() == 2 and all(w.is_demo and w.sample == "random" for w in waves)
    assert Response.objects.filter(wave__partnership=orsa).count() == 2 * 578
    rows = queries.indicator_table(waves[1])
    t1 = {row.area: row for row in rows if row.code == "T1"}
    assert t1["Grönklitt"].result.suppressed
    assert all(not t1[name].result.suppressed for name in ("Centrum", "Norra Orsa", "Hansjö"))
    assert t1["Centrum"].comparison is not None
    assert PublishedFigure.objects.filter(partnership=orsa, source="polisens-index").count() == 4
    assert Dialogue.objects.filter(partnership=orsa, is_demo=True).count() == 2
    before = Response.objects.count()
    demo_data.load_demo_surveys(load_demo(), io.StringIO())
    assert Response.objects.count() == before

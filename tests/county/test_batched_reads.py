"""The county pages read the statutory and agreement entries of every kommun at once.

What the batched reads give must equal what each partnership's own reads give (the statutory
app's compliance page and the promises app's validity), for partnerships in every state; and
the queries of the matrix must not grow with the number of kommuner.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samtrygg.core.models import Municipality, Organisation, Partnership, PoliceArea
from samtrygg.county import queries, records
from samtrygg.county.scope import county_scope
from samtrygg.promises import queries as promise_queries
from samtrygg.statutory import compliance

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _partnership(code: str) -> Partnership:
    lpo, _ = PoliceArea.objects.get_or_create(name="LPO Prov", defaults={"region": "mitt"})
    return Partnership.objects.create(
        municipality_id=code, police_area=lpo, name=f"Samverkan {code}"
    )


def _decision(partnership: Partnership, subject: Any, day: dt.date, body: str) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from samtrygg.statutory.models import Decision, DecisionBody

    organ, _ = DecisionBody.objects.get_or_create(
        partnership=partnership, name=body, defaults={"kind": "kommunstyrelse"}
    )
    return Decision.objects.create(
        partnership=partnership,
        subject_type=ContentType.objects.get_for_model(type(subject)),
        subject_id=subject.pk,
        body=organ,
        date=day,
        reference=f"§ {day.day}",
        outcome="godkant",
    )


def _report(partnership: Partnership, year: int, **fields: Any) -> Any:
    from samtrygg.statutory.models import StatutoryReport

    fields.setdefault("status", "antagen")
    return StatutoryReport.objects.create(
        partnership=partnership,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        **fields,
    )


def _plan(partnership: Partnership, follow_ups: list[dt.date]) -> Any:
    """A plan item answering a problem, with an action and a category, followed up on
    ``follow_ups``."""
    from samtrygg.actions.models import Action
    from samtrygg.observations.models import Category
    from samtrygg.statutory.models import ActionPlanItem, PlanFollowUp, Problem

    organisation, _ = Organisation.objects.get_or_create(
        partnership=partnership, name="Kommunen", defaults={"type": "kommunforvaltning"}
    )
    problem = Problem.objects.create(
        partnership=partnership,
        title="Kvällar i centrum",
        period_start=dt.date(TODAY.year - 1, 1, 1),
        period_end=dt.date(TODAY.year - 1, 12, 31),
    )
    category = Category.objects.filter(partnership=partnership).first()
    if category is not None:
        problem.categories.add(category)
    item = ActionPlanItem.objects.create(
        partnership=partnership,
        problem=problem,
        title="Vuxennärvaro",
        goal_type="prestationsmal",
        indicator="Kvällar",
        target="40",
        target_date=TODAY + dt.timedelta(days=200),
        responsible=organisation,
        follow_up_when=TODAY + dt.timedelta(days=100),
    )
    action = Action.objects.filter(partnership=partnership).first()
    if action is not None:
        item.actions.add(action)
    for day in follow_ups:
        PlanFollowUp.objects.create(item=item, date=day, outcome="delvis")
    return item


def _signed(model: Any, partnership: Partnership, start: dt.date, end: dt.date, **kw: Any) -> Any:
    """An agreement or promise over start–end, signed by the parties named in ``signers``
    (every party when not given)."""
    from samtrygg.promises.models import Signature

    signers = kw.pop("signers", None)
    document = model.objects.create(
        partnership=partnership, title="Dokument", starts_on=start, ends_on=end, **kw
    )
    for party in document.party_keys() if signers is None else signers:
        field = "agreement" if model.__name__ == "CooperationAgreement" else "promise"
        Signature.objects.create(
            **{field: document},
            party=party,
            name=f"Namn {party}",
            title="Ordförande",
            signed_on=start,
        )
    return document


def _follow_up(promise: Any, adopted_at: dt.datetime | None) -> Any:
    from samtrygg.promises.models import FollowUp

    return FollowUp.objects.create(
        partnership=promise.partnership,
        promise=promise,
        period_start=promise.starts_on,
        period_end=promise.ends_on,
        adopted_at=adopted_at,
    )


def _full(partnership: Partnership) -> None:
    """Everything the matrix shows: a decided plan followed up, a samordningsfunktion, a valid
    agreement and promise with a published follow-up."""
    from samtrygg.promises.models import CitizenPromise, CooperationAgreement, FocusArea
    from samtrygg.statutory.models import CoordinationFunction

    _plan(partnership, [TODAY - dt.timedelta(days=40)])
    report = _report(partnership, TODAY.year - 1, plan_items=1)
    report.decided_on = TODAY - dt.timedelta(days=100)
    report.decision = _decision(partnership, report, report.decided_on, "Kommunstyrelsen")
    report.save()
    function = CoordinationFunction.objects.create(partnership=partnership, unit="Trygghet")
    function.decision = _decision(partnership, function, TODAY - dt.timedelta(days=300), "KS")
    function.save()
    start, end = TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=330)
    agreement = _signed(CooperationAgreement, partnership, start, end)
    promise = _signed(CitizenPromise, partnership, start, end, agreement=agreement)
    FocusArea.objects.create(promise=promise, number=1, title="Trygg  centrumkväll")
    _follow_up(promise, timezone.now() - dt.timedelta(days=3))


def _states() -> list[Partnership]:
    """The demo's two partnerships and one in each further state, in other kommuner."""
    from samtrygg.actions.demo_data import load_demo_actions
    from samtrygg.core.demo import load_demo
    from samtrygg.promises.demo_data import load_demo_promises
    from samtrygg.promises.models import CitizenPromise, CooperationAgreement
    from samtrygg.statutory.demo_data import load_demo_statutory
    from samtrygg.statutory.models import CoordinationFunction, ReviewSettings

    partnerships = load_demo()
    out = io.StringIO()
    load_demo_actions(partnerships, out)
    load_demo_statutory(partnerships, out)
    load_demo_promises(partnerships, out)
    spare = iter(
        Municipality.objects.exclude(code__in=[p.municipality_id for p in partnerships])
        .order_by("code")
        .values_list("code", flat=True)
    )
    made: dict[str, Partnership] = {}

    made["nothing"] = _partnership(next(spare))

    # An adopted lägesbild without a plan or a decision; a later draft and an older adopted
    # version do not count; the review date set by hand has passed.
    p = made["lagesbild"] = _partnership(next(spare))
    _report(p, TODAY.year - 3, decided_on=TODAY - dt.timedelta(days=900))
    _report(p, TODAY.year - 1, decided_on=TODAY - dt.timedelta(days=60))
    _report(p, TODAY.year, status="utkast")
    ReviewSettings.objects.create(partnership=p, next_review=TODAY - dt.timedelta(days=1))

    # Two adopted versions of one period, one without a decision day (where NULL sorts
    # differs between databases); a samordningsfunktion not yet decided.
    p = made["undated"] = _partnership(next(spare))
    _report(p, TODAY.year - 1, decided_on=TODAY - dt.timedelta(days=20), plan_items=2)
    _report(p, TODAY.year - 1, version=2)
    CoordinationFunction.objects.create(partnership=p, unit="Enheten")

    # A decided plan followed up twice and reviewed on a shorter cycle.
    p = made["plan"] = _partnership(next(spare))
    _full(p)
    _plan(p, [TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=10)])
    ReviewSettings.objects.create(partnership=p, mapping_months=6, full_review_months=12)

    # An expired agreement, an unsigned promise in force, a promise waiting for a third
    # party, one still to come, and two signed promises in force (the later end counts); an
    # unpublished follow-up after a published one.
    p = made["agreements"] = _partnership(next(spare))
    year_ago = TODAY - dt.timedelta(days=400)
    _signed(CooperationAgreement, p, year_ago, TODAY - dt.timedelta(days=1))
    _signed(CitizenPromise, p, year_ago, TODAY + dt.timedelta(days=9), signers=[])
    _signed(
        CitizenPromise,
        p,
        year_ago,
        TODAY + dt.timedelta(days=99),
        other_parties="Bostadsbolaget",
        signers=["kommunen", "polisen"],
    )
    _signed(CitizenPromise, p, TODAY + dt.timedelta(days=5), TODAY + dt.timedelta(days=400))
    first = _signed(CitizenPromise, p, year_ago, TODAY + dt.timedelta(days=30))
    _signed(CitizenPromise, p, year_ago, TODAY + dt.timedelta(days=60))
    _follow_up(first, timezone.now() - dt.timedelta(days=50))
    _follow_up(first, None)

    # Everything expired: the agreement and the promise ended yesterday.
    p = made["expired"] = _partnership(next(spare))
    ended = TODAY - dt.timedelta(days=1)
    promise = _signed(CitizenPromise, p, year_ago, ended)
    _signed(CooperationAgreement, p, year_ago, ended)
    _follow_up(promise, timezone.now() - dt.timedelta(days=200))

    return [*partnerships, *made.values()]


@pytest.mark.parametrize(
    "today",
    [None, dt.date(2024, 1, 15), TODAY + dt.timedelta(days=800)],
    ids=["today", "before-the-deadline", "years-later"],
)
def test_batched_reads_equal_each_partnerships_own(today: dt.date | None) -> None:
    partnerships = _states()
    obligations = compliance.obligations_for(partnerships, today)
    statutory = records.statutory_entries_for(partnerships, today)
    validity = promise_queries.validity_for(partnerships)
    promise_entries = records.promise_entries_for(partnerships)
    themes = records.themes_for(partnerships)
    assert set(obligations) == {p.pk for p in partnerships}
    for partnership in partnerships:
        assert obligations[partnership.pk] == compliance.obligations(partnership, today)
        assert statutory[partnership.pk] == records.statutory_entries(partnership, today)
        assert validity[partnership.pk] == promise_queries.validity(partnership)
        assert promise_entries[partnership.pk] == records.promise_entries(partnership)
        assert themes[partnership.pk] == records.themes_of(partnership)


def test_the_states_cover_what_the_matrix_shows() -> None:
    """The equality above is worth something only if the states differ: each column has
    a value somewhere and is empty somewhere."""
    partnerships = _states()
    statutory = records.statutory_entries_for(partnerships).values()
    validity = records.promise_entries_for(partnerships).values()
    themes = records.themes_for(partnerships).values()
    for column in (
        "lagesbild_adopted",
        "action_plan_decided",
        "plan_follow_up",
        "next_review",
        "action_plan_body",
    ):
        values = [getattr(entries, column) for entries in statutory]
        assert any(values) and not all(values), column
    assert {e.coordination_function for e in statutory} == {True, False}
    assert {"lagesbild", "coordination", "review"} <= {f for e in statutory for f in e.overdue}
    for column in ("agreement_valid_to", "promise_valid_to", "last_follow_up_published"):
        values = [getattr(entries, column) for entries in validity]
        assert any(values) and not all(values), column
    assert any(themes) and not all(themes)
    # the promise's focus area counts, its title with the spaces folded
    assert ("Fokusområde i medborgarlöftet", "Trygg centrumkväll") in set().union(*themes)


def test_nothing_to_read_reads_nothing(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert compliance.obligations_for([]) == {}
        assert promise_queries.validity_for([]) == {}


def _counted(read: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured.captured_queries)


def test_the_matrix_reads_the_same_queries_for_any_number_of_kommuner(
    county_user: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    """Two kommuner of Dalarna in Samtrygg, then every one: the matrix, its XLSX, the API and
    the comparisons page ask the database as often."""
    codes = list(
        Municipality.objects.filter(county_id="20").order_by("code").values_list("code", flat=True)
    )
    for code in codes[:2]:
        _full(_partnership(code))
    client.force_login(county_user)
    pages = ["/lan/20/", "/lan/20/efterlevnad.xlsx", "/api/v1/counties/20/compliance"]
    pages.append("/lan/20/jamforelser/")
    few = {page: _counted(lambda page=page: client.get(page)) for page in pages}
    few_rows = _counted(lambda: queries.compliance(county_scope(county_user, "20")))

    for code in codes[2:]:
        _full(_partnership(code))
    assert len(codes) == 15
    scope = county_scope(county_user, "20")
    with django_assert_max_num_queries(few_rows):
        rows = queries.compliance(scope)
    assert sum(1 for r in rows if r.action_plan_decided) == 15
    assert all(r.agreement_valid_to and r.last_follow_up_published for r in rows)
    for page in pages:
        with django_assert_max_num_queries(few[page]):
            assert client.get(page).status_code == 200

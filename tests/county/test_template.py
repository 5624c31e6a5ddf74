"""The county template: a län's länssamordnare drafts and publishes numbered versions (a
published one is frozen, a new one starts as a copy); a partnership of the län adopts a
published version, mapping its own categories without touching its reports; every adoption
is kept; the compliance matrix, its XLSX and the API name the version each kommun uses."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.core.errors import DomainError, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def dalarna(db: Any) -> Any:
    from samtrygg.core.models import County

    return County.objects.get(code="20")


def _published(user: Any, county: Any, **changes: Any) -> Any:
    from samtrygg.county import services

    version = services.start_version(user, county)
    for name, value in changes.items():
        getattr(services, name)(user, version, **value)
    return services.publish(user, version)


def _report_in(tenant: Any, slug: str) -> Any:
    from samtrygg.core.dataio import system_actor
    from samtrygg.observations import services

    incident = services.IncidentInput(
        category=slug,
        occurred_on=str(dt.date.today() - dt.timedelta(days=3)),
        time_band="kvall",
        place=tenant.place.pk,
        description="Klotter på busskuren.",
        assessment=2,
    )
    return services.submit_report(
        system_actor(tenant.partnership), [incident], organisation=tenant.organisation
    ).observations[0]


# --- Versions, publishing, freezing ----------------------------------------------------------


def test_a_first_version_starts_from_the_shipped_vocabulary(county_user: Any, dalarna: Any) -> None:
    from samtrygg.county import services
    from samtrygg.observations.vocabulary import DEFAULT_CATEGORIES
    from samtrygg.surveys.items import ANSWER_CODES

    version = services.start_version(county_user, dalarna)
    assert version.number == 1 and version.is_draft
    assert [c.code for c in version.categories.all()] == [slug for slug, _n in DEFAULT_CATEGORIES]
    assert version.survey_items == list(ANSWER_CODES)
    assert version.template.name == "Gemensam mall för Dalarnas län"
    with pytest.raises(DomainError, match="redan ett utkast"):
        services.start_version(county_user, dalarna)


def test_a_published_version_is_frozen_and_the_next_starts_as_a_copy(
    county_user: Any, dalarna: Any
) -> None:
    from samtrygg.core.models import AuditEntry
    from samtrygg.county import services

    draft = services.start_version(county_user, dalarna)
    services.add_category(county_user, draft, code="eldning", name="Eldning", group="Brand")
    services.set_problem_fields(
        county_user, draft, {"kartlaggning": (True, "Tre års statistik."), "mal": (False, "")}
    )
    services.set_survey_items(county_user, draft, ["T1", "F3"])
    services.add_question(
        county_user, draft, code="D1", text="Trygg i centrum?", answers="Ja\nNej", positive=[1]
    )
    v1 = services.publish(county_user, draft)
    assert v1.is_published and v1.published_at is not None and v1.published_by == county_user
    assert AuditEntry.objects.filter(
        model="county.TemplateVersion", object_id=str(v1.pk), action="update"
    ).exists()

    category = v1.categories.get(code="eldning")
    question = v1.questions.get()
    frozen = [
        lambda: services.update_version(county_user, v1, name="Ny", note=""),
        lambda: services.add_category(county_user, v1, code="ny", name="Ny"),
        lambda: services.update_category(county_user, category, code="eldning", name="Eld"),
        lambda: services.remove_category(county_user, category),
        lambda: services.set_problem_fields(county_user, v1, {}),
        lambda: services.set_survey_items(county_user, v1, ["T1"]),
        lambda: services.add_question(
            county_user, v1, code="D2", text="Fråga?", answers="A\nB", positive=[1]
        ),
        lambda: services.remove_question(county_user, question),
        lambda: services.publish(county_user, v1),
        lambda: services.discard_draft(county_user, v1),
    ]
    for attempt in frozen:
        with pytest.raises(DomainError, match="publicerad och ändras inte"):
            attempt()

    v2 = services.start_version(county_user, dalarna)
    assert (v2.number, v2.based_on) == (2, v1)
    assert sorted(c.code for c in v2.categories.all()) == sorted(
        c.code for c in v1.categories.all()
    )
    assert v2.problem_fields == v1.problem_fields and v2.survey_items == ["T1", "F3"]
    assert [q.code for q in v2.questions.all()] == ["D1"]
    services.remove_category(county_user, v2.categories.get(code="eldning"))
    services.set_survey_items(county_user, v2, ["T1"])
    v1.refresh_from_db()
    assert v1.categories.filter(code="eldning").exists() and v1.survey_items == ["T1", "F3"]


def test_only_the_lans_coordinator_writes_its_template(
    county_user: Any, superuser: Any, dalarna: Any
) -> None:
    from django.contrib.auth import get_user_model

    from samtrygg.core.models import County
    from samtrygg.county import services

    other = get_user_model().objects.create_user(username="lan06@test.example", password="x")
    services.grant_county(superuser, user=other, county="06")
    for user in (other, superuser):
        with pytest.raises(PermissionDenied):
            services.start_version(user, dalarna)
    draft = services.start_version(county_user, dalarna)
    with pytest.raises(PermissionDenied):
        services.publish(other, draft)
    with pytest.raises(PermissionDenied):
        services.start_version(county_user, County.objects.get(code="06"))


def test_drafts_refuse_what_does_not_fit(county_user: Any, dalarna: Any) -> None:
    from samtrygg.county import services

    draft = services.start_version(county_user, dalarna)
    for code, name, field in (
        ("Klotter Två", "X", "code"),
        ("klotter", "Annat klotter", "code"),
        ("nytt", "klotter", "name"),
        ("nytt", "", "name"),
    ):
        with pytest.raises(DomainError) as refused:
            services.add_category(county_user, draft, code=code, name=name)
        assert refused.value.field == field
    with pytest.raises(DomainError) as refused:
        services.set_survey_items(county_user, draft, ["T1", "X9"])
    assert refused.value.field == "items"
    with pytest.raises(DomainError) as refused:
        services.add_question(county_user, draft, code="T1", text="?", answers="a\nb", positive=[1])
    assert refused.value.field == "code"
    for category in list(draft.categories.all()):
        services.remove_category(county_user, category)
    with pytest.raises(DomainError, match="minst en kategori"):
        services.publish(county_user, draft)
    services.discard_draft(county_user, draft)
    assert not draft.template.versions.exists()


# --- Adoption keeps the history --------------------------------------------------------------


def test_adopting_maps_categories_and_keeps_every_report(
    county_user: Any, dalarna: Any, orsa: Any, actor_of: Any
) -> None:
    from samtrygg.county import queries, services
    from samtrygg.county.models import CategoryMapping
    from samtrygg.observations import services as observations
    from samtrygg.observations.models import Category, Observation

    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    own = observations.create_category(coordinator, name="Hundbajs")
    report = _report_in(orsa, "klotter")
    klotter = report.category
    v1 = _published(
        county_user,
        dalarna,
        add_category={"code": "fyrverkerier", "name": "Fyrverkerier", "group": "Ordning"},
    )
    proposed = queries.mapping_defaults(coordinator, v1, None)
    assert proposed[klotter.pk] == v1.categories.get(code="klotter").pk
    assert proposed[own.pk] is None
    done = services.adopt(coordinator, v1, proposed, decision="KS 2025-03-04 § 12")

    assert [c.name for c in done.created] == ["Fyrverkerier"]
    assert Category.objects.filter(partnership=orsa.partnership, name="Fyrverkerier").exists()
    report.refresh_from_db()
    assert report.category_id == klotter.pk
    assert Observation.objects.filter(partnership=orsa.partnership).count() == 1
    rows = {m.category_name: m for m in CategoryMapping.objects.filter(adoption=done.adoption)}
    assert rows["Klotter"].template_category.code == "klotter"
    assert rows["Hundbajs"].template_category is None
    assert rows["Fyrverkerier"].created and rows["Fyrverkerier"].template_category.code == (
        "fyrverkerier"
    )
    counts = {c.code: c.count for c in queries.counts_in_template_codes(coordinator, done.adoption)}
    assert counts["klotter"] == 1 and counts["fyrverkerier"] == 0

    # Version 2 renames a category; the adoption of version 1 stays beside the new one.
    draft = services.start_version(county_user, dalarna)
    services.update_category(
        county_user, draft.categories.get(code="klotter"), code="klotter", name="Klotter och tags"
    )
    v2 = services.publish(county_user, draft)
    state = queries.adoption_state(coordinator)
    assert state.current.version == v1 and state.adoptable == [v2]
    proposed = queries.mapping_defaults(coordinator, v2, state.current)
    assert proposed[klotter.pk] == v2.categories.get(code="klotter").pk
    assert proposed[own.pk] is None
    again = services.adopt(coordinator, v2, proposed)
    assert again.created == []
    state = queries.adoption_state(coordinator)
    assert [a.version.number for a in state.history] == [2, 1]
    assert state.current == again.adoption and state.adoptable == []
    assert CategoryMapping.objects.filter(adoption=done.adoption).count() == len(rows)
    with pytest.raises(DomainError, match="redan version 2"):
        services.adopt(coordinator, v1, {})
    with pytest.raises(DomainError, match="redan version 2"):
        services.adopt(coordinator, v2, {})


def test_adoption_refuses_a_clash_a_draft_and_another_lans_version(
    county_user: Any, superuser: Any, dalarna: Any, orsa: Any, gislaved: Any, actor_of: Any
) -> None:
    from django.contrib.auth import get_user_model

    from samtrygg.core.models import County
    from samtrygg.county import queries, services
    from samtrygg.observations import services as observations

    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    v1 = _published(county_user, dalarna)
    klotter = orsa.partnership.observation_categories.get(slug="klotter")
    proposed = queries.mapping_defaults(coordinator, v1, None)
    with pytest.raises(DomainError) as refused:
        services.adopt(coordinator, v1, proposed | {klotter.pk: None})
    assert refused.value.field == f"map-{klotter.pk}"
    assert "heter som mallens kategori Klotter" in refused.value.message
    with pytest.raises(DomainError) as refused:
        services.adopt(coordinator, v1, proposed | {klotter.pk: 10**9})
    assert refused.value.field == f"map-{klotter.pk}"
    other = observations.create_category(
        actor_of(gislaved.user("samordnare"), gislaved.partnership), name="Annat"
    )
    with pytest.raises(DomainError, match="finns inte i den här samverkan"):
        services.adopt(coordinator, v1, proposed | {other.pk: None})

    draft = services.start_version(county_user, dalarna)
    with pytest.raises(NotFound):
        services.adopt(coordinator, draft, {})
    lan06 = get_user_model().objects.create_user(username="lan06@test.example", password="x")
    services.grant_county(superuser, user=lan06, county="06")
    jonkoping = _published(lan06, County.objects.get(code="06"))
    with pytest.raises(NotFound):
        services.adopt(coordinator, jonkoping, {})
    for role in ("rapportor", "styrgrupp", "analytiker", "kommunpolis"):
        with pytest.raises(PermissionDenied):
            services.adopt(actor_of(orsa.user(role), orsa.partnership), v1, {})
    services.adopt(actor_of(orsa.user("administrator"), orsa.partnership), v1, proposed)


def test_every_template_write_is_audited(
    county_user: Any, dalarna: Any, orsa: Any, actor_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samtrygg.county import queries, services
    from tests import test_write_path as write_path

    monkeypatch.setattr(write_path, "SERVICE_MODULES", ("samtrygg.county.services",))
    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    with write_path.every_service_checked(monkeypatch) as checker:
        draft = services.start_version(county_user, dalarna)
        services.update_version(county_user, draft, name="Dalarnas mall", note="Första")
        category = services.add_category(county_user, draft, code="eld", name="Eld")
        services.update_category(county_user, category, code="eld", name="Eldning")
        services.remove_category(county_user, category)
        services.set_problem_fields(county_user, draft, {"mal": (True, "Mät")})
        services.set_survey_items(county_user, draft, ["T1"])
        question = services.add_question(
            county_user, draft, code="D1", text="Trygg?", answers="Ja\nNej", positive=[1]
        )
        services.remove_question(county_user, question)
        services.add_question(
            county_user, draft, code="D2", text="Trygg?", answers="Ja\nNej", positive=[1]
        )
        v1 = services.publish(county_user, draft)
        services.adopt(coordinator, v1, queries.mapping_defaults(coordinator, v1, None))
        spare = services.start_version(county_user, dalarna)
        services.discard_draft(county_user, spare)
    assert checker.calls >= 13


# --- What the adopted template does below: guidance, required parts, survey items --------------


def test_the_adopted_template_guides_problems_and_surveys(
    county_user: Any, dalarna: Any, orsa: Any, actor_of: Any, login: Any
) -> None:
    from samtrygg.county import queries, services
    from samtrygg.statutory import services as statutory
    from samtrygg.surveys import services as surveys
    from tests.statutory.conftest import plan_fields

    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    # before any adoption nothing is required
    statutory.create_problem(
        coordinator, title="Utan mall", period_start="2025-01-01", period_end="2025-12-31"
    )
    v1 = _published(
        county_user,
        dalarna,
        set_problem_fields={
            "fields": {
                "kartlaggning": (True, "Beskriv plats och tid, tre år bakåt."),
                "uppfoljning": (True, "Följ upp med EST-rapporter."),
                "orsaksanalys": (False, "Använd problemtriangeln."),
            }
        },
        add_question={
            "code": "D1",
            "text": "Trygg i centrum?",
            "answers": "Ja\nNej",
            "positive": [1],
        },
    )
    services.adopt(coordinator, v1, queries.mapping_defaults(coordinator, v1, None))

    with pytest.raises(DomainError) as refused:
        statutory.create_problem(
            coordinator, title="Kvällar", period_start="2025-01-01", period_end="2025-12-31"
        )
    assert refused.value.field == "description" and "länets mall" in refused.value.message
    problem = statutory.create_problem(
        coordinator,
        title="Kvällar",
        description="Samlingar vid torget fredagskvällar.",
        period_start="2025-01-01",
        period_end="2025-12-31",
    )
    with pytest.raises(DomainError) as refused:
        statutory.create_plan_item(coordinator, problem, **plan_fields(orsa))
    assert refused.value.field == "follow_up_how"
    statutory.create_plan_item(
        coordinator, problem, **plan_fields(orsa, follow_up_how="EST-rapporter per helg")
    )

    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("statutory-problem", args=[problem.pk])).content.decode()
    assert "Beskriv plats och tid, tre år bakåt." in page and "Använd problemtriangeln." in page
    assert "Dalarnas län, mall version 1" in page
    plan = client.get(reverse("statutory-plan")).content.decode()
    assert "Följ upp med EST-rapporter." in plan

    # the län's question is in the library and a new web survey asks it
    wave = surveys.create_wave(coordinator, "Trygghetsmätning", 2026, "open")
    assert [q.code for q in wave.own_questions.all()] == ["D1"]
    listing = client.get(reverse("survey-list")).content.decode()
    assert "Länets mall" in listing and "D1" in listing


# --- Pages and permissions ------------------------------------------------------------------


def test_the_coordinator_drafts_previews_and_publishes_on_the_pages(
    county_user: Any, orsa: Any, login: Any
) -> None:
    from samtrygg.county.models import TemplateVersion

    client = login(county_user)
    start = client.get(reverse("county-template", args=["20"]))
    assert start.status_code == 200 and "Starta länets mall" in start.content.decode()
    made = client.post(reverse("county-template", args=["20"]), {"action": "start"})
    assert made.status_code == 302
    url = reverse("county-template-version", args=["20", 1])
    assert made["Location"] == url
    refused = client.post(url, {"action": "category-add", "code": "Inte En Kod", "name": "X"})
    assert refused.status_code == 400
    assert "Koden ska vara" in refused.content.decode()
    assert refused["Cache-Control"].startswith(("no-cache", "max-age=0"))
    added = client.post(
        url, {"action": "category-add", "code": "eldning", "name": "Eldning", "group": "Brand"}
    )
    assert added.status_code == 302
    fields = client.post(
        url,
        {
            "action": "fields",
            "required-kartlaggning": "1",
            "guidance-kartlaggning": "Tre års statistik.",
        },
    )
    assert fields.status_code == 302
    version = TemplateVersion.objects.get(number=1)
    assert version.problem_fields["kartlaggning"] == {
        "required": True,
        "guidance": "Tre års statistik.",
    }
    assert version.problem_fields["mal"] == {"required": False, "guidance": ""}
    assert client.post(url, {"action": "items", "items": ["T1", "F3"]}).status_code == 302
    assert client.post(url, {"action": "items", "items": ["X1"]}).status_code == 400
    preview = client.get(reverse("county-template-preview", args=["20", 1]))
    assert preview.status_code == 200 and "Eldning" in preview.content.decode()

    publish = reverse("county-template-publish", args=["20", 1])
    assert client.get(publish).status_code == 200
    unconfirmed = client.post(publish, {})
    assert unconfirmed.status_code == 400
    assert "Kryssa i" in unconfirmed.content.decode()
    done = client.post(publish, {"confirm": "1"})
    assert done.status_code == 302
    version.refresh_from_db()
    assert version.is_published
    frozen = client.post(url, {"action": "category-add", "code": "ny", "name": "Ny"})
    assert frozen.status_code == 200 or frozen.status_code == 400
    assert "publicerad och ändras inte" in frozen.content.decode()
    assert not version.categories.filter(code="ny").exists()
    overview = client.get(reverse("county-template", args=["20"])).content.decode()
    assert "Version 1" in overview and "Starta en ny version" in overview


def test_template_pages_are_the_lans_own(
    county_user: Any, dalarna: Any, orsa: Any, login: Any
) -> None:
    _published(county_user, dalarna)
    client = login(county_user)
    for name, args in (
        ("county-template", ["06"]),
        ("county-template-version", ["06", 1]),
        ("county-template-preview", ["06", 1]),
        ("county-template-publish", ["06", 1]),
        ("county-template-version", ["20", 7]),
        ("county-template-version", ["20", "x"]),
        ("county-template-version", ["20", "²"]),
        ("county-template-preview", ["20", 99999999]),
    ):
        url = reverse(name, args=args)
        assert client.get(url).status_code == 404, url
        # the preview only reads: a POST to a version of the own län is not allowed (405)
        posted = 405 if name == "county-template-preview" and args[0] == "20" else 404
        assert client.post(url, {"action": "start"}).status_code == posted, url
    assert client.put(reverse("county-template", args=["20"])).status_code == 405
    # a member of Orsa (samordnare) is not the län's coordinator
    member = login(orsa.user("samordnare"), orsa.partnership)
    assert member.get(reverse("county-template", args=["20"])).status_code == 404
    assert member.post(
        reverse("county-template", args=["20"]), {"action": "start"}
    ).status_code == (404)


def test_a_partnership_adopts_on_its_page_and_a_reporter_cannot(
    county_user: Any, dalarna: Any, orsa: Any, login: Any
) -> None:
    from samtrygg.county.models import TemplateAdoption

    v1 = _published(county_user, dalarna)
    categories = list(orsa.partnership.observation_categories.all())
    body = {"action": "adopt", "version": "1", "confirm": "1"} | {
        f"map-{c.pk}": str(v1.categories.get(code=c.slug).pk) for c in categories
    }
    url = reverse("county-template-adoption")
    for role in ("rapportor", "styrgrupp", "analytiker"):
        client = login(orsa.user(role), orsa.partnership)
        page = client.get(url)
        assert page.status_code == 200 and "Anta version 1" in page.content.decode()
        assert client.post(url, body).status_code == 403, role
    assert not TemplateAdoption.objects.exists()
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(url).content.decode()
    assert 'name="map-' in page and "behåll som egen" in page
    unconfirmed = client.post(url, {k: v for k, v in body.items() if k != "confirm"})
    assert unconfirmed.status_code == 400 and "Kryssa i" in unconfirmed.content.decode()
    bad = client.post(url, body | {f"map-{categories[0].pk}": "²"})
    assert bad.status_code == 400
    assert client.post(url, body | {"version": "9"}).status_code == 404
    done = client.post(url, body)
    assert done.status_code == 302
    assert TemplateAdoption.objects.get().version == v1
    page = client.get(url).content.decode()
    assert "Ni använder version 1" in page and "i mallens koder" in page
    api = client.get("/api/v1/partnerships/2034/county-template").json()
    assert api[0]["version"] == 1 and api[0]["current"] is True
    assert {m["template_code"] for m in api[0]["mapping"]} >= {"klotter"}
    assert client.get("/api/v1/partnerships/0662/county-template").status_code == 404


# --- The matrix: which version each kommun uses -------------------------------------------------


def test_the_matrix_xlsx_and_api_name_each_kommuns_version(
    county_user: Any, dalarna: Any, orsa: Any, actor_of: Any, login: Any
) -> None:
    from openpyxl import load_workbook

    from samtrygg.county import queries, services

    client = login(county_user)
    rows = client.get("/api/v1/counties/20/compliance").json()
    assert {r["kommunkod"]: r["template_version"] for r in rows}["2034"] is None

    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    v1 = _published(county_user, dalarna)
    services.adopt(coordinator, v1, queries.mapping_defaults(coordinator, v1, None))

    rows = client.get("/api/v1/counties/20/compliance").json()
    versions = {r["kommunkod"]: r["template_version"] for r in rows}
    assert versions["2034"] == 1
    assert all(v is None for code, v in versions.items() if code != "2034")
    page = client.get(reverse("county-compliance", args=["20"])).content.decode()
    assert "Länets mall" in page and "version 1" in page
    assert (
        client.get(reverse("county-compliance", args=["20"]) + "?sortera=mall").status_code == 200
    )

    book = load_workbook(
        io.BytesIO(client.get(reverse("county-compliance-xlsx", args=["20"])).content)
    )
    sheet = list(book["Kommuner"].iter_rows(values_only=True))
    column = sheet[0].index("Länets mall, version")
    by_code = {r[1]: r[column] for r in sheet[1:]}
    assert by_code["2034"] == 1 and by_code["2062"] == "–"
    summary = {r[0]: r[1] for r in book["Sammanfattning"].iter_rows(values_only=True) if r}
    assert summary["Har antagit länets mall"] == 1

    template = client.get("/api/v1/counties/20/template").json()
    assert [(v["number"], v["status"], v["kommuner"]) for v in template] == [
        (1, "publicerad", ["2034"])
    ]
    assert template[0]["categories"][0]["code"] == "skadegorelse"
    assert client.get("/api/v1/counties/06/template").status_code == 404
    overview = client.get(reverse("county-template", args=["20"])).content.decode()
    assert "Orsa" in overview and "version 1" in overview


def test_the_demo_publishes_dalarnas_version_1_and_orsa_adopts_it() -> None:
    from samtrygg.core.demo import FINAL_DEMO_LOADERS, load_demo
    from samtrygg.county import template_rules
    from samtrygg.county.demo_data import load_county_demo
    from samtrygg.county.models import CountyTemplate, TemplateAdoption
    from samtrygg.surveys.models import OwnQuestion

    assert load_county_demo in FINAL_DEMO_LOADERS
    partnerships = load_demo()
    out = io.StringIO()
    load_county_demo(partnerships, out)
    load_county_demo(load_demo(), out)
    template = CountyTemplate.objects.get(county_id="20")
    assert [(v.number, v.status) for v in template.versions.all()] == [(1, "publicerad")]
    adoption = TemplateAdoption.objects.get()
    assert adoption.partnership.municipality_id == "2034" and adoption.version.number == 1
    orsa = adoption.partnership
    assert orsa.observation_categories.filter(name="Fyrverkerier och pyroteknik").exists()
    assert OwnQuestion.objects.filter(partnership=orsa, code="D1").exists()
    rules = template_rules.documentation_rules(orsa)
    assert rules["kartlaggning"].required and rules["uppfoljning"].required
    assert not rules["mal"].required and rules["mal"].guidance
    assert "Orsa har antagit" in out.getvalue()


def test_a_category_name_breaks_after_its_slashes_and_stays_escaped() -> None:
    from samtrygg.county.templatetags.county import breaks_at_slashes

    assert breaks_at_slashes("Evenemang/arrangemang") == "Evenemang/<wbr>arrangemang"
    assert breaks_at_slashes("<b>Fel & rätt") == "&lt;b&gt;Fel &amp; rätt"

"""The promises app's pages and API paths in the tenancy registry (see tests/tenancy.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _promise(t: Any) -> Any:
    """A draft promise of the tenant with items (created once, then reused)."""
    from samtrygg.promises.models import CitizenPromise
    from tests.promises.support import draft_promise

    found = CitizenPromise.objects.filter(
        partnership=t.partnership, title=f"Medborgarlöfte {t.marker}"
    ).first()
    return found or draft_promise(t)


def _signed(t: Any) -> Any:
    """A second promise of the tenant, signed by both parties, with a follow-up."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.promises import services
    from samtrygg.promises.models import FollowUp
    from tests.promises.support import draft_promise, sign_all

    found = FollowUp.objects.filter(
        partnership=t.partnership, promise__title=f"Medborgarlöfte undertecknat {t.marker}"
    ).first()
    if found is None:
        promise = sign_all(t, draft_promise(t, marker=f"undertecknat {t.marker}"))
        found = services.start_follow_up(system_actor(t.partnership), promise)
    return found


def _agreement(t: Any) -> Any:
    import datetime as dt

    from samtrygg.core.dataio import system_actor
    from samtrygg.promises import services
    from samtrygg.promises.models import CooperationAgreement

    found = CooperationAgreement.objects.filter(
        partnership=t.partnership, title=f"Överenskommelse {t.marker}"
    ).first()
    if found is None:
        found = services.create_agreement(
            system_actor(t.partnership),
            services.AgreementSpec(
                title=f"Överenskommelse {t.marker}",
                starts_on=dt.date.today(),
                ends_on=dt.date.today() + dt.timedelta(days=365 * 3),
                goals=f"Mål {t.marker}",
            ),
        )
    return found


def _annex(t: Any) -> Any:
    from samtrygg.core.dataio import system_actor
    from samtrygg.promises import services
    from samtrygg.promises.models import AgreementAnnex

    found = AgreementAnnex.objects.filter(agreement__partnership=t.partnership).first()
    if found is None:
        found = services.add_annex(
            system_actor(t.partnership), _agreement(t), title="Lägesbild", picture=adopted(t)
        )
    return found


def adopted(t: Any) -> Any:
    """An adopted lägesbild of the tenant (week 22 of 2025, adopted once)."""
    from samtrygg.analysis.picture import Period
    from samtrygg.core.dataio import system_actor
    from samtrygg.situation import services
    from samtrygg.situation.models import SituationPicture

    found = SituationPicture.objects.filter(
        partnership=t.partnership, status="antagen", period_label="2025-W22"
    ).first()
    if found is None:
        actor = system_actor(t.partnership)
        found = services.draft(actor, Period.week(2025, 22))
        services.set_assessment(actor, found, "Bedömning")
        found = services.adopt(actor, found)
    return found


def _body(t: Any) -> Any:
    """The tenant's kommunstyrelse as a decision body (created once)."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.statutory import services
    from samtrygg.statutory.models import DecisionBody

    found = DecisionBody.objects.filter(partnership=t.partnership, name="Kommunstyrelsen").first()
    return found or services.create_decision_body(
        system_actor(t.partnership), kind="kommunstyrelse", name="Kommunstyrelsen"
    )


def _linked(t: Any) -> dict[str, Any]:
    """The tenant's statutory problem and åtgärdsplan item, for the links of an item and an
    agreement."""
    from tests.statutory.tenancy_entries import statutory_records

    return statutory_records(t)


PAGES_WITH_ID: dict[str, Callable[[Any], dict[str, Any]]] = {
    "promise-detail": lambda t: {"pk": _promise(t).pk},
    "promise-pdf": lambda t: {"pk": _promise(t).pk},
    "promise-decide": lambda t: {"pk": _promise(t).pk},
    "agreement-decide": lambda t: {"pk": _agreement(t).pk},
    "follow-up-detail": lambda t: {"pk": _signed(t).pk},
    "follow-up-pdf": lambda t: {"pk": _signed(t).pk},
    "agreement-detail": lambda t: {"pk": _agreement(t).pk},
    "agreement-annex": lambda t: {"pk": _annex(t).pk},
}

PAGES_EXEMPT: dict[str, str] = {
    "public-promise": (
        "the public page of a kommun by its code, read without login; shows only published "
        "promises (tests/promises/test_public.py)"
    ),
}

API_IDS: dict[str, Callable[[Any], int]] = {
    "promises": lambda t: _promise(t).pk,
    "promise-items": lambda t: _promise(t).items.first().pk,
    "follow-ups": lambda t: _signed(t).pk,
    "follow-up-entries": lambda t: _signed(t).entries.first().pk,
    "agreements": lambda t: _agreement(t).pk,
}

API_PAYLOADS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "promises": lambda t: {"title": "Medborgarlöfte", "starts_on": "2026-01-01"},
    "items": lambda t: {
        "text": "Vi genomför trygghetsvandringar.",
        "responsible": "organisation",
        "organisation_id": t.organisation.pk,
        "commitment": "antal",
        "target": 4,
        "rule_types": ["trygghetsvandring"],
        "plan_item_id": _linked(t)["item"].pk,
        "problem_id": _linked(t)["problem"].pk,
    },
    "promise-items": lambda t: {
        "text": "Vi genomför trygghetsvandringar.",
        "responsible": "organisation",
        "organisation_id": t.organisation.pk,
        "commitment": "antal",
        "target": 4,
        "rule_types": ["trygghetsvandring"],
        "plan_item_id": _linked(t)["item"].pk,
        "problem_id": _linked(t)["problem"].pk,
    },
    "focus-areas": lambda t: {"title": "Trafik"},
    "signatures": lambda t: {
        "party": "kommunen",
        "name": "Anna Andersson",
        "title": "Kommunstyrelsens ordförande",
        "signed_on": "2026-01-01",
    },
    "versions": lambda t: {"reason": "Nytt åtagande om trafik."},
    "follow-ups": lambda t: {},
    "follow-up-entries": lambda t: {"assessment": "uppfyllt"},
    "renewal": lambda t: {},
    "adoption": lambda t: {},
    "decision-trail": lambda t: {
        "body_id": _body(t).pk,
        "date": "2026-01-10",
        "reference": "KS § 12",
        "outcome": "godkant",
    },
    "agreements": lambda t: {
        "title": "Samverkansöverenskommelse",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "problem_ids": [_linked(t)["problem"].pk],
    },
}

API_EXEMPT: dict[str, str] = {
    "/api/v1/public/{kommunkod}/promise": (
        "the public page's JSON twin, read without login by kommun code; only published "
        "promises through the aggregation (tests/promises/test_public.py)"
    ),
}


def signed_document(t: Any, collection: str, purpose: str) -> Any:
    """A fresh signed promise or agreement (or an assessed follow-up) of the tenant, for one
    write of ``purpose``."""
    import datetime as dt

    from samtrygg.core.dataio import system_actor
    from samtrygg.promises import services
    from tests.promises.support import draft_promise, sign_all

    marker = f"{purpose.strip('/')} {t.marker}"
    if collection == "follow-ups":
        actor = system_actor(t.partnership)
        follow_up = services.start_follow_up(
            actor, sign_all(t, draft_promise(t, marker=marker, items=1))
        )
        services.assess(actor, follow_up.entries.get(), assessment="uppfyllt")
        return follow_up
    if collection == "promises":
        return sign_all(t, draft_promise(t, marker=marker))
    agreement = services.create_agreement(
        system_actor(t.partnership),
        services.AgreementSpec(
            title=f"Överenskommelse {marker}",
            starts_on=dt.date.today(),
            ends_on=dt.date.today() + dt.timedelta(days=365 * 3),
            goals=f"Mål {marker}",
        ),
    )
    return sign_all(t, agreement)


# Writes that act only on a signed document (a new version, a renewal, a follow-up), or on a
# follow-up whose every item is assessed (adoption): path ending -> a fresh record's id.
FRESH_FOR_WRITE: dict[str, Callable[[Any], int]] = {
    "/promises/{pk}/versions": lambda t: signed_document(t, "promises", "version").pk,
    "/promises/{pk}/renewal": lambda t: signed_document(t, "promises", "renewal").pk,
    "/promises/{pk}/follow-ups": lambda t: signed_document(t, "promises", "follow-up").pk,
    "/agreements/{pk}/versions": lambda t: signed_document(t, "agreements", "version").pk,
    "/follow-ups/{pk}/adoption": lambda t: signed_document(t, "follow-ups", "adoption").pk,
}

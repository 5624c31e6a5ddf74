"""After every party has signed, no page and no endpoint changes the document: every write
route of an agreement or a promise (pages and API, found as tests/test_tenancy.py finds
them) refuses and the database is unchanged. The routes that make a new document from it
(a new version, the renewal, a follow-up) leave it unchanged too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from samtrygg.core.dataio import system_actor
from samtrygg.promises import queries, services
from tests import tenancy
from tests.promises.support import draft_promise, sign_all
from tests.promises.tenancy_entries import adopted
from tests.statutory.tenancy_entries import statutory_records
from tests.test_tenancy import _api_operations, _own_pages

pytestmark = pytest.mark.django_db

# Writes that make another document from a signed one; they must not change it.
NEW_DOCUMENT = {"new_version", "renew", "follow_up"}
NEW_DOCUMENT_PATHS = ("/versions", "/renewal", "/follow-ups")


def _rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of the promises app (and the decision trail, when there is one)."""
    labels = list(apps.get_app_config("promises").get_models())
    rows = {m._meta.label: list(m.objects.order_by("pk").values()) for m in labels}
    for model in (
        apps.get_model("promises", "PromiseItem").rule_areas.through,
        apps.get_model("promises", "CooperationAgreement").problems.through,
    ):
        rows[model._meta.label] = list(model.objects.order_by("pk").values())
    if apps.is_installed("samtrygg.statutory"):
        try:
            decision = apps.get_model("statutory", "Decision")
        except LookupError:
            decision = None
        if decision is not None:
            rows["decisions"] = list(decision.objects.order_by("pk").values())
    return rows


def _document_rows(document: Any) -> dict[str, Any]:
    fresh = type(document).objects.get(pk=document.pk)
    rows: dict[str, Any] = {
        "doc": {f.name: f.value_from_object(fresh) for f in fresh._meta.concrete_fields}
    }
    rows["signatures"] = list(fresh.signatures.order_by("pk").values())
    if hasattr(fresh, "problems"):
        rows["problems"] = sorted(fresh.problems.values_list("pk", flat=True))
    if hasattr(fresh, "items"):
        # with each item's links to the åtgärdsplan and the problem (plan_item_id, problem_id)
        rows["items"] = list(fresh.items.order_by("pk").values())
        rows["areas"] = list(fresh.focus_areas.order_by("pk").values())
    return rows


def _page_actions(html: str) -> set[str]:
    return set(re.findall(r'name="action" value="([a-z_]+)"', html))


def _posts_for(action: str, document: Any, t: Any) -> dict[str, Any]:
    """A plausible body for each page action, so a refusal is about the signature."""
    item = document.items.first() if hasattr(document, "items") else None
    area = document.focus_areas.first() if hasattr(document, "focus_areas") else None
    signature = document.signatures.first()
    linked = statutory_records(t)
    bodies: dict[str, dict[str, Any]] = {
        "update": {
            "title": "Ändrad",
            "starts_on": str(document.starts_on),
            "ends_on": str(document.ends_on),
            "problems": [linked["problem"].pk],
        },
        "add_area": {"title": "Nytt område"},
        "delete_area": {"record": area.pk if area else 0},
        "add_item": {
            "text": "Nytt",
            "target": "3",
            "commitment": "antal",
            "plan_item": linked["item"].pk,
            "problem": linked["problem"].pk,
        },
        "delete_item": {"record": item.pk if item else 0},
        "sign": {
            "party": "kommunen",
            "name": "Ny",
            "title": "Ny",
            "signed_on": str(document.starts_on),
        },
        "unsign": {"record": signature.pk},
        "add_annex": {"title": "Bilaga", "picture": adopted(t).pk},
        "delete_annex": {
            "record": document.annexes.first().pk
            if hasattr(document, "annexes") and document.annexes.exists()
            else 0
        },
        "new_version": {"reason": "En ändring."},
        "renew": {},
        "follow_up": {},
    }
    return {"action": action, **bodies.get(action, {})}


def _documents(t: Any) -> list[tuple[Any, Any]]:
    """(signed document, a draft of the same kind) for a promise and an agreement."""
    actor = system_actor(t.partnership)
    linked = statutory_records(t)
    to_sign = draft_promise(t, marker="låst")
    services.add_item(
        actor,
        to_sign,
        services.ItemSpec(text="Länkat åtagande.", target=2, plan_item=linked["item"].pk),
    )
    signed_promise = queries.refreshed(sign_all(t, to_sign))
    assert signed_promise.items.filter(problem=linked["problem"]).exists()
    draft = draft_promise(t, marker="utkast")
    spec = services.AgreementSpec(
        title="Överenskommelse", starts_on="2024-01-01", ends_on="2027-12-31"
    )
    agreement = services.create_agreement(actor, spec)
    # the signed documents carry their links to the statutory work: a write must not move them
    services.update_agreement(
        actor,
        agreement,
        services.AgreementSpec(
            title="Överenskommelse",
            starts_on="2024-01-01",
            ends_on="2027-12-31",
            problems=[linked["problem"].pk],
        ),
    )
    services.add_annex(actor, agreement, title="Lägesbild", picture=adopted(t))
    signed_agreement = queries.refreshed(sign_all(t, agreement))
    draft_agreement = services.create_agreement(actor, spec)
    return [(signed_promise, draft), (signed_agreement, draft_agreement)]


def test_every_page_write_of_a_signed_document_refuses(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    pages = {name for route, name in _own_pages() if name in ("promise-detail", "agreement-detail")}
    assert pages == {"promise-detail", "agreement-detail"}
    checked = set()
    documents = _documents(orsa)
    for signed, draft in documents:
        name = "promise-detail" if hasattr(signed, "items") else "agreement-detail"
        actions = _page_actions(client.get(reverse(name, args=[draft.pk])).content.decode())
        actions |= _page_actions(client.get(reverse(name, args=[signed.pk])).content.decode())
        actions |= {"update", "sign", "unsign"}
        for action in sorted(actions):
            before, own = _rows(), _document_rows(signed)
            response = client.post(
                reverse(name, args=[signed.pk]), _posts_for(action, signed, orsa)
            )
            assert _document_rows(signed) == own, (name, action)
            if action not in NEW_DOCUMENT:
                assert response.status_code == 400, (name, action, response.status_code)
                assert _rows() == before, (name, action)
            checked.add((name, action))
    # the decision trail's own route: a signed document takes no further decision
    from samtrygg.statutory import services as statutory

    actor = system_actor(orsa.partnership)
    body = statutory.create_decision_body(actor, kind="kommunstyrelse", name="Kommunstyrelsen")
    decide = {
        name for _route, name in _own_pages() if name in ("promise-decide", "agreement-decide")
    }
    assert decide == {"promise-decide", "agreement-decide"}
    for signed in (documents[0][0], documents[1][0]):
        name = "promise-decide" if hasattr(signed, "items") else "agreement-decide"
        before, own = _rows(), _document_rows(signed)
        posted = {
            "body": body.pk,
            "date": str(signed.starts_on),
            "reference": "KS § 9",
            "outcome": "godkant",
        }
        response = client.post(reverse(name, args=[signed.pk]), posted)
        assert response.status_code == 400, (name, response.status_code)
        assert _rows() == before and _document_rows(signed) == own
        checked.add((name, "decision"))
    assert {("promise-detail", "add_item"), ("agreement-detail", "add_annex")} <= checked


def test_every_api_write_of_a_signed_document_refuses(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    documents = _documents(orsa)
    ids = {
        "promises": documents[0][0].pk,
        "agreements": documents[1][0].pk,
        "promise-items": documents[0][0].items.first().pk,
    }
    tried = []
    for path, method in _api_operations(client):
        match = re.search(r"/(promises|agreements|promise-items)/\{pk\}", path)
        if match is None or method not in ("post", "put", "patch", "delete"):
            continue
        document = documents[0][0] if match.group(1) != "agreements" else documents[1][0]
        url = path.replace("{code}", "2034").replace("{pk}", str(ids[match.group(1)]))
        collection = re.search(r"/([a-z-]+)(?:/\{pk\})?$", path).group(1)  # type: ignore[union-attr]
        body = tenancy.API_PAYLOADS.get(collection, lambda t: {})(orsa)
        before, own = _rows(), _document_rows(document)
        response = getattr(client, method)(url, body, content_type="application/json")
        assert _document_rows(document) == own, (method, path)
        if not path.endswith(NEW_DOCUMENT_PATHS):
            assert response.status_code == 400, (method, path, response.status_code)
            assert _rows() == before, (method, path)
        tried.append((method, path))
    assert len(tried) >= 8

"""The one tenancy mechanism: a tenant model's manager scopes to an actor and fetches by id
with 404 outside the partnership (whatever the role), then 403 for the role."""

from __future__ import annotations

from typing import Any

import pytest

from samtrygg.actions.models import Action, WalkFinding
from samtrygg.core.errors import NotFound, PermissionDenied
from samtrygg.core.models import Area, Organisation, Role, TenantModel
from samtrygg.core.tenancy import TenantQuerySet, record_id
from samtrygg.observations.models import Observation
from samtrygg.situation.models import SituationPicture


@pytest.mark.parametrize("model", [Organisation, Area, Action, Observation, SituationPicture])
def test_tenant_models_share_the_mechanism(model: Any) -> None:
    assert issubclass(model, TenantModel)
    assert isinstance(model.objects.all(), TenantQuerySet)


def test_for_actor_keeps_only_the_own_partnership(orsa: Any, gislaved: Any, actor_of: Any) -> None:
    actor = actor_of(orsa.user(Role.SAMORDNARE), orsa.partnership)
    assert set(Area.objects.for_actor(actor)) == {orsa.area}
    assert WalkFinding.objects.for_actor(actor).query.where is not None


def test_fetch_refuses_another_partnership_as_missing(
    orsa: Any, gislaved: Any, actor_of: Any
) -> None:
    actor = actor_of(orsa.user(Role.SAMORDNARE), orsa.partnership)
    assert Area.objects.fetch(actor, str(orsa.area.pk)) == orsa.area
    for pk in (gislaved.area.pk, 10**9, "x", None, 2**70):
        with pytest.raises(NotFound):
            Area.objects.fetch(actor, pk)


def test_404_comes_before_403(orsa: Any, gislaved: Any, actor_of: Any) -> None:
    """A role that may see none of a kind: 403 for its own partnership's record, but 404 for
    another partnership's, so the role cannot probe which ids exist elsewhere."""
    actor = actor_of(orsa.user(Role.STYRGRUPP), orsa.partnership)

    def none_for_this_role() -> Any:
        raise PermissionDenied("nej")

    with pytest.raises(PermissionDenied):
        Area.objects.fetch(actor, orsa.area.pk, none_for_this_role)
    with pytest.raises(NotFound):
        Area.objects.fetch(actor, gislaved.area.pk, none_for_this_role)


def test_outside_the_roles_reach_is_404(orsa: Any, actor_of: Any) -> None:
    actor = actor_of(orsa.user(Role.RAPPORTOR), orsa.partnership)
    with pytest.raises(NotFound):
        Area.objects.fetch(actor, orsa.area.pk, lambda: Area.objects.none())


def test_record_id() -> None:
    assert record_id("12") == 12
    with pytest.raises(NotFound):
        record_id("12a")

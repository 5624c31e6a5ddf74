"""The one way to read a partnership's records: scoped to an acting user, fetched by id.

Every tenant model's manager is a :class:`TenantQuerySet`. ``for_actor`` keeps only the acting
user's partnership; ``fetch`` returns one record by id in a fixed order of refusals:

1. an id that is not a number, a missing record and another partnership's record are all
   ``NotFound`` (404), for every role, so nobody can tell whether another tenant's id exists;
2. then the role: building the actor's visible queryset may raise ``PermissionDenied`` (403);
3. a record of the actor's own partnership that their role does not reach is ``NotFound``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from samtrygg.core.errors import NotFound

if TYPE_CHECKING:
    from samtrygg.core.permissions import Actor

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=models.Model)


def record_id(pk: Any) -> int:
    """An id from a URL, query string or body as a number; anything else is NotFound."""
    try:
        number = int(pk)
    except (TypeError, ValueError, OverflowError) as exc:
        raise NotFound(_("Posten finns inte.")) from exc
    if not -(2**63) <= number < 2**63:
        raise NotFound(_("Posten finns inte."))
    return number


def get_or_404(queryset: models.QuerySet[M], pk: Any) -> M:
    """One record of ``queryset`` by id, NotFound when it is not there."""
    try:
        return queryset.get(pk=record_id(pk))
    except ObjectDoesNotExist as exc:
        raise NotFound(_("Posten finns inte.")) from exc


class TenantQuerySet(models.QuerySet[M], Generic[M]):
    """A queryset of records that belong to one partnership (through ``tenant_path``)."""

    tenant_path = "partnership"

    def for_actor(self, actor: Actor) -> TenantQuerySet[M]:
        """Only the records of the actor's partnership (roles are the caller's concern)."""
        return self.filter(**{self.tenant_path: actor.partnership})

    @overload
    def fetch(self, actor: Actor, pk: Any) -> M: ...

    @overload
    def fetch(self, actor: Actor, pk: Any, visible: Callable[[], models.QuerySet[V]]) -> V: ...

    def fetch(
        self,
        actor: Actor,
        pk: Any,
        visible: Callable[[], models.QuerySet[Any]] | None = None,
    ) -> Any:
        """One record by id: 404 outside the partnership, then 403 for the role, then 404
        outside the role's reach. ``visible`` builds what the actor's role may see (it raises
        PermissionDenied for a role that may see none); by default the whole partnership."""
        number = record_id(pk)
        if visible is None:
            return get_or_404(self.for_actor(actor), number)
        if not self.model._default_manager.filter(
            pk=number, **{self.tenant_path: actor.partnership}
        ).exists():
            raise NotFound(_("Posten finns inte."))
        return get_or_404(visible(), number)

"""The audit trail: every create, update and delete, and views of sensitive records.

Services write through the audited-change helpers at the end of this module (:func:`create`,
:func:`created`, :func:`change`, :func:`update`, :func:`delete`), or call :func:`record` inside
their own transaction, so a change and its audit entry are saved together or not at all.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models, transaction

from samtrygg.core.generations import data_changed
from samtrygg.core.models import AuditAction, AuditEntry, Partnership

M = TypeVar("M", bound=models.Model)

# Fields never copied into the audit trail (secrets, or bulky geometry summarised instead).
_SKIPPED_FIELDS = {"password", "key_hash", "token_hash"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete field values of a record, as JSON-able data, for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SKIPPED_FIELDS:
            continue
        data[field.name] = _jsonable(field.value_from_object(instance))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that changed, as {field: [before, after]}."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    actor: Any,
    action: str,
    instance: models.Model,
    *,
    partnership: Partnership | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """Write one audit entry. ``actor`` is a user or None (a job or the command line)."""
    if action == AuditAction.CREATE:
        changes: dict[str, Any] = {"after": after if after is not None else snapshot(instance)}
    elif action == AuditAction.DELETE:
        changes = {"before": before if before is not None else snapshot(instance)}
    elif action == AuditAction.UPDATE:
        changes = {
            "changed": diff(before or {}, after if after is not None else snapshot(instance))
        }
    else:
        changes = {}
    user = actor if getattr(actor, "pk", None) else None
    if action != AuditAction.VIEW:
        # Whatever a service changes, what was computed from the partnership's records (a
        # lägesbild kept in the shared cache) is outdated by it.
        data_changed(partnership.pk if partnership is not None else None)
    return AuditEntry.objects.create(
        partnership=partnership,
        actor=user,
        actor_label=str(user) if user else (str(actor) if actor else "system"),
        action=action,
        model=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=(object_repr or str(instance))[:200],
        changes=changes,
    )


# --- The audited-change helper: the one write path the services use ------------------------


def _who(actor: Any) -> tuple[Any, Partnership | None]:
    """The user and partnership of an actor (an ``Actor``; a bare user or None for jobs)."""
    return getattr(actor, "user", actor), getattr(actor, "partnership", None)


def note(actor: Any, action: str, instance: models.Model, **details: Any) -> AuditEntry:
    """:func:`record` for an actor: its user, in its partnership (inside the caller's
    transaction). ``details`` as for :func:`record` (before, after, object_repr)."""
    user, own = _who(actor)
    details.setdefault("partnership", own)
    return record(user, action, instance, **details)


def create(
    actor: Any, model: type[M], /, *, in_partnership: Partnership | None = None, **fields: Any
) -> M:
    """Create a record and its audit entry in one transaction. A record of a partnership
    belongs to the actor's unless ``partnership`` is given."""
    user, own = _who(actor)
    names = {f.name for f in model._meta.concrete_fields}
    if (
        own is not None
        and "partnership" in names
        and not {"partnership", "partnership_id"} & set(fields)
    ):
        fields["partnership"] = own
    with transaction.atomic():
        instance = model._default_manager.create(**fields)
        record(user, AuditAction.CREATE, instance, partnership=in_partnership or own)
    return instance


def created(actor: Any, instance: M, *, in_partnership: Partnership | None = None) -> M:
    """Save a new record built by the caller (``full_clean`` first if it wants) and audit it."""
    user, own = _who(actor)
    with transaction.atomic():
        instance.save()
        record(user, AuditAction.CREATE, instance, partnership=in_partnership or own)
    return instance


@contextmanager
def change(
    actor: Any,
    instance: M,
    *,
    only: Sequence[str] | None = None,
    in_partnership: Partnership | None = None,
) -> Iterator[M]:
    """Change a record in the ``with`` block: snapshot before, save and audit the difference
    after, all in one transaction (an exception in the block saves nothing). ``only`` names
    the fields the change may touch: just those are saved."""
    user, own = _who(actor)
    with transaction.atomic():
        before = snapshot(instance)
        yield instance
        if only is None:
            instance.save()
        else:
            stamps = [
                f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)
            ]
            instance.save(update_fields=[*only, *stamps])
        record(user, AuditAction.UPDATE, instance, partnership=in_partnership or own, before=before)


def update(
    actor: Any, instance: M, *, in_partnership: Partnership | None = None, **values: Any
) -> M:
    """Set fields of a record, save it and audit the change, in one transaction."""
    with change(actor, instance, in_partnership=in_partnership):
        for name, value in values.items():
            setattr(instance, name, value)
    return instance


def delete(
    actor: Any, instance: models.Model, *, in_partnership: Partnership | None = None
) -> None:
    """Delete a record with an audit entry of what it held, in one transaction."""
    user, own = _who(actor)
    with transaction.atomic():
        record(user, AuditAction.DELETE, instance, partnership=in_partnership or own)
        instance.delete()

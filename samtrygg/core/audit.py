"""The audit trail: every create, update and delete, and views of sensitive records.

Services call :func:`record` inside their transaction, so a change and its audit entry are
saved together or not at all.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from samtrygg.core.models import AuditAction, AuditEntry, Partnership

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

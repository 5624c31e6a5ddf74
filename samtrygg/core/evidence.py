"""Evidence kinds: records one app can attach as evidence to another app's documents.

A problem (problembild), the statutory lägesbild's "annan information" and a citizen promise's
basis all rest on records that live in apps below them or beside them: adopted weekly pictures,
safety walks, dialogues, survey results. The app that owns a kind registers it here in its
``AppConfig.ready``; the app that attaches evidence lists the candidates through this registry
and stores a reference (kind + id), so neither app imports the other and the layers hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from samtrygg.core.permissions import Actor


@dataclass(frozen=True)
class EvidenceItem:
    """One record offered as evidence: its kind and id, what a reader sees, and where it is."""

    kind: str
    id: int
    label: str
    url: str
    date: Any = None


@dataclass(frozen=True)
class EvidenceKind:
    key: str
    label: str
    # Records of this kind the actor may read and attach, newest first.
    candidates: Callable[[Actor], Iterable[EvidenceItem]]
    # One record by id for the actor, or None when it is gone or not readable.
    resolve: Callable[[Actor, int], EvidenceItem | None]


_KINDS: dict[str, EvidenceKind] = {}


def register_evidence_kind(kind: EvidenceKind) -> EvidenceKind:
    if kind.key in _KINDS and _KINDS[kind.key] != kind:
        raise ValueError(f"evidence kind {kind.key!r} is registered twice")
    _KINDS[kind.key] = kind
    return kind


def evidence_kinds() -> list[EvidenceKind]:
    return list(_KINDS.values())


def evidence_kind(key: str) -> EvidenceKind | None:
    return _KINDS.get(key)


def resolve_evidence(actor: Actor, kind: str, record_id: int) -> EvidenceItem | None:
    registered = _KINDS.get(kind)
    return registered.resolve(actor, record_id) if registered else None

"""Writes for external sources that are not the police import itself."""

from __future__ import annotations


def record_police_types(types: set[str]) -> None:
    """Hand every police event type seen to the type-to-category table (observations app),
    which keeps types it has never seen as unmapped, for the samordnare to map."""
    from samtrygg.observations.services import note_police_types

    if types:
        note_police_types(None, types)

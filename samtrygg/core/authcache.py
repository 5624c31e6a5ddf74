"""Who an API caller is, kept in the shared cache for a short time.

An API request with a key must know the key's user and the user's roles in the partnership it
asks about. Both change rarely, and asking the database for them costs more than the rest of a
list request, so they are kept in the shared cache (``core.generations``), good only for the
generation they were read in.

Every save or delete of what the entries are made of (a user, an API key, a membership, a
partnership, a kommun) starts a new generation, through the signal receivers that
``CoreConfig.ready`` connects. The next request in any process then finds its entry outdated
and asks the database: a revoked key answers 401, a removed role 403 or 404, a deactivated
user 401, from the very next request. ``TIMEOUT`` bounds the life of an entry whatever happens.

What is kept is what the records said, never a decision: the caller's roles are checked
against it by the same code as before.
"""

from __future__ import annotations

from typing import Any

from samtrygg.core.generations import MISS, Generations

# Seconds an entry lives at most, should a change ever reach the database without a signal.
TIMEOUT = 60
ENTRIES = Generations("samtrygg:auth", TIMEOUT)
__all__ = ["MISS", "TIMEOUT", "changed", "forget_all", "get", "put"]


def forget_all(using: str | None = None) -> None:
    """Every entry outdated, now and again after the commit."""
    ENTRIES.renew(using=using)


# A save of only these fields changes nothing an entry is used for: a login's time is saved
# on every login, and would otherwise empty the cache each time someone logs in.
UNUSED_FIELDS = frozenset({"last_login"})


def changed(
    sender: Any, using: str | None = None, update_fields: Any = None, **kwargs: Any
) -> None:
    """Signal receiver for post_save and post_delete of the records the entries are made of."""
    if update_fields and set(update_fields) <= UNUSED_FIELDS:
        return
    forget_all(using)


def get(name: str) -> tuple[str | None, Any]:
    """The current generation and the entry ``name`` of it, or ``MISS``."""
    return ENTRIES.get(name)


def put(generation: str | None, name: str, value: Any) -> None:
    """Keep ``value`` as entry ``name`` of ``generation`` (as read by :func:`get`)."""
    ENTRIES.put(generation, name, value)

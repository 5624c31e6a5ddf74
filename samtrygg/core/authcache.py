"""Who an API caller is, kept in the shared cache for a short time.

An API request with a key must know the key's user and the user's roles in the partnership it
asks about. Both change rarely, and asking the database for them costs more than the rest of a
list request, so they are kept in Django's default cache: Redis when ``REDIS_URL`` is set, else
files under ``SAMTRYGG_VAR_DIR``; either way one store that every web process shares.

An entry is only good for the *generation* it was read in. Every save or delete of what the
entries are made of (a user, an API key, a membership, a partnership, a kommun) starts a new
generation, at once and again when the transaction commits, through the signal receivers that
``CoreConfig.ready`` connects. The next request in any process then finds its entry outdated
and asks the database: a revoked key answers 401, a removed role 403 or 404, a deactivated
user 401, from the very next request. An entry that a request was filling in while the change
committed carries the old generation and is never used. Generations are random, never
counted, so a generation that the cache has lost (culled, restarted) cannot come back and
bring old entries with it. ``TIMEOUT`` bounds the life of an entry whatever happens.

What is kept is what the records said, never a decision: the caller's roles are checked
against it by the same code as before.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import BaseCache, caches
from django.db import transaction

GENERATION = "samtrygg:auth:generation"
# Seconds an entry lives at most, should a change ever reach the database without a signal.
TIMEOUT = 60


class _Miss:
    def __repr__(self) -> str:
        return "MISS"


MISS: Any = _Miss()


def _cache() -> BaseCache:
    return caches["default"]


def _new_generation() -> None:
    _cache().set(GENERATION, secrets.token_hex(8), timeout=None)


def forget_all(using: str | None = None) -> None:
    """Every entry outdated: now (for this connection, which sees its own uncommitted change)
    and again after the commit (for every other connection, which sees it only then)."""
    _new_generation()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(_new_generation, using=using)


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
    """The current generation and the entry ``name`` of it, or ``MISS``. The generation is
    ``None`` when none could be started; then nothing is to be kept either."""
    cache = _cache()
    found = cache.get_many([GENERATION, name])
    generation = found.get(GENERATION)
    if generation is None:
        generation = secrets.token_hex(8)
        if not cache.add(GENERATION, generation, timeout=None):
            return None, MISS  # another process started one just now
        return generation, MISS
    entry = found.get(name)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == generation:
        return generation, entry[1]
    return generation, MISS


def put(generation: str | None, name: str, value: Any) -> None:
    """Keep ``value`` as entry ``name`` of ``generation`` (as read by :func:`get`)."""
    if generation is not None:
        _cache().set(name, (generation, value), timeout=TIMEOUT)

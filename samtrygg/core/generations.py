"""Results kept in the shared cache, each good only for the *generation* it was computed in.

Django's default cache is one store that every web process and job worker shares: Redis when
``REDIS_URL`` is set, else files under ``SAMTRYGG_VAR_DIR``. Something that is costly to read
or compute and changes rarely (who an API key belongs to, a lägesbild) is kept there beside the
generation of the records it was made of. A change to those records starts a new generation, at
once (for the connection that made it, which sees its own uncommitted change) and again when
the transaction commits (for every other connection, which sees it only then). An entry that
a process was computing while the change committed carries the old generation and is never
used. Generations are random, never counted, so a generation that the cache has lost (culled,
restarted) cannot come back and bring old entries with it. An entry's timeout bounds its life
whatever happens.

A store has *scopes*: a generation of its own for each, so that a change in one partnership
outdates that partnership's entries only. An entry depends on the scopes it is read with.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import BaseCache, caches
from django.db import transaction
from django.dispatch import Signal

ALL = "all"


class _Miss:
    def __repr__(self) -> str:
        return "MISS"


MISS: Any = _Miss()


def _cache() -> BaseCache:
    return caches["default"]


@dataclass(frozen=True)
class _Renewal:
    """The renewal of one scope at a commit (equal renewals are one)."""

    store: Generations
    scope: object

    def __call__(self) -> None:
        self.store._start(self.scope)
        self.store._committed(self.scope)


class Generations:
    """The entries of one store, named ``prefix:…``, living at most ``timeout`` seconds."""

    def __init__(self, prefix: str, timeout: int, committed: Signal | None = None) -> None:
        self.prefix = prefix
        self.timeout = timeout
        self.committed = committed

    def _committed(self, scope: object) -> None:
        if self.committed is not None:
            self.committed.send(sender=Generations, scope=scope)

    def generation_key(self, scope: object) -> str:
        return f"{self.prefix}:generation:{scope}"

    def _start(self, scope: object) -> None:
        _cache().set(self.generation_key(scope), secrets.token_hex(8), timeout=None)

    def renew(self, scope: object = ALL, using: str | None = None) -> None:
        """Every entry of ``scope`` outdated: now, and again after the commit (once per
        transaction: an import that writes a thousand audited records renews once at its
        commit, not a thousand times)."""
        self._start(scope)
        connection = transaction.get_connection(using)
        if not connection.in_atomic_block:
            self._committed(scope)
            return
        renewal = _Renewal(self, scope)
        # A renewal already waiting in this savepoint or one around it runs whenever this one
        # would (Django drops the renewals of a savepoint that rolls back); one left in a
        # savepoint that was released is not looked at, which costs at most one more renewal.
        active = set(connection.savepoint_ids)
        for savepoints, waiting, _robust in connection.run_on_commit:
            if waiting == renewal and set(savepoints) <= active:
                return
        transaction.on_commit(renewal, using=using)

    def get(self, name: str, scopes: Sequence[object] = (ALL,)) -> tuple[str | None, Any]:
        """The current generation of ``scopes`` (one token) and the entry ``name`` of it, or
        ``MISS``, in one round trip. The token is ``None`` when a scope had no generation and
        another process started one just now: then nothing is to be kept either."""
        cache = _cache()
        keys = [self.generation_key(scope) for scope in scopes]
        entry_key = f"{self.prefix}:{name}"
        found = cache.get_many([*keys, entry_key])
        parts = []
        for key in keys:
            generation = found.get(key)
            if generation is None:
                generation = secrets.token_hex(8)
                if not cache.add(key, generation, timeout=None):
                    return None, MISS
            parts.append(generation)
        token = ".".join(parts)
        entry = found.get(entry_key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == token:
            return token, entry[1]
        return token, MISS

    def put(self, token: str | None, name: str, value: Any) -> None:
        """Keep ``value`` as entry ``name`` of the generation ``token`` (as :meth:`get` gave)."""
        if token is not None:
            _cache().set(f"{self.prefix}:{name}", (token, value), timeout=self.timeout)


# Sent once a change to what a partnership's records say has committed, with its ``scope``
# (a partnership id, or ``ALL``): for work that follows a change, such as building the kept
# report columns again (``ObservationsConfig.ready``).
data_committed = Signal()

# What a partnership's records say, for results computed from them (the lägesbild). Scoped by
# partnership id; ``ALL`` is renewed by what every partnership reads (police events, Brå,
# population). Renewed by every audited write (``core.audit.record``), by a save or delete of
# a record a result is made of (the signal receivers of ``SituationConfig.ready``) and by the
# bulk imports that neither audit nor signal.
DATA = Generations("samtrygg:data", timeout=3600, committed=data_committed)


def data_changed(partnership_id: int | None = None, using: str | None = None) -> None:
    """What was computed from the partnership's records (or anyone's, with None) outdated."""
    DATA.renew(ALL if partnership_id is None else partnership_id, using=using)

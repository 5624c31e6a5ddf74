"""What other apps add to the lägesbild and its documents, without the lägesbild importing
them: they import this and register (the apps form layers, see ``.importlinter``; actions
build on the lägesbild, never the other way round).

* Document kinds: a generated document of another app (meeting minutes) is made and handed
  out by the same jobs and download page as the lägesbild's; its app registers how the
  document is rendered and who may fetch it.
* Actions in a period: the lägesbild of a period lists the actions done in it.
* The weekly digest: lines about the actions due, after the levels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from samtrygg.core.permissions import Actor

if TYPE_CHECKING:
    from samtrygg.situation.models import GeneratedDocument


@dataclass(frozen=True)
class DocumentKindHandler:
    """``render(actor, document)``: the document's bytes for the actor the job acts as;
    ``check(actor, document)``: raises NotFound/PermissionDenied when the actor may not see
    the page the document was made from."""

    render: Callable[[Actor, GeneratedDocument], bytes]
    check: Callable[[Actor, GeneratedDocument], None]


_DOCUMENT_KINDS: dict[str, DocumentKindHandler] = {}
_PERIOD_ACTIONS: list[Callable[[Actor, int, int], list[dict[str, Any]]]] = []
_DIGEST_LINES: list[Callable[[Any, dt.date], list[str]]] = []


def register_document_kind(kind: str, handler: DocumentKindHandler) -> None:
    _DOCUMENT_KINDS[kind] = handler


def document_kind(kind: str) -> DocumentKindHandler:
    return _DOCUMENT_KINDS[kind]


def register_period_actions(func: Callable[[Actor, int, int], list[dict[str, Any]]]) -> None:
    """``func(actor, start, end)`` (UTC epoch seconds): rows of the actions in the period."""
    if func not in _PERIOD_ACTIONS:
        _PERIOD_ACTIONS.append(func)


def actions_in_period(actor: Actor, start: int, end: int) -> list[dict[str, Any]]:
    return [row for func in _PERIOD_ACTIONS for row in func(actor, start, end)]


def register_digest_lines(func: Callable[[Any, dt.date], list[str]]) -> None:
    """``func(partnership, today)``: lines of the weekly digest (what every member may see)."""
    if func not in _DIGEST_LINES:
        _DIGEST_LINES.append(func)


def digest_lines(partnership: Any, today: dt.date) -> list[str]:
    return [line for func in _DIGEST_LINES for line in func(partnership, today)]

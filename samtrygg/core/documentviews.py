"""What the pages of a document with several forms share (a problem, a plan item, the
statutory lägesbild, a promise, an agreement, a follow-up): the buttons and what each writes,
a refusal shown beside the field that caused it (``core.pagekit.refusal``) with what was
typed, and a record a button names that must belong to the page's document.

A page's forms each name their button ``action`` (``core.forms.SubmitForm``); the view lists
its buttons as :class:`Button` and lets :func:`press` run the one that was pressed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from samtrygg.core.errors import DomainError
from samtrygg.core.forms import SubmitForm, typed
from samtrygg.core.pagekit import refusal

Record = TypeVar("Record")


def part_of(record: Record, document: Any, link: str) -> Record:
    """The record a button on ``document``'s page names (a cause, an item, an annex), when it
    belongs to that document through its ``link`` field; another document's record is not
    found here (404), whatever the reader may see elsewhere."""
    if getattr(record, f"{link}_id") != document.pk:
        raise Http404
    return record


@dataclass(frozen=True)
class Button:
    """One of a page's buttons. ``write`` gets the bound form of ``form_class`` (None for a
    button that posts no form of its own), writes through a service, says what was done and
    returns the address to go to (None: the page's own). A refusal is shown beside
    ``fields`` (by default every field of the form the page shows), else at the top."""

    write: Callable[[Any], str | None]
    form_class: type[forms.Form] | None = None
    fields: tuple[str, ...] | None = None

    def shown_fields(self, form: forms.Form | None) -> tuple[str, ...]:
        if self.fields is not None:
            return self.fields
        if form is None:
            return ()
        return tuple(name for name, found in form.fields.items() if not found.widget.is_hidden)


@dataclass
class Pressed:
    """What came of a POST: the redirect after a write, or the refused button (``refused``)
    with the refusal (field name -> message) and its bound form, to show what was typed."""

    response: HttpResponse | None = None
    refused: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    form: forms.Form | None = None

    def typed_in(self, *buttons: str, otherwise: dict[str, Any]) -> dict[str, Any]:
        """What was typed in the form whose write was refused, when it is the form of one of
        ``buttons`` (of any, when none is named), else ``otherwise``."""
        if self.form is not None and (not buttons or self.refused in buttons):
            return typed(self.form)
        return otherwise


def press(
    request: HttpRequest,
    buttons: Mapping[str, Button],
    *,
    then: str | None = None,
    allowed: bool = True,
    default: str = "",
) -> Pressed:
    """Run the button that was pressed (``default`` when the form names none) as
    :func:`submit` does. A button the page does not have is not found (404); a GET presses
    nothing."""
    if request.method != "POST":
        return Pressed()
    if not allowed:
        raise Http404
    what = SubmitForm(request.POST).pressed() or default
    if what not in buttons:
        raise Http404
    return submit(request, buttons[what], then=then, name=what)


def submit(
    request: HttpRequest,
    button: Button,
    *,
    then: str | None = None,
    allowed: bool = True,
    name: str = "post",
    summary_at_top: bool = True,
) -> Pressed:
    """Run the ``button`` of a page's form and go to the address its write returns, else to
    ``then`` (by default the page itself); a refusal comes back as the refused ``name``. A
    reader who may not write (``allowed``) finds no such form (404); a GET submits nothing.
    A page whose form says "nothing is saved" itself passes ``summary_at_top=False``."""
    if request.method != "POST":
        return Pressed()
    if not allowed:
        raise Http404
    form_class = button.form_class
    form = form_class(request.POST, request.FILES) if form_class is not None else None
    try:
        goto = button.write(form)
    except DomainError as exc:
        errors = refusal(request, exc, button.shown_fields(form), summary_at_top=summary_at_top)
        return Pressed(refused=name, errors=errors, form=form)
    return Pressed(response=redirect(goto or then or request.path))

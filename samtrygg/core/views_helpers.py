"""Small helpers every app's views use: the actor, errors as messages, pagination."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.permissions import Actor, actor_for

View = Callable[..., HttpResponse]


def with_actor(roles: frozenset[str] | None = None) -> Callable[[View], View]:
    """Require a logged-in user with a role in the current partnership (and one of ``roles``).

    The view gets ``actor`` as its second argument. A NotFound from a query becomes 404,
    a PermissionDenied 403 with the reason.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor: Actor | None = getattr(request, "actor", None)
            if actor is None:
                return render(request, "core/no_partnership.html", status=403)
            try:
                if roles is not None:
                    actor.require(roles)
                return view(request, actor, *args, **kwargs)
            except NotFound as exc:
                elsewhere = _found_elsewhere(request, actor, roles, view, args, kwargs)
                if elsewhere is not None:
                    return render(
                        request,
                        "core/found_elsewhere.html",
                        {"elsewhere": elsewhere, "next": request.get_full_path()},
                        status=404,
                    )
                raise Http404(exc.message) from exc
            except PermissionDenied as exc:
                return render(request, "core/forbidden.html", {"reason": exc.message}, status=403)

        return wrapper

    return decorate


def _found_elsewhere(
    request: HttpRequest,
    actor: Actor,
    roles: frozenset[str] | None,
    view: View,
    args: Any,
    kwargs: Any,
) -> Any:
    """The other partnership of the user's where a page that is 404 here opens, if any: a link
    of the other partnership then offers to switch rather than a plain "not found". Only for
    a GET (which writes nothing), tried in a transaction that is rolled back all the same."""
    if request.method != "GET":
        return None
    for partnership in getattr(request, "partnerships", []):
        if partnership.pk == actor.partnership.pk:
            continue
        other = actor_for(request.user, partnership)
        if other is None or (roles is not None and not other.has(roles)):
            continue
        try:
            with transaction.atomic():
                response = view(request, other, *args, **kwargs)
                transaction.set_rollback(True)
        except (DomainError, Http404):
            continue
        if response.status_code == 200:
            return partnership
    return None


def report_error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


def paginate(
    request: HttpRequest, items: Any, per_page: int = 25, *, param: str = "sida"
) -> Page[Any]:
    """The page of ``items`` named by ``?sida=`` (or ``param``): any text gives a page."""
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get(param))


def success(request: HttpRequest, text: str) -> None:
    messages.success(request, text)


def not_allowed_text() -> str:
    return _("Din roll i den här samverkan får inte göra detta.")


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, refused: bool = False
) -> HttpResponse:
    """A page with a form. After refused input it answers 400 and is never cached: it shows
    what was typed, possibly text the privacy screen refused, which is never stored."""
    response = render(request, template, context, status=400 if refused else 200)
    if refused:
        add_never_cache_headers(response)
    return response


def refuse(form: forms.Form, exc: DomainError) -> None:
    """Put a service's refusal beside its field when the form has that field, else on top."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def filter_errors(request: HttpRequest, form: Any) -> dict[str, str]:
    """The refusals of a list's filter form (a ``core.forms.FilterForm``), field name ->
    message, each also said at the top (the list shows nothing until it is corrected)."""
    errors: dict[str, str] = form.refusals()
    for message in errors.values():
        messages.error(request, _("Filtret kunde inte läsas: %(m)s") % {"m": message})
    return errors


def form_errors(
    request: HttpRequest, form: forms.Form, shown: tuple[str, ...] | None = None
) -> dict[str, str]:
    """The refusals of a bound form: field name -> message for the fields the page shows
    (all visible fields unless ``shown`` names them), with a line at the top saying nothing
    was saved; every other refusal as a message at the top."""
    if shown is None:
        shown = tuple(name for name, field in form.fields.items() if not field.widget.is_hidden)
    beside: dict[str, str] = {}
    for name, errors in form.errors.items():
        if name in shown:
            beside[name] = str(errors[0])
        else:
            for error in errors:
                messages.error(request, str(error))
    if beside:
        messages.error(request, _("Ingenting är sparat. Rätta det som är markerat."))
    return beside

"""Small helpers every app's views use: the actor, errors as messages, pagination."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.permissions import Actor

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
                raise Http404(exc.message) from exc
            except PermissionDenied as exc:
                return render(request, "core/forbidden.html", {"reason": exc.message}, status=403)

        return wrapper

    return decorate


def report_error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


def paginate(request: HttpRequest, items: Any, per_page: int = 25) -> Page[Any]:
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("sida"))


def success(request: HttpRequest, text: str) -> None:
    messages.success(request, text)


def not_allowed_text() -> str:
    return _("Din roll i den här samverkan får inte göra detta.")

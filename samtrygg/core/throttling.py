"""Login throttling on django-axes, with each attempt counted before its password is checked.

Axes checks the count of failures, then the password, then records a failure. Forty
parallel wrong passwords would all pass the check before the first failure was recorded.
Here an attempt is recorded first (in one transaction, as axes records a failure) and only
the attempts within the limit go on to the password; a successful login resets the count
(``AXES_RESET_ON_SUCCESS``), so a right password costs nothing.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class CountFirstHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """The database handler of axes, counting an attempt before the password is checked."""

    def is_allowed(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if not super().is_allowed(request, credentials):
            return False
        if self.is_whitelisted(request, credentials):
            return True
        if not getattr(request, "samtrygg_attempt_counted", False):
            super().user_login_failed(type(self), credentials or {}, request=request)
            request.samtrygg_attempt_counted = True
            # Counted after this attempt's own increment: of N parallel attempts, the one that
            # reads a count above the limit stops here, before its password is checked.
            limit = get_failure_limit(request, credentials)
            request.samtrygg_attempt_allowed = (request.axes_failures_since_start or 0) <= limit
            # An attempt within the limit is not yet a lockout, whatever axes concluded.
            request.axes_locked_out = not request.samtrygg_attempt_allowed
        return bool(request.samtrygg_attempt_allowed)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        if request is not None and getattr(request, "samtrygg_attempt_counted", False):
            return  # counted before the password was checked
        super().user_login_failed(sender, credentials, request=request, **kwargs)


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The name an attempt is counted under: the e-mail address as typed, in lower case."""
    value = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(value).strip().lower()


class _LockedOutForm(AuthenticationForm):
    """The login form, refused as a whole without checking the password again."""

    def clean(self) -> dict[str, Any]:
        raise ValidationError(
            _("För många misslyckade inloggningar. Vänta några minuter och försök igen.")
        )


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The login page again, with the reason, as 429 (Too Many Requests)."""
    form = _LockedOutForm(request, data=request.POST)
    form.is_valid()
    context = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "core/login.html", context, status=429)

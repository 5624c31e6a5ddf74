"""Abuse protection for the public channels, without third-party services.

* A throttle per client address and one in total (all addresses together), each a counter
  per window in the ``throttle`` cache, as the API's throttle keeps them: a tip costs a few
  cache operations and no database write before it is accepted.
* A honeypot field that people do not see and scripts fill in.
* A minimum fill time: the form carries a signed timestamp of when it was shown; a form sent
  back sooner than a person could fill it in is refused.

The rates are settings (``RESIDENT_TIPS_PER_ADDRESS``, ``RESIDENT_TIPS_TOTAL``,
``RESIDENT_TIP_MIN_SECONDS``), declared with their defaults in ``samtrygg/settings.py`` and
read from the environment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import BaseCache, caches
from django.http import HttpRequest
from django.utils.translation import gettext as _

from samtrygg.core.clientip import client_address

# A form older than this is refused as stale (it was shown a day ago).
MAX_FORM_AGE = 24 * 3600
HONEYPOT = "webbplats"
TOKEN_FIELD = "visad"  # noqa: S105 - a form field name, not a secret
_SALT = "samtrygg.residents.tip-form"
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _now() -> float:
    return time.time()


class Refused(Exception):
    """A tip refused before it is read; ``status`` 429 (too many) or 400 (form problem)."""

    def __init__(self, message: str, status: int, retry_after: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def _rate(value: str) -> tuple[int, int]:
    count, period = value.strip().split("/", 1)
    return int(count), _PERIODS[period.strip()[:1]]


def _cache() -> BaseCache:
    return caches["throttle" if "throttle" in settings.CACHES else "default"]


@dataclass(frozen=True)
class _Window:
    key: str
    limit: int
    retry_after: int


def _window(name: str, rate: str) -> _Window:
    limit, period = _rate(rate)
    now = _now()
    window = int(now // period)
    return _Window(f"tips:{name}:{period}:{window}", limit, int((window + 1) * period - now) + 1)


def _count(window: _Window, period_seconds: int) -> int:
    cache = _cache()
    cache.add(window.key, 0, timeout=period_seconds + 1)
    try:
        return int(cache.incr(window.key))
    except ValueError:  # the window expired between add and incr
        cache.add(window.key, 1, timeout=period_seconds + 1)
        return 1


def throttle(request: HttpRequest) -> None:
    """Count one tip from the request's address; raise Refused (429) beyond either limit."""
    per_address = settings.RESIDENT_TIPS_PER_ADDRESS
    total = settings.RESIDENT_TIPS_TOTAL
    address = client_address(request) or "okänd"
    for name, rate, message in (
        (
            f"a{address}",
            per_address,
            _(
                "Du har skickat många tips på kort tid. Vänta en stund och försök igen – "
                "vid pågående brott eller fara: ring 112."
            ),
        ),
        (
            "total",
            total,
            _(
                "Just nu kommer det in ovanligt många tips. Vänta en stund och försök igen – "
                "vid pågående brott eller fara: ring 112."
            ),
        ),
    ):
        window = _window(name, rate)
        if _count(window, _rate(rate)[1]) > window.limit:
            raise Refused(message, 429, window.retry_after)


def form_token(shown_at: float | None = None) -> str:
    """The signed timestamp a tip form carries (when it was shown)."""
    return signing.dumps({"t": round(shown_at if shown_at is not None else _now(), 3)}, salt=_SALT)


def check_form(token: str, honeypot: str) -> None:
    """Refuse (400) a form whose honeypot is filled in or that came back too soon or too late."""
    if honeypot.strip():
        raise Refused(_("Tipset kunde inte tas emot. Fältet ”webbplats” ska lämnas tomt."), 400)
    try:
        shown = float(signing.loads(token, salt=_SALT, max_age=MAX_FORM_AGE)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Refused(
            _("Formuläret har blivit för gammalt eller är skadat. Ladda om sidan och försök igen."),
            400,
        ) from None
    minimum = float(settings.RESIDENT_TIP_MIN_SECONDS)
    if _now() - shown < minimum:
        raise Refused(
            _(
                "Formuläret skickades för snabbt för att en människa ska ha fyllt i det. "
                "Vänta några sekunder och skicka igen."
            ),
            400,
        )

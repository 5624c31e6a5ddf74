"""The API's throttle: so many requests per client and period (``API_THROTTLE_RATE``).

A client is the user of the key or session, else the address (seen through the trusted
proxies). The count is one counter per client and window in the ``throttle`` cache (Redis
when configured, else each web process's memory), so a request costs two cache operations
and no database or file write.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from samtrygg.core.clientip import client_address

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"600/m"`` → (600, 60). Refuses anything else with a clear message."""
    try:
        count, period = rate.strip().split("/", 1)
        return int(count), _PERIODS[period.strip()[:1]]
    except (ValueError, KeyError) as exc:
        raise ValueError(
            f"API_THROTTLE_RATE ska skrivas som antal/period, t.ex. 600/m (fick {rate!r})"
        ) from exc


def _cache() -> BaseCache:
    return caches["throttle" if "throttle" in settings.CACHES else "default"]


class ApiThrottle(BaseThrottle):
    def __init__(self, rate: str | None = None) -> None:
        self.rate = rate
        self._wait = 0.0

    def allow_request(self, request: HttpRequest) -> bool:
        count, period = parse_rate(self.rate or settings.API_THROTTLE_RATE)
        user_id = getattr(getattr(request, "auth", None), "pk", None)
        who = f"u{user_id}" if user_id else f"a{client_address(request)}"
        now = time.time()
        window = int(now // period)
        key = f"api-throttle:{who}:{period}:{window}"
        cache = _cache()
        cache.add(key, 0, timeout=period + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # the window expired between add and incr
            cache.add(key, 1, timeout=period + 1)
            used = 1
        self._wait = (window + 1) * period - now
        return used <= count

    def wait(self) -> float | None:
        return self._wait

"""The client's address, as the login throttle and the API throttle see it.

Behind a reverse proxy every request comes from the proxy's address. The proxies listed in
``TRUSTED_PROXIES`` (addresses or networks) are believed about ``X-Forwarded-For``: the
client is the right-most address in that header that is not itself a trusted proxy. A
request from anywhere else is taken at its own address, whatever it claims in the header,
so nobody can pick the address they are counted under.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address the request came from, seen through the trusted proxies only."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(remote, networks):
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    for address in reversed(forwarded):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return remote  # a header the proxy did not write: believe nothing of it
        if not _trusted(address, networks):
            return address
    return forwarded[0] if forwarded else remote

"""Cells of the county pages ("ingen uppgift" for a missing value) and the county menu."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0")


def _unknown() -> SafeString:
    return format_html('<span class="unknown">{}</span>', _("ingen uppgift"))


@register.simple_tag
def day_or_unknown(value: dt.date | None) -> SafeString:
    if value is None:
        return _unknown()
    return format_html("{}", value.isoformat())


@register.simple_tag
def yes_no(value: bool | None) -> SafeString:
    if value is None:
        return _unknown()
    if value:
        return format_html('<span class="ok-mark">{}</span>', _("ja"))
    return format_html('<span class="no-mark">{}</span>', _("nej"))


@register.simple_tag
def rate(value: Any) -> SafeString:
    """A Rate: the rate per 100 000, the count under it when known."""
    if value is None or value.rate is None:
        return format_html('<span class="hint">{}</span>', "–")
    if value.count is None:
        return format_html("{}", _number(value.rate))
    return format_html(
        '{}<br><span class="hint">{}</span>',
        _number(value.rate),
        _("%(n)s brott") % {"n": _number(value.count)},
    )


@register.simple_tag
def police_cell(row: Any, year: int) -> SafeString:
    per = row.rates.get(year)
    count = row.counts.get(year, 0)
    if per is None:
        return format_html('{}<br><span class="hint">{}</span>', "–", _number(count))
    return format_html('{}<br><span class="hint">{}</span>', _number(per), _number(count))


@register.simple_tag
def trend(value: float | None) -> SafeString:
    if value is None:
        return format_html('<span class="hint">{}</span>', "–")
    arrow = "↑" if value > 0.05 else "↓" if value < -0.05 else "→"
    percent = round(value * 100)
    # A change that rounds to nothing has no sign ("0 %", not "−0 %").
    change = f"{percent:+d}".replace("-", "−") if percent else "0"
    return format_html('<span class="trend">{} {}\u00a0%</span>', arrow, change)


@register.simple_tag
def level_name(key: str) -> str:
    names = {
        "green": _("grön"),
        "yellow": _("gul"),
        "orange": _("orange"),
        "red": _("röd"),
    }
    return names.get(key, key)


@register.inclusion_tag("county/_nav.html", takes_context=True)
def county_nav(context: Any) -> dict[str, Any]:
    """The county menu line: the län and lokalpolisområden the user reads (none: nothing)."""
    from samtrygg.county.scope import scopes_of

    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"scopes": []}
    scopes = getattr(request, "_county_scopes", None)
    if scopes is None:
        scopes = scopes_of(user)
        request._county_scopes = scopes
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "") or ""
    return {"scopes": scopes, "here": url_name, "has_actor": context.get("actor") is not None}


@register.filter
def breaks_at_slashes(value: str) -> SafeString:
    """``value`` escaped, with a break opportunity after each slash: a category such as
    "Evenemang/arrangemang" wraps there on a phone instead of widening its table."""
    return mark_safe(escape(value).replace("/", "/<wbr>"))  # escaped first: only <wbr> is markup

"""Small template helpers for the lägesbild."""

from __future__ import annotations

from typing import Any

from django import template

from samtrygg.analysis.levels import LEVEL_KEYS, Level

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if not mapping:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def level_key(level: Any) -> str:
    try:
        return LEVEL_KEYS[Level(int(level))]
    except (TypeError, ValueError):
        return "green"

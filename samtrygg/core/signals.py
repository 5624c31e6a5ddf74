"""Signals that core sends for the apps (core imports no app; the apps listen)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once per service call that created, changed or deleted delområden, inside its
# transaction, with ``partnership``: what lies in the areas (reports) is located anew once.
areas_changed = Signal()

"""The partnership's public site under /p/<kommunkod>/: who it belongs to, read without login.

Every public page (the citizen promise, the tip form, fact answers, the web survey) finds its
partnership here, so an unknown kommunkod is the same 404 everywhere and a page never has to
reach a model manager itself. Derived numbers on these pages go through
``samtrygg.core.aggregation``; authored, published text is shown as written.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from samtrygg.core.models import Partnership


def public_partnership(kommunkod: str) -> Partnership:
    """The partnership of a kommun by its four-digit code, or 404 when there is none."""
    if len(kommunkod) != 4 or not kommunkod.isdigit():
        raise Http404(_("Kommunkoden ska vara fyra siffror."))
    partnership = (
        Partnership.objects.select_related("municipality", "municipality__county", "police_area")
        .filter(municipality__code=kommunkod)
        .first()
    )
    if partnership is None:
        raise Http404(_("Ingen samverkan för den kommunen finns i Samtrygg."))
    return partnership

"""The county app's records: who reads a län as its länssamordnare."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samtrygg.core.basemodels import acting_user
from samtrygg.core.models import County


class CountyAssignment(models.Model):
    """A user is länssamordnare for a län: they read the län's kommuner in aggregate.

    Granted by a system administrator only (``county.services.grant_county``). It gives no
    role in any partnership: the partnership pages keep refusing the user, and the county
    pages read only aggregates, metadata and adopted or published documents.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="county_assignments",
        verbose_name=_("användare"),
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("län"),
    )
    granted_by = acting_user(_("given av"))
    granted_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("länssamordnare")
        verbose_name_plural = _("länssamordnare")
        ordering = ["county", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "county"], name="county_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.county}"

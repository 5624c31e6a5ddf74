"""The joint lägesbild: a picture of one partnership for one period, drafted from the
computed picture, given levels per delområde (overrides need a reason) and an assessment,
and adopted as a frozen, versioned snapshot that later data never change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samtrygg.core.basemodels import (
    ComputedAndAdopted,
    acting_user,
    previous_version,
    tenant_link,
)
from samtrygg.core.models import Area, TenantModel


class PeriodUnit(models.TextChoices):
    WEEK = "week", _("Vecka")
    MONTH = "month", _("Månad")
    TERTIAL = "tertial", _("Tertial")
    YEAR = "year", _("År")


class PictureStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    AWAITING_COSIGN = "kontrasignering", _("Väntar på kontrasignering")
    ADOPTED = "antagen", _("Antagen")
    SUPERSEDED = "ersatt", _("Ersatt av en rättelse")


class LevelChoice(models.IntegerChoices):
    GREEN = 0, _("Grön (lugnt)")
    YELLOW = 1, _("Gul (förhöjt)")
    ORANGE = 2, _("Orange (oroligt)")
    RED = 3, _("Röd (allvarligt)")


class TrendChoice(models.IntegerChoices):
    DOWN = -1, _("↓ minskar")
    STEADY = 0, _("→ oförändrat")
    UP = 1, _("↑ ökar")


class SituationPicture(ComputedAndAdopted, TenantModel):
    """Lägesbild: one version of the picture of a period.

    ``snapshot`` holds every number, the chart specifications and their SVG renderings, the
    map (SVG) and the texts; it is written when the draft is computed and frozen when the
    picture is adopted. A correction is a new version (``supersedes``) with its reason.
    """

    partnership = tenant_link("situation_pictures")
    unit = models.CharField(_("periodtyp"), max_length=8, choices=PeriodUnit.choices)
    period_index = models.IntegerField(_("period"))
    period_label = models.CharField(_("period"), max_length=20)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=PictureStatus.choices, default=PictureStatus.DRAFT
    )
    supersedes = previous_version(_("rättar"))
    correction_reason = models.TextField(_("skäl till rättelsen"), blank=True)
    assessment = models.TextField(_("bedömning"), blank=True)
    snapshot = models.JSONField(_("ögonblicksbild"), default=dict)
    requires_cosign = models.BooleanField(_("kräver kontrasignering"), default=False)
    cosigned_by = acting_user()
    cosigned_at = models.DateTimeField(_("kontrasignerad"), null=True, blank=True)

    class Meta:
        verbose_name = _("lägesbild")
        verbose_name_plural = _("lägesbilder")
        ordering = ["-period_index", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "unit", "period_index", "version"],
                name="picture_unique_version",
            )
        ]
        indexes = [models.Index(fields=["partnership", "unit", "period_index"])]

    def __str__(self) -> str:
        return f"{self.period_label} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.status in (PictureStatus.ADOPTED, PictureStatus.SUPERSEDED)

    @property
    def is_editable(self) -> bool:
        return self.status == PictureStatus.DRAFT


class AreaLevel(models.Model):
    """The level of one delområde in a picture: the suggestion and the decision."""

    picture = models.ForeignKey(SituationPicture, on_delete=models.CASCADE, related_name="levels")
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, related_name="+")
    area_name = models.CharField(_("delområde"), max_length=200)
    suggested_level = models.SmallIntegerField(_("föreslagen nivå"), choices=LevelChoice.choices)
    suggested_trend = models.SmallIntegerField(_("föreslagen trend"), choices=TrendChoice.choices)
    level = models.SmallIntegerField(_("nivå"), choices=LevelChoice.choices)
    trend = models.SmallIntegerField(_("trend"), choices=TrendChoice.choices)
    reason = models.TextField(_("skäl till avvikelse"), blank=True)

    class Meta:
        verbose_name = _("nivå för delområde")
        verbose_name_plural = _("nivåer för delområden")
        ordering = ["picture", "area_name"]

    def __str__(self) -> str:
        return f"{self.area_name}: {self.get_level_display()}"

    @property
    def overridden(self) -> bool:
        return self.level != self.suggested_level or self.trend != self.suggested_trend


class DocumentKind(models.TextChoices):
    PICTURE = "lagesbild", _("Lägesbild")
    MINUTES = "protokoll", _("Mötesprotokoll")


class DocumentFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel (XLSX)")


class DocumentAudience(models.TextChoices):
    """Who the document was made for: the full version shows the actions of the period."""

    FULL = "full", _("Samordnare och analytiker")
    ADOPTED = "antagen", _("Alla som ser antagna lägesbilder")


class GeneratedDocument(TenantModel):
    """A document made by a background job (an adopted lägesbild, meeting minutes), stored
    under MEDIA_ROOT and only handed out through a permission-checked download page.

    ``key`` names the content (the picture version or the meeting's revision, the format and
    the audience); the same key is made once.
    """

    partnership = tenant_link("generated_documents")
    kind = models.CharField(_("typ"), max_length=12, choices=DocumentKind.choices)
    format = models.CharField(_("format"), max_length=4, choices=DocumentFormat.choices)
    audience = models.CharField(
        _("målgrupp"),
        max_length=8,
        choices=DocumentAudience.choices,
        default=DocumentAudience.FULL,
    )
    picture = models.ForeignKey(
        SituationPicture,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    meeting = models.ForeignKey(
        "actions.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    key = models.CharField(_("nyckel"), max_length=200, unique=True)
    task_id = models.CharField(_("jobb"), max_length=64, blank=True)
    file = models.FileField(_("fil"), upload_to="dokument/", blank=True, max_length=300)
    filename = models.CharField(_("filnamn"), max_length=200)
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("skapat dokument")
        verbose_name_plural = _("skapade dokument")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_ready(self) -> bool:
        return bool(self.file)


class DigestDelivery(TenantModel):
    """One member got one partnership's weekly digest for one ISO week.

    Written in the same transaction as the mail is sent, so a digest that failed partway and
    is run again sends only to the members without a row, and a run after a complete one
    sends nothing. The unique constraint also makes a second run at the same time wait for
    the first and then skip the member instead of mailing twice.
    """

    partnership = tenant_link("+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(_("vecka"), max_length=8)  # ISO week, e.g. "2025-W47"
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("skickad veckosammanfattning")
        verbose_name_plural = _("skickade veckosammanfattningar")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "week"], name="digest_delivery_once_per_week"
            )
        ]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.user_id} {self.week}"

"""External facts: the police's published events, Brå's crime statistics, and the log of
every import and fetch. Police events and statistics are national reference data, not a
partnership's records: every partnership reads those of its own kommun and län."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtrygg.core.models import County, Municipality

if TYPE_CHECKING:
    from samtrygg.core.dataio import ImportOutcome


class Precision(models.TextChoices):
    KOMMUN = "kommun", _("Kommun")
    LAN = "lan", _("Län")


class PoliceEvent(models.Model):
    """One event of the police events feed, in its latest known version.

    The kommun is resolved by name only (the published point is a kommun or län centroid);
    ``precision`` says whether the event is placed in a kommun or only in a län.
    """

    id = models.BigIntegerField(primary_key=True)
    published = models.DateTimeField(_("publicerad"), db_index=True)
    occurred = models.DateTimeField(_("inträffade"), null=True, blank=True, db_index=True)
    title = models.CharField(_("rubrik"), max_length=300)
    summary = models.TextField(_("sammanfattning"), blank=True)
    url = models.URLField(_("länk"), max_length=500)
    type = models.CharField(_("händelsetyp"), max_length=100, db_index=True)
    is_summary = models.BooleanField(_("sammanfattning av flera händelser"), default=False)
    location_name = models.CharField(_("platsnamn"), max_length=100)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # No single-column indexes: the (municipality, published) and (county, published) indexes
    # below serve every lookup by kommun or län, and fewer indexes make the import faster.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="police_events",
        verbose_name=_("kommun"),
        db_index=False,
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="police_events",
        verbose_name=_("län"),
        db_index=False,
    )
    precision = models.CharField(_("precision"), max_length=6, choices=Precision.choices)
    raw = models.JSONField()
    content_hash = models.CharField(max_length=64)
    seen_at = models.DateTimeField(_("senast sedd"))
    version_count = models.PositiveSmallIntegerField(default=1)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("polishändelse")
        verbose_name_plural = _("polishändelser")
        ordering = ["-published", "-id"]
        indexes = [
            models.Index(fields=["municipality", "published"]),
            models.Index(fields=["county", "published"]),
        ]

    def __str__(self) -> str:
        return self.title


class PoliceEventVersion(models.Model):
    """An earlier version of an event that the police later edited."""

    event = models.ForeignKey(PoliceEvent, on_delete=models.CASCADE, related_name="versions")
    content_hash = models.CharField(max_length=64)
    raw = models.JSONField()
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tidigare version")
        verbose_name_plural = _("tidigare versioner")
        ordering = ["event", "seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "content_hash"], name="police_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.seen_at:%Y-%m-%d %H:%M}"


class CrimeUnit(models.TextChoices):
    COUNT = "antal", _("antal anmälda brott")
    PER_100K = "per_100000", _("per 100 000 invånare (så som publicerat)")


class CrimeStatistic(models.Model):
    """Reported crimes (Brå) per kommun, year and crime category.

    Counts are stored; rates are computed from the count and the population when shown, and
    never stored beside the count. Only where Brå publishes a rate without a count is the
    published rate kept (unit ``per_100000``).
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="crime_statistics"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    category = models.CharField(_("brottskategori"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=12, choices=CrimeUnit.choices)
    value = models.FloatField(
        _("värde"), null=True, blank=True, help_text=_("tomt: uppgift saknas")
    )
    source = models.CharField(_("källa"), max_length=200, default="Brå")

    class Meta:
        verbose_name = _("brottsstatistik")
        verbose_name_plural = _("brottsstatistik")
        ordering = ["municipality", "year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "category", "unit"], name="crime_stat_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year} {self.category}: {self.value}"


class SourceRun(models.Model):
    """One import or fetch of an external source: when, what, how it went."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import")
        FETCH = "fetch", _("Hämtning")

    source = models.CharField(_("källa"), max_length=30, db_index=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=True)
    detail = models.TextField(blank=True)

    class Meta:
        verbose_name = _("källkörning")
        verbose_name_plural = _("källkörningar")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.started_at:%Y-%m-%d %H:%M}"

    def take_counts(self, outcome: ImportOutcome) -> None:
        """The counts of the import or fetch this run made (not saved here)."""
        self.created, self.updated = outcome.created, outcome.updated
        self.unchanged, self.skipped = outcome.unchanged, outcome.skipped


class FetchCall(models.Model):
    """Every call to the police API, for the rules of use (10 s apart, 60/h, 1440/day)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("anrop till polisen")
        verbose_name_plural = _("anrop till polisen")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status}"


class FetchLock(models.Model):
    """A single row that fetchers lock, so the rules hold across workers."""

    name = models.CharField(max_length=30, primary_key=True)
    backoff_until = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.name

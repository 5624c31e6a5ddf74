"""EST reports: categories, the police type mapping, time bands, reports and observations.

A *report* (rapport) is what a reporter sends at one time; it holds one or more
*observations* (händelser), each at one place and time, in one category. Everything belongs
to one partnership; an observation also to the organisation that reported it, which owns it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtrygg.core.basemodels import (
    acting_user,
    demo_flag,
    one_per_tenant,
    optional_link,
    tenant_link,
)
from samtrygg.core.models import Area, Organisation, Place, TenantModel
from samtrygg.observations.vocabulary import ASSESSMENTS, DEFAULT_TIME_BANDS


def default_time_bands() -> list[dict[str, str]]:
    return [dict(band) for band in DEFAULT_TIME_BANDS]


class ReportingSettings(TenantModel):
    """Per-partnership settings of reporting: the time bands offered in the form.

    Its existence also marks that the partnership's default categories and police type
    mapping have been created (``defaults_version`` says which shipped set).
    """

    partnership = one_per_tenant("reporting_settings")
    time_bands = models.JSONField(_("tidsband"), default=default_time_bands)
    defaults_version = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rapportinställningar")
        verbose_name_plural = _("rapportinställningar")

    def __str__(self) -> str:
        return str(_("Rapportinställningar för %(p)s") % {"p": self.partnership})


class Category(TenantModel):
    """An EST observation category of one partnership. Retired ones stay for history."""

    partnership = tenant_link("observation_categories")
    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(_("kortnamn"), max_length=60)
    is_default = models.BooleanField(_("standardkategori"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=100)
    retired_at = models.DateTimeField(_("avvecklad"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="category_unique_slug"),
            models.UniqueConstraint(fields=["partnership", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class PoliceTypeMapping(TenantModel):
    """Which category a police event type counts as in this partnership (None: unmapped)."""

    partnership = tenant_link("police_type_mappings")
    police_type = models.CharField(_("polisens händelsetyp"), max_length=120)
    category = optional_link(Category, related_name="police_types", verbose_name=_("kategori"))
    needs_review = models.BooleanField(
        _("ny typ, ej granskad"),
        default=False,
        help_text=_("Typen dök upp i flödet efter att tabellen skapades."),
    )
    first_seen_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("koppling av polisens händelsetyp")
        verbose_name_plural = _("kopplingar av polisens händelsetyper")
        ordering = ["police_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "police_type"], name="police_type_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.police_type} → {self.category or '–'}"


class Channel(models.TextChoices):
    FORM = "formular", _("Formulär")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    DEMO = "demo", _("Demodata")
    TIP = "tips", _("Tips från invånare")


class Report(TenantModel):
    """One submission by a reporter (or one imported file): one or more observations.

    ``client_uuid`` is made by the reporter's browser (or an integration); sending the same
    report twice with it stores it once.
    """

    partnership = tenant_link("reports")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("organisation"),
    )
    reporter = acting_user(_("rapportör"), related_name="reports")
    created_at = models.DateTimeField(_("inskickad"), default=timezone.now)
    client_uuid = models.UUIDField(null=True, blank=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    is_demo = demo_flag()

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="report_unique_client_uuid",
            )
        ]
        indexes = [models.Index(fields=["partnership", "created_at"])]

    def __str__(self) -> str:
        return str(_("Rapport %(id)s") % {"id": self.pk})


class LocationPrecision(models.TextChoices):
    PLACE = "plats", _("Namngiven plats")
    POINT = "punkt", _("Punkt på kartan")
    POSITION = "position", _("Enhetens position")
    AREA = "delomrade", _("Delområde (ungefärlig plats)")


class Source(models.TextChoices):
    OWN = "egen_iakttagelse", _("Egen iakttagelse")
    RESIDENTS = "boende", _("Boende")
    SOCIAL_MEDIA = "sociala_medier", _("Sociala medier")
    POLICE_REPORT = "polisanmalan", _("Polisanmälan")


class Observation(TenantModel):
    """Händelserapport: one incident at one place and time (docs/domain.md, Rapporter).

    Time: ``occurred_on`` is the local date. With an exact time ``time_exact`` is true and
    ``occurred_at`` is that instant; otherwise the reporter gave a time band and
    ``occurred_at`` is the middle of the band. ``occurred_start``/``occurred_end`` bound the
    incident (equal for an exact time). All instants are UTC; ``time_band`` is the key of
    the band the incident falls in (also derived for an exact time), empty when no band
    covers it.

    Place: ``lat``/``lon`` always hold the point (a named place's own point for precision
    ``plats``); ``area`` and ``h3_cell`` are resolved from it when written.

    A duplicate is merged by pointing ``merged_into`` at the observation it duplicates;
    the merge is undone by clearing it. Merged observations are left out of lists and counts.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="observations")
    partnership = tenant_link("observations")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("organisation"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="observations", verbose_name=_("kategori")
    )
    occurred_on = models.DateField(_("datum"))
    time_band = models.CharField(_("tidsband"), max_length=30, blank=True)
    time_exact = models.BooleanField(_("exakt klockslag"), default=False)
    occurred_at = models.DateTimeField(_("tidpunkt"))
    occurred_start = models.DateTimeField(_("från"))
    occurred_end = models.DateTimeField(_("till"))
    place = optional_link(Place, related_name="observations", verbose_name=_("plats"))
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    area = optional_link(Area, related_name="observations", verbose_name=_("delområde"))
    h3_cell = models.BigIntegerField(_("h3-cell"))
    location_precision = models.CharField(
        _("platsangivelse"), max_length=10, choices=LocationPrecision.choices
    )
    description = models.TextField(_("beskrivning"))
    assessment = models.PositiveSmallIntegerField(_("bedömning"), choices=ASSESSMENTS)
    people_count = models.PositiveSmallIntegerField(
        _("ungefärligt antal personer"), null=True, blank=True
    )
    source = models.CharField(_("källa"), max_length=20, choices=Source.choices)
    police_reported = models.BooleanField(_("polisanmält"), default=False)
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    reviewed_by = acting_user(_("granskad av"))
    merged_into = optional_link("self", related_name="duplicates", verbose_name=_("dubblett av"))
    import_key = models.CharField(max_length=64, blank=True)
    is_demo = demo_flag()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "occurred_at"]),
            models.Index(fields=["partnership", "occurred_on"]),
            models.Index(fields=["partnership", "area"]),
            models.Index(fields=["partnership", "h3_cell"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "import_key"],
                condition=~models.Q(import_key=""),
                name="observation_unique_import_key",
            ),
            models.CheckConstraint(
                condition=models.Q(assessment__gte=1, assessment__lte=4),
                name="observation_assessment_1_4",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Händelse %(id)s") % {"id": self.pk})

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class ReportColumns(models.Model):
    """The reports of one partnership and year (UTC) as integer columns, read by the lägesbild.

    A copy kept for speed, not a record of its own: ``observations.columns`` builds it from
    the reports, and the lägesbild reads it instead of the reports while it is current. The
    database keeps it honest: its triggers (migration 0003) raise ``version`` whenever a report
    of that partnership and year is written, whatever wrote it (a service, the admin, a bulk
    import, SQL by hand), and the columns count only while ``built_version`` equals it.
    """

    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.CASCADE, related_name="report_columns"
    )
    year = models.IntegerField()
    version = models.BigIntegerField(default=1)
    built_version = models.BigIntegerField(default=0)
    # The source keys that the source column's codes stand for, comma-separated.
    source_keys = models.CharField(max_length=200, blank=True)
    columns = models.BinaryField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"], name="report_columns_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id}/{self.year}"

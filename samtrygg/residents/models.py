"""The residents app's records: tips about places, claims with their fact answers, and the
partnership's public categories (which ones residents may tip about, which ones Open311 serves).

A tip holds no name: the place, the category, a screened text and, only if the resident wants
an answer, an e-mail address that is deleted a set time after the tip is closed. A claim is a
rumour as it was seen (channel, date, area, period, categories, wording without names); its
answers are versions, each approved by a second person before it is published.
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
from samtrygg.core.models import Area, Place, TenantModel
from samtrygg.observations.models import Category, Observation

# Default days an e-mail address is kept after its tip is closed.
DEFAULT_CONTACT_DAYS = 90


class ResidentSettings(TenantModel):
    """Per partnership: where tips are forwarded (the kommun's felanmälan) and how long a
    tipster's e-mail address is kept after the tip is closed."""

    partnership = one_per_tenant("resident_settings")
    fault_report_name = models.CharField(
        _("felanmälans namn"), max_length=200, default="", blank=True
    )
    fault_report_email = models.EmailField(_("felanmälans e-postadress"), blank=True, default="")
    contact_days = models.PositiveSmallIntegerField(
        _("dagar e-postadressen sparas efter att tipset stängts"), default=DEFAULT_CONTACT_DAYS
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inställning för invånartips")
        verbose_name_plural = _("inställningar för invånartips")

    def __str__(self) -> str:
        return str(self.partnership)


class PublicCategory(TenantModel):
    """Whether residents may choose a category in a tip, and whether Open311 serves it
    (physical faults only). A category without a row takes the defaults of
    :mod:`samtrygg.residents.categories`."""

    partnership = tenant_link("public_categories")
    category = models.OneToOneField(
        Category, on_delete=models.CASCADE, related_name="public_setting"
    )
    is_public = models.BooleanField(_("kan väljas i invånartips"), default=False)
    open311 = models.BooleanField(_("tas emot via Open311"), default=False)
    description = models.CharField(_("beskrivning för invånare"), max_length=300, blank=True)
    keywords = models.CharField(_("sökord"), max_length=200, blank=True)
    group = models.CharField(_("grupp"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("publik kategori")
        verbose_name_plural = _("publika kategorier")

    def __str__(self) -> str:
        return str(self.category)


class TipStatus(models.TextChoices):
    NEW = "ny", _("Ny")
    CONVERTED = "rapport", _("Blev en rapport")
    FORWARDED = "felanmalan", _("Skickad till felanmälan")
    CLOSED = "stangd", _("Stängd")


class TipChannel(models.TextChoices):
    FORM = "formular", _("Formuläret")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")


class PlaceKind(models.TextChoices):
    MAP = "karta", _("Punkt på kartan")
    POSITION = "position", _("Enhetens position")
    PLACE = "plats", _("Namngiven plats")


class Tip(TenantModel):
    """A resident's tip about a place or an environment (never about a person)."""

    partnership = tenant_link("tips")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="tips", verbose_name=_("kategori")
    )
    created_at = models.DateTimeField(_("inskickat"), default=timezone.now)
    seen_on = models.DateField(_("sett"), null=True, blank=True)
    place_kind = models.CharField(_("platsangivelse"), max_length=10, choices=PlaceKind.choices)
    place = optional_link(Place, related_name="tips")
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    area = optional_link(Area, related_name="tips")
    description = models.TextField(_("beskrivning"))
    contact_email = models.EmailField(_("e-postadress för svar"), blank=True)
    contact_delete_after = models.DateTimeField(_("e-postadressen tas bort"), null=True, blank=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=TipChannel.choices)
    client_app = models.CharField(_("app"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TipStatus.choices, default=TipStatus.NEW
    )
    handled_at = models.DateTimeField(_("hanterat"), null=True, blank=True)
    handled_by = acting_user(_("hanterat av"))
    outcome = models.TextField(_("utfall"), blank=True)
    forwarded_to = models.CharField(_("skickat till"), max_length=300, blank=True)
    observation = optional_link(Observation, related_name="+")
    is_demo = demo_flag()

    class Meta:
        verbose_name = _("tips")
        verbose_name_plural = _("tips")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "status", "created_at"])]

    def __str__(self) -> str:
        return str(_("Tips %(id)s") % {"id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == TipStatus.NEW


class ClaimChannel(models.TextChoices):
    SOCIAL_MEDIA = "sociala_medier", _("Sociala medier")
    NEWS = "media", _("Nyheter och lokalpress")
    MEETING = "mote", _("Möte eller samtal")
    ENQUIRY = "fraga", _("Fråga till kommunen eller polisen")
    OTHER = "annat", _("Annat")


class AnswerVerdict(models.TextChoices):
    TRUE = "stammer", _("Stämmer")
    PARTLY = "stammer_delvis", _("Stämmer delvis")
    FALSE = "stammer_inte", _("Stämmer inte")
    UNKNOWN = "kan_inte_bedomas", _("Kan inte bedömas")


class Claim(TenantModel):
    """A claim as it was seen: where, when, about which area, period and categories."""

    partnership = tenant_link("claims")
    channel = models.CharField(_("kanal"), max_length=20, choices=ClaimChannel.choices)
    seen_on = models.DateField(_("sett"))
    area = optional_link(Area, related_name="claims", verbose_name=_("delområde"))
    period = models.CharField(_("period"), max_length=10)
    categories = models.ManyToManyField(Category, related_name="claims", blank=True)
    wording = models.TextField(_("påståendet"))
    data_check = models.JSONField(_("datakontroll"), default=dict)
    checked_at = models.DateTimeField(_("kontrollerad"), null=True, blank=True)
    created_by = acting_user(blank=False)
    created_at = models.DateTimeField(_("registrerat"), default=timezone.now)
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    is_demo = demo_flag()

    class Meta:
        verbose_name = _("påstående")
        verbose_name_plural = _("påståenden")
        ordering = ["-seen_on", "-id"]

    def __str__(self) -> str:
        return str(_("Påstående %(id)s") % {"id": self.pk})


class FactAnswer(TenantModel):
    """One version of the answer to a claim. The newest approved version is the one shown;
    an edit is a new version that needs its own approval."""

    partnership = tenant_link("fact_answers")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="answers")
    version = models.PositiveSmallIntegerField(_("version"))
    verdict = models.CharField(_("svar"), max_length=20, choices=AnswerVerdict.choices)
    text = models.TextField(_("faktasvar"))
    sources = models.TextField(_("källor"))
    data_check = models.JSONField(_("datakontroll"), default=dict)
    uses_police_data = models.BooleanField(_("bygger på polisens data"), default=False)
    written_by = acting_user(blank=False)
    written_at = models.DateTimeField(_("skrivet"), default=timezone.now)
    approved_by = acting_user()
    approved_at = models.DateTimeField(_("godkänt"), null=True, blank=True)

    class Meta:
        verbose_name = _("faktasvar")
        verbose_name_plural = _("faktasvar")
        ordering = ["claim", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "version"], name="fact_answer_unique_version")
        ]

    def __str__(self) -> str:
        return str(_("Faktasvar %(id)s, version %(v)s") % {"id": self.claim_id, "v": self.version})

"""The weekly work after the lägesbild: EST meetings with attendance, notes and decisions;
actions (insatser) with owner, dates, counts and status; safety walks (trygghetsvandringar)
with a route, findings at points and the feedback to the participants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtrygg.core.basemodels import (
    Gathering,
    acting_user,
    dates_in_order,
    demo_flag,
    optional_link,
    tenant_link,
)
from samtrygg.core.models import (
    Area,
    Organisation,
    Place,
    TenantModel,
    TimestampedTenantModel,
)
from samtrygg.core.tenancy import TenantQuerySet


class ActionType(models.TextChoices):
    """Action types (docs/domain.md, Ordförråd)."""

    VUXENNARVARO = "vuxennarvaro", _("Vuxennärvaro")
    RONDERING = "rondering", _("Rondering (polis/väktare)")
    TRAFIKINSATS = "trafikinsats", _("Trafikinsats")
    INFORMATIONSINSATS = "informationsinsats", _("Informationsinsats")
    FYSISK_ATGARD = (
        "fysisk_atgard",
        _("Fysisk åtgärd (belysning, beskärning, klottersanering, städning)"),
    )
    TILLSYN = "tillsyn", _("Tillsyn")
    FORALDRAMOTE = "foraldramote", _("Föräldramöte")
    KAMERABEVAKNING = "kamerabevakning", _("Kamerabevakning")
    TRYGGHETSVANDRING = "trygghetsvandring", _("Trygghetsvandring")


class ActionStatus(models.TextChoices):
    PLANERAD = "planerad", _("Planerad")
    PAGAR = "pagar", _("Pågår")
    GENOMFORD = "genomford", _("Genomförd")
    INSTALLD = "installd", _("Inställd")


OPEN_STATUSES = (ActionStatus.PLANERAD, ActionStatus.PAGAR)


class MeetingType(models.TextChoices):
    EST = "est", _("EST-möte")
    STYRGRUPP = "styrgrupp", _("Styrgrupp")
    BRAD = "brad", _("Brottsförebyggande råd")


class Meeting(Gathering, TimestampedTenantModel):
    """Möte: an EST meeting (or styrgrupp, brottsförebyggande råd) of one partnership.

    ``agenda`` is generated from the week's picture and the open actions when the meeting is
    created (a list of ``{"kind", "text", "area", "action_id"}``) and can be regenerated.
    """

    partnership = tenant_link("meetings")
    type = models.CharField(
        _("mötestyp"), max_length=12, choices=MeetingType.choices, default=MeetingType.EST
    )
    location = models.CharField(_("plats"), max_length=200, blank=True)
    agenda = models.JSONField(_("dagordning"), default=list, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta(Gathering.Meta):
        verbose_name = _("möte")
        verbose_name_plural = _("möten")

    @property
    def agenda_points(self) -> list[dict[str, Any]]:
        """The agenda without its first line on where the picture's points come from."""
        return [entry for entry in self.agenda or [] if entry.get("kind") != "source"]

    @property
    def iso_week(self) -> tuple[int, int]:
        year, week, _day = self.held_on.isocalendar()
        return year, week


class Attendance(models.Model):
    """Which organisations attended a meeting, and with how many people."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    people = models.PositiveSmallIntegerField(_("antal deltagare"), default=1)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="attendance_unique_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.people})"


class Decision(models.Model):
    """Beslut at a meeting; each decision creates one or more actions."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("beslut"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_unique_number")
        ]

    def __str__(self) -> str:
        return f"§{self.number} {self.text[:80]}"


class Action(TimestampedTenantModel):
    """Insats / åtgärd: what is done where, by which organisation, when, how many times.

    ``not_for_publication`` marks what must stay inside the partnership (planned patrols);
    such an action never appears in anything published or exported outside it.
    """

    partnership = tenant_link("actions")
    title = models.CharField(_("rubrik"), max_length=200)
    type = models.CharField(_("typ"), max_length=20, choices=ActionType.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    area = optional_link(Area, related_name="actions", verbose_name=_("delområde"))
    place = optional_link(Place, related_name="actions", verbose_name=_("plats"))
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("ansvarig organisation"),
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("klart senast"))
    planned_count = models.PositiveIntegerField(_("planerat antal tillfällen"), default=1)
    done_count = models.PositiveIntegerField(_("genomförda tillfällen"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANERAD
    )
    outcome = models.TextField(_("resultat och kommentar"), blank=True)
    not_for_publication = models.BooleanField(_("får inte publiceras"), default=False)
    decision = optional_link(Decision, related_name="actions", verbose_name=_("beslut"))
    observations = models.ManyToManyField(
        "observations.Observation",
        blank=True,
        related_name="actions",
        verbose_name=_("kopplade händelser"),
    )
    is_demo = demo_flag()
    created_by = acting_user()
    completed_at = models.DateTimeField(_("markerad genomförd"), null=True, blank=True)

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["end_date", "id"]
        indexes = [
            models.Index(fields=["partnership", "status", "end_date"]),
            models.Index(fields=["partnership", "owner"]),
        ]
        constraints = [dates_in_order("start_date", "end_date", name="action_dates_in_order")]

    def __str__(self) -> str:
        return self.title

    def is_overdue_on(self, today: dt.date) -> bool:
        return self.status in OPEN_STATUSES and self.end_date < today

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class WalkLight(models.TextChoices):
    DAGSLJUS = "dagsljus", _("Dagsljus")
    MORKER = "morker", _("Mörker")


class WalkStatus(models.TextChoices):
    PLANERAD = "planerad", _("Planerad")
    GENOMFORD = "genomford", _("Genomförd")
    ATERRAPPORTERAD = "aterrapporterad", _("Återrapporterad")


class SafetyWalk(TimestampedTenantModel):
    """Trygghetsvandring: a route walked by residents, kommun, police and property owners.

    ``route`` is a GeoJSON LineString (WGS84) drawn on the map. Residents are counted, never
    named.
    """

    partnership = tenant_link("safety_walks")
    title = models.CharField(_("rubrik"), max_length=200)
    area = optional_link(Area, related_name="safety_walks", verbose_name=_("delområde"))
    planned_for = models.DateTimeField(_("tid"))
    light = models.CharField(
        _("ljus"), max_length=10, choices=WalkLight.choices, default=WalkLight.MORKER
    )
    route = models.JSONField(_("sträcka"), null=True, blank=True)
    invited = models.ManyToManyField(
        Organisation, related_name="+", blank=True, verbose_name=_("inbjudna organisationer")
    )
    residents = models.PositiveSmallIntegerField(_("antal boende"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=WalkStatus.choices, default=WalkStatus.PLANERAD
    )
    summary = models.TextField(_("sammanfattning"), blank=True)
    is_demo = demo_flag()
    created_by = acting_user()

    class Meta:
        verbose_name = _("trygghetsvandring")
        verbose_name_plural = _("trygghetsvandringar")
        ordering = ["-planned_for", "-id"]

    def __str__(self) -> str:
        return self.title


class FindingType(models.TextChoices):
    BELYSNING = "belysning", _("Dålig belysning")
    SIKT = "sikt", _("Skymd sikt, buskage")
    NEDSKRAPNING = "nedskrapning", _("Nedskräpning")
    KLOTTER = "klotter", _("Klotter")
    SKADEGORELSE = "skadegorelse", _("Skadegörelse")
    OTRYGG_PLATS = "otrygg_plats", _("Otrygg plats (mörk, ödslig)")
    TRAFIK = "trafik", _("Trafik")
    OVRIGT = "ovrigt", _("Övrigt")


class FindingQuerySet(TenantQuerySet["WalkFinding"]):
    """Findings belong to their walk's partnership."""

    tenant_path = "walk__partnership"


class WalkFinding(models.Model):
    """A finding at a point of a walk, with a photo of the place (metadata stripped), a
    proposal and the organisation responsible; it may be turned into an action."""

    walk = models.ForeignKey(SafetyWalk, on_delete=models.CASCADE, related_name="findings")
    type = models.CharField(_("typ"), max_length=16, choices=FindingType.choices)
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    area = optional_link(Area, related_name="+")
    h3_cell = models.BigIntegerField(_("h3-cell"))
    description = models.TextField(_("beskrivning"), blank=True)
    proposal = models.TextField(_("förslag"), blank=True)
    responsible = optional_link(
        Organisation, related_name="+", verbose_name=_("ansvarig organisation")
    )
    photo = models.CharField(_("foto"), max_length=300, blank=True)
    action = models.OneToOneField(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="finding",
        verbose_name=_("insats"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("fynd")
        verbose_name_plural = _("fynd")
        ordering = ["walk", "id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.walk})"


class EffectCategories(TenantModel):
    """Which report categories the effect of an action type is measured on, per partnership.

    Without a row the effect block uses the shipped defaults (``actions.effect``); the
    samordnare changes them on the effect page.
    """

    partnership = tenant_link("effect_categories")
    action_type = models.CharField(_("insatstyp"), max_length=20, choices=ActionType.choices)
    categories = models.ManyToManyField(
        "observations.Category", related_name="+", verbose_name=_("kategorier")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kategorier för effekt")
        verbose_name_plural = _("kategorier för effekt")
        ordering = ["action_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "action_type"], name="effect_categories_unique_type"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_action_type_display())

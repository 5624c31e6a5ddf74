"""The statutory app's records (lag (2023:196) om kommuners ansvar för brottsförebyggande arbete).

- ``Problem`` (problembild), the shared unit of the method: what, where, when, how serious, with
  evidence from the data and causes along the problem triangle; every edit keeps a version.
- ``StatutoryReport``: one version of the kommun's statutory lägesbild with its åtgärdsplan.
  Its numbers are computed from the stored data when drafted; adoption freezes the whole
  version (numbers, texts, problems, plan) as a snapshot that later edits never change. A
  change after adoption is a new version that supersedes the adopted one.
- ``ActionPlanItem`` (åtgärd in the plan), ``NoActionDecision`` (a problem deliberately left
  without measures), ``PlanFollowUp`` (uppföljning of an item).
- ``DecisionBody`` and ``Decision``: a decision trail about any document (content type + id),
  used by this app and by the apps above it.
- ``CoordinationFunction`` (samordningsfunktion), ``ConsultationEntry`` (who was consulted)
  and ``ReviewSettings`` (the review cycle).
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from samtrygg.core.basemodels import (
    ComputedAndAdopted,
    NamedInPartnership,
    Versioned,
    acting_user,
    dates_in_order,
    demo_flag,
    one_per_tenant,
    optional_link,
    tenant_link,
)
from samtrygg.core.models import (
    Area,
    Organisation,
    TenantModel,
    TimestampedTenantModel,
)
from samtrygg.core.tenancy import TenantQuerySet

M = TypeVar("M", bound=models.Model)

# --- Problems ------------------------------------------------------------------------------


class ProblemStatus(models.TextChoices):
    AKTUELL = "aktuell", _("Aktuell")
    BEVAKAS = "bevakas", _("Bevakas")
    AVSLUTAD = "avslutad", _("Avslutad")


class ProblemPriority(models.IntegerChoices):
    HOG = 1, _("Hög")
    MEDEL = 2, _("Medel")
    LAG = 3, _("Låg")


class Problem(TimestampedTenantModel):
    """Problembild: a crime or safety problem, where and when, with its causes and evidence."""

    partnership = tenant_link("problems")
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    areas = models.ManyToManyField(
        Area, blank=True, related_name="problems", verbose_name=_("delområden")
    )
    categories = models.ManyToManyField(
        "observations.Category", blank=True, related_name="problems", verbose_name=_("kategorier")
    )
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    priority = models.PositiveSmallIntegerField(
        _("prioritet"), choices=ProblemPriority.choices, default=ProblemPriority.MEDEL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.AKTUELL
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_demo = demo_flag()
    created_by = acting_user()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problem")
        ordering = ["priority", "title", "id"]
        constraints = [dates_in_order("period_start", "period_end", name="problem_period_in_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_prioritised(self) -> bool:
        return self.status == ProblemStatus.AKTUELL


class ProblemPartQuerySet(TenantQuerySet[M]):
    """Parts of a problem (its versions, causes and evidence) belong to their problem's
    partnership."""

    tenant_path = "problem__partnership"


class ProblemVersion(models.Model):
    """The problem as it was before an edit (title, text, areas, categories, period, causes)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("innehåll"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = acting_user()

    objects = ProblemPartQuerySet["ProblemVersion"].as_manager()

    class Meta:
        verbose_name = _("problemversion")
        verbose_name_plural = _("problemversioner")
        ordering = ["problem", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "version"], name="problem_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} v{self.version}"


class TriangleSide(models.TextChoices):
    """The problem triangle: where it happens, who is harmed, who does it."""

    PLATS = "plats", _("Plats")
    OFFER = "offer", _("Offer")
    GARNINGSPERSON = "garningsperson", _("Gärningsperson")


class ProblemCause(models.Model):
    """A cause of a problem, on one side of the problem triangle, with what supports it."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="causes")
    side = models.CharField(
        _("sida i problemtriangeln"), max_length=16, choices=TriangleSide.choices
    )
    text = models.TextField(_("orsak"))
    evidence = models.TextField(_("underlag"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProblemPartQuerySet["ProblemCause"].as_manager()

    class Meta:
        verbose_name = _("orsak")
        verbose_name_plural = _("orsaker")
        ordering = ["problem", "side", "id"]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.text[:80]}"


class ProblemEvidence(models.Model):
    """A record attached as evidence (``core.evidence`` kind + id), with its label as attached."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("typ av underlag"), max_length=40)
    record_id = models.BigIntegerField(_("post-id"))
    label = models.CharField(_("benämning"), max_length=300)
    note = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProblemPartQuerySet["ProblemEvidence"].as_manager()

    class Meta:
        verbose_name = _("underlag")
        verbose_name_plural = _("underlag")
        ordering = ["problem", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "kind", "record_id"], name="problem_evidence_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


# --- Decisions ----------------------------------------------------------------------------


class DecisionBodyKind(models.TextChoices):
    UTSKOTT = "utskott", _("Utskott")
    KOMMUNSTYRELSE = "kommunstyrelse", _("Kommunstyrelse")
    KOMMUNFULLMAKTIGE = "kommunfullmaktige", _("Kommunfullmäktige")
    NAMND = "namnd", _("Nämnd")
    ANNAN = "annan", _("Annan")


class DecisionBody(NamedInPartnership, TenantModel):
    """A body of the kommun that decides (its own name: "Kommunstyrelsen", "Strategiutskottet")."""

    partnership = tenant_link("decision_bodies")
    kind = models.CharField(_("typ"), max_length=20, choices=DecisionBodyKind.choices)
    is_demo = demo_flag()

    class Meta(NamedInPartnership.Meta):
        verbose_name = _("beslutsorgan")
        verbose_name_plural = _("beslutsorgan")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="decision_body_unique")
        ]


class DecisionOutcome(models.TextChoices):
    GODKANT = "godkant", _("Godkänt")
    ATERREMITTERAT = "aterremitterat", _("Återremitterat")
    AVSLAG = "avslag", _("Avslag")


class Decision(TenantModel):
    """A decision by a body about one document of the partnership (any model: a statutory
    lägesbild, a samordningsfunktion, an agreement, a citizen promise)."""

    partnership = tenant_link("statutory_decisions")
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    body = models.ForeignKey(
        DecisionBody, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("organ")
    )
    date = models.DateField(_("datum"))
    reference = models.CharField(_("paragraf eller diarienummer"), max_length=100)
    outcome = models.CharField(_("beslut"), max_length=16, choices=DecisionOutcome.choices)
    note = models.TextField(_("anteckning"), blank=True)
    is_demo = demo_flag()
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%Y-%m-%d} {self.reference}"


# --- The statutory lägesbild and its plan --------------------------------------------------


class ReportStatus(models.TextChoices):
    UTKAST = "utkast", _("Utkast")
    ANTAGEN = "antagen", _("Antagen")
    ERSATT = "ersatt", _("Ersatt av en ny version")


class StatutoryReport(Versioned, ComputedAndAdopted, TenantModel):
    """One version of the statutory lägesbild of a period, with its åtgärdsplan.

    ``figures`` holds every number of the draft, computed from the stored data (Brå, police
    events, reports, walks) at ``computed_at``; ``texts`` the samordnare's text per section.
    At adoption ``snapshot`` receives the whole document (figures, texts, problems, plan,
    consultations, decisions) and nothing of the version changes after that.
    """

    partnership = tenant_link("statutory_reports")
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.UTKAST
    )
    texts = models.JSONField(_("texter"), default=dict, blank=True)
    figures = models.JSONField(_("uppgifter"), default=dict, blank=True)
    snapshot = models.JSONField(_("antagen version"), default=dict, blank=True)
    data_cutoff = models.DateField(_("uppgifter till och med"), null=True, blank=True)
    decision = optional_link(
        Decision, related_name="+", verbose_name=_("beslut om antagande"), protect=True
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    plan_items = models.PositiveSmallIntegerField(_("åtgärder i planen"), default=0)
    is_demo = demo_flag()

    class Meta:
        verbose_name = _("lägesbild enligt lag (2023:196)")
        verbose_name_plural = _("lägesbilder enligt lag (2023:196)")
        ordering = ["-period_end", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period_start", "period_end", "version"],
                name="statutory_report_unique_version",
            ),
            dates_in_order("period_start", "period_end", name="statutory_report_period_in_order"),
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"{self.period_label} v{self.version}"

    @property
    def period_label(self) -> str:
        if (
            self.period_start.month == 1
            and self.period_start.day == 1
            and self.period_end.month == 12
            and self.period_end.day == 31
        ):
            if self.period_start.year == self.period_end.year:
                return str(self.period_start.year)
            return f"{self.period_start.year}–{self.period_end.year}"
        return f"{self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        return self.status == ReportStatus.UTKAST

    @property
    def is_frozen(self) -> bool:
        return not self.is_editable

    @property
    def accepts_decisions(self) -> bool:
        """Decisions are recorded on a draft; the adopting one closes the version."""
        return self.is_editable


class ReportPartQuerySet(TenantQuerySet["ConsultationEntry"]):
    tenant_path = "report__partnership"


class ConsultationEntry(models.Model):
    """Samråd: an actor consulted for a version of the lägesbild, when and what they gave."""

    report = models.ForeignKey(
        StatutoryReport, on_delete=models.CASCADE, related_name="consultations"
    )
    actor_kind = models.CharField(_("aktör"), max_length=20)
    actor_name = models.CharField(_("organisation"), max_length=200)
    date = models.DateField(_("datum"))
    contribution = models.TextField(_("bidrag"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("samråd")
        verbose_name_plural = _("samråd")
        ordering = ["report", "date", "id"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.date:%Y-%m-%d}"


class ConsultedActor(models.TextChoices):
    POLIS = "polis", _("Polisen")
    REGION = "region", _("Regionen")
    BOSTAD = "bostad", _("Bostadsbolag och fastighetsägare")
    SKOLA = "skola", _("Skola")
    SOCIALTJANST = "socialtjanst", _("Socialtjänst")
    NARINGSLIV = "naringsliv", _("Näringsliv")
    CIVILSAMHALLE = "civilsamhalle", _("Civilsamhälle")
    RADDNINGSTJANST = "raddningstjanst", _("Räddningstjänst")
    ANNAN = "annan", _("Annan")


class GoalType(models.TextChoices):
    EFFEKTMAL = "effektmal", _("Effektmål")
    PRESTATIONSMAL = "prestationsmal", _("Prestationsmål")


class ActionPlanItem(TimestampedTenantModel):
    """An åtgärd of the plan: for one prioritised problem and one of its causes, with a goal,
    who is responsible, when, with what, on what knowledge, and how it is followed up."""

    partnership = tenant_link("action_plan_items")
    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("problem")
    )
    cause = optional_link(
        ProblemCause, related_name="plan_items", verbose_name=_("orsak som åtgärden angriper")
    )
    title = models.CharField(_("åtgärd"), max_length=200)
    goal_type = models.CharField(_("måltyp"), max_length=16, choices=GoalType.choices)
    indicator = models.CharField(_("indikator"), max_length=300)
    baseline = models.CharField(_("utgångsvärde"), max_length=100, blank=True)
    target = models.CharField(_("målvärde"), max_length=100)
    target_date = models.DateField(_("måldatum"))
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarig organisation"),
    )
    time_plan = models.CharField(_("tidplan"), max_length=300, blank=True)
    resources = models.TextField(_("resurser"), blank=True)
    knowledge_basis = models.TextField(_("kunskapsunderlag"), blank=True)
    follow_up_how = models.TextField(_("hur uppföljningen görs"), blank=True)
    follow_up_when = models.DateField(_("uppföljning senast"))
    actions = models.ManyToManyField(
        "actions.Action",
        blank=True,
        related_name="plan_items",
        verbose_name=_("kopplade insatser"),
    )
    is_demo = demo_flag()
    created_by = acting_user()

    class Meta:
        verbose_name = _("åtgärd i åtgärdsplanen")
        verbose_name_plural = _("åtgärdsplan")
        ordering = ["problem__priority", "problem_id", "id"]

    def __str__(self) -> str:
        return self.title


class NoActionDecision(TimestampedTenantModel):
    """A decision not to take measures against a problem, with the reason."""

    partnership = tenant_link("no_action_decisions")
    problem = models.OneToOneField(
        Problem, on_delete=models.CASCADE, related_name="no_action", verbose_name=_("problem")
    )
    reason = models.TextField(_("skäl"))
    is_demo = demo_flag()

    class Meta:
        verbose_name = _("beslut att inte vidta åtgärder")
        verbose_name_plural = _("beslut att inte vidta åtgärder")
        ordering = ["problem__title"]

    def __str__(self) -> str:
        return str(self.problem)


class FollowUpOutcome(models.TextChoices):
    GENOMFORD = "genomford", _("Genomförd")
    DELVIS = "delvis", _("Delvis genomförd")
    EJ_GENOMFORD = "ej_genomford", _("Ej genomförd")
    INSTALLD = "installd", _("Inställd")


class PlanItemPartQuerySet(TenantQuerySet["PlanFollowUp"]):
    tenant_path = "item__partnership"


class PlanFollowUp(models.Model):
    """Uppföljning of a plan item: how far it got, the indicator's value, in words."""

    item = models.ForeignKey(ActionPlanItem, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("datum"))
    outcome = models.CharField(_("utfall"), max_length=14, choices=FollowUpOutcome.choices)
    indicator_value = models.CharField(_("indikatorns värde"), max_length=100, blank=True)
    text = models.TextField(_("kommentar"), blank=True)
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanItemPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["item", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.date:%Y-%m-%d} {self.outcome}"


# --- Samordningsfunktion and review cycle ----------------------------------------------------


class CoordinationFunction(TimestampedTenantModel):
    """Samordningsfunktion: the unit that coordinates, its roles, a functional contact (a
    shared address or number, no person), and the decision that set it up."""

    partnership = one_per_tenant("coordination_function")
    unit = models.CharField(_("enhet"), max_length=200)
    roles = models.TextField(_("roller i funktionen"), blank=True)
    contact = models.CharField(_("funktionell kontakt"), max_length=200)
    decision = optional_link(Decision, related_name="+", verbose_name=_("beslut om inrättande"))
    is_demo = demo_flag()

    class Meta:
        verbose_name = _("samordningsfunktion")
        verbose_name_plural = _("samordningsfunktioner")

    def __str__(self) -> str:
        return self.unit


class ReviewSettings(TenantModel):
    """How often the kartläggning and the whole lägesbild with the plan are reviewed, and
    how long before a review date the reminder goes out."""

    partnership = one_per_tenant("statutory_review")
    mapping_months = models.PositiveSmallIntegerField(_("kartläggning, månader"), default=12)
    full_review_months = models.PositiveSmallIntegerField(
        _("hela lägesbilden och planen, månader"), default=24
    )
    remind_days_before = models.PositiveSmallIntegerField(_("påminnelse, dagar före"), default=30)
    next_review = models.DateField(_("nästa översyn"), null=True, blank=True)
    reminded_for = models.DateField(_("påmint inför"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("översynscykel")
        verbose_name_plural = _("översynscykler")

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.mapping_months}/{self.full_review_months}"

"""Cooperation agreements (samverkansöverenskommelser) and citizen promises (medborgarlöften):
their parties, periods, focus areas and countable items, signatures, versions and follow-ups.

A document is *undertecknat* when every party has signed it; from then on nothing of it
changes: a change is a new version (``supersedes``) with a reason. Its status (utkast,
kommande, gällande, utgången, ersatt) is derived from the signatures, the dates and later
versions — never set by hand (:func:`derive_status`).
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from samtrygg.core.basemodels import (
    Versioned,
    acting_user,
    demo_flag,
    optional_link,
    tenant_link,
)
from samtrygg.core.models import Area, Organisation, TimestampedTenantModel
from samtrygg.core.tenancy import TenantQuerySet

M = TypeVar("M", bound=models.Model)


class DocumentStatus(models.TextChoices):
    UTKAST = "utkast", _("Utkast")
    KOMMANDE = "kommande", _("Kommande")
    GALLANDE = "gallande", _("Gällande")
    UTGANGEN = "utgangen", _("Utgången")
    ERSATT = "ersatt", _("Ersatt")


def derive_status(
    *, signed: bool, starts_on: dt.date, ends_on: dt.date, replaced: bool, today: dt.date
) -> str:
    """The status of a document from its facts: a later signed version replaces it; until
    every party has signed it is a draft; then its dates say whether it is yet to come, in
    force or over."""
    if replaced:
        return DocumentStatus.ERSATT
    if not signed:
        return DocumentStatus.UTKAST
    if today < starts_on:
        return DocumentStatus.KOMMANDE
    if today > ends_on:
        return DocumentStatus.UTGANGEN
    return DocumentStatus.GALLANDE


class Party(models.TextChoices):
    KOMMUNEN = "kommunen", _("Kommunen")
    POLISEN = "polisen", _("Polisen")


class SignedDocument(Versioned, TimestampedTenantModel):
    """What an agreement and a promise share: title, period, further parties, version (and
    the version it replaces)."""

    title = models.CharField(_("rubrik"), max_length=200)
    starts_on = models.DateField(_("gäller från"))
    ends_on = models.DateField(_("gäller till och med"))
    other_parties = models.TextField(
        _("övriga parter"), blank=True, help_text=_("En organisation per rad.")
    )
    created_by = acting_user()
    is_demo = demo_flag()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def accepts_decisions(self) -> bool:
        """A signed document takes no further decisions (the decision trail asks this)."""
        from samtrygg.promises.state import is_signed

        return not is_signed(self)

    def party_keys(self) -> list[str]:
        """Every party that must sign: the kommun, the police and each further organisation."""
        others = [line.strip() for line in self.other_parties.splitlines() if line.strip()]
        return [Party.KOMMUNEN, Party.POLISEN, *others]

    def party_label(self, key: str) -> str:
        if key == Party.KOMMUNEN:
            return self.partnership.municipality.name
        if key == Party.POLISEN:
            return f"{_('Polisen')}, {self.partnership.police_area.name}"
        return key


class CooperationAgreement(SignedDocument):
    """Samverkansöverenskommelse between the kommun and the lokalpolisområde (and others)."""

    partnership = tenant_link("cooperation_agreements")
    goals = models.TextField(_("mål"), blank=True)
    follow_up_method = models.TextField(_("så dokumenteras och följs arbetet upp"), blank=True)
    problems = models.ManyToManyField(
        "statutory.Problem",
        blank=True,
        related_name="agreements",
        verbose_name=_("prioriterade problem"),
    )

    class Meta:
        verbose_name = _("samverkansöverenskommelse")
        verbose_name_plural = _("samverkansöverenskommelser")
        ordering = ["-starts_on", "-version", "-id"]


class AnnexKind(models.TextChoices):
    LAGESBILD = "lagesbild", _("Antagen lägesbild")
    PDF = "pdf", _("Uppladdad PDF")


class AnnexQuerySet(TenantQuerySet["AgreementAnnex"]):
    tenant_path = "agreement__partnership"


class AgreementAnnex(models.Model):
    """A bilaga to an agreement: an adopted lägesbild or an uploaded PDF."""

    agreement = models.ForeignKey(
        CooperationAgreement, on_delete=models.CASCADE, related_name="annexes"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    kind = models.CharField(_("typ"), max_length=12, choices=AnnexKind.choices)
    picture = optional_link(
        "situation.SituationPicture", related_name="+", verbose_name=_("lägesbild"), protect=True
    )
    # The uploaded PDF's name in the default storage (under overenskommelser/).
    file = models.CharField(_("fil"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnnexQuerySet.as_manager()

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["agreement", "id"]

    def __str__(self) -> str:
        return self.title


class BasisTag(models.TextChoices):
    MEDARBETARDIALOGER = "medarbetardialoger", _("Medarbetardialoger")
    MEDBORGARDIALOGER = "medborgardialoger", _("Medborgardialoger")
    TIPS = "tips", _("Tips från invånare")
    BROTTSSTATISTIK = "brottsstatistik", _("Brottsstatistik")
    POLISENS_HANDELSER = "polisens_handelser", _("Polisens händelser")
    UNDERRATTELSER = "underrattelser", _("Information från polisens underrättelsetjänst")
    TRYGGHETSMATNING = "trygghetsmatning", _("Trygghetsmätning")


class CitizenPromise(SignedDocument):
    """Medborgarlöfte: the public part of the agreement, for (usually) twelve months."""

    partnership = tenant_link("citizen_promises")
    agreement = optional_link(
        CooperationAgreement, related_name="promises", verbose_name=_("samverkansöverenskommelse")
    )
    intro = models.TextField(_("löftets text"), blank=True)
    basis_tags = models.JSONField(_("underlag"), default=list, blank=True)
    basis_text = models.TextField(_("underlaget i ord"), blank=True)
    renewed_from = optional_link("self", related_name="renewals", verbose_name=_("förnyar"))

    class Meta:
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        ordering = ["-starts_on", "-version", "-id"]

    def basis_labels(self) -> list[str]:
        labels = dict(BasisTag.choices)
        return [str(labels.get(tag, tag)) for tag in self.basis_tags or []]


class PromisePartQuerySet(TenantQuerySet[M]):
    """Parts of a promise (its focus areas and items) belong to their promise's partnership."""

    tenant_path = "promise__partnership"


class FocusArea(models.Model):
    """Fokusområde of a promise (three to five, each with countable items)."""

    promise = models.ForeignKey(
        CitizenPromise, on_delete=models.CASCADE, related_name="focus_areas"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    objects = PromisePartQuerySet["FocusArea"].as_manager()

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")
        ordering = ["promise", "number", "id"]

    def __str__(self) -> str:
        return self.title


class Responsible(models.TextChoices):
    POLISEN = "polisen", _("Polisen")
    KOMMUNEN = "kommunen", _("Kommunen")
    GEMENSAMT = "gemensamt", _("Gemensamt")
    ORGANISATION = "organisation", _("En namngiven organisation")


class Commitment(models.TextChoices):
    ANTAL = "antal", _("Antal")
    FREKVENS = "frekvens", _("Frekvens")
    GENOMFORS = "genomfors", _("Genomförs")
    VILLKORAT = "villkorat", _("Villkorat")


class PromiseItem(models.Model):
    """One countable activity of a promise, with the counting rule that selects the actions
    it counts: action types, delområden (none: the whole kommun) and a period (none: the
    promise's)."""

    promise = models.ForeignKey(CitizenPromise, on_delete=models.CASCADE, related_name="items")
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("fokusområde"),
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("åtagande"))
    responsible = models.CharField(
        _("ansvarig"), max_length=14, choices=Responsible.choices, default=Responsible.GEMENSAMT
    )
    organisation = optional_link(
        Organisation, related_name="+", verbose_name=_("organisation"), protect=True
    )
    commitment = models.CharField(
        _("typ av åtagande"), max_length=10, choices=Commitment.choices, default=Commitment.ANTAL
    )
    condition = models.TextField(_("villkor"), blank=True)
    target = models.PositiveIntegerField(_("mål (antal)"), null=True, blank=True)
    unit = models.CharField(_("enhet"), max_length=80, blank=True)
    rule_types = models.JSONField(_("insatstyper som räknas"), default=list, blank=True)
    rule_areas = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("delområden som räknas")
    )
    rule_from = models.DateField(_("räknas från"), null=True, blank=True)
    rule_to = models.DateField(_("räknas till och med"), null=True, blank=True)
    # Optional links to the statutory work. A problem is never deleted (it is archived by its
    # status), and one a promise builds on must stay: PROTECT. A plan item may be removed from
    # the åtgärdsplan by the statutory app, which knows nothing of promises: SET_NULL keeps
    # that removal working, and the item's own text, target and counting rule stay as signed.
    plan_item = optional_link(
        "statutory.ActionPlanItem",
        related_name="promise_items",
        verbose_name=_("åtgärd i åtgärdsplanen"),
    )
    problem = optional_link(
        "statutory.Problem", related_name="promise_items", verbose_name=_("problem"), protect=True
    )

    objects = PromisePartQuerySet["PromiseItem"].as_manager()

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["promise", "number", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def responsible_label(self) -> str:
        if self.responsible == Responsible.ORGANISATION and self.organisation_id:
            return self.organisation.name if self.organisation else ""
        return str(self.get_responsible_display())

    def counting_period(self) -> tuple[dt.date, dt.date]:
        return (self.rule_from or self.promise.starts_on, self.rule_to or self.promise.ends_on)


class Signature(models.Model):
    """A party's signature: name and title as published, and the date (public officials
    acting in office; shown on the public page)."""

    agreement = models.ForeignKey(
        CooperationAgreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signatures",
    )
    promise = models.ForeignKey(
        CitizenPromise, on_delete=models.CASCADE, null=True, blank=True, related_name="signatures"
    )
    party = models.CharField(_("part"), max_length=200)
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("titel"), max_length=200)
    signed_on = models.DateField(_("datum"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ["signed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(agreement__isnull=False, promise__isnull=True)
                    | models.Q(agreement__isnull=True, promise__isnull=False)
                ),
                name="signature_of_one_document",
            ),
            models.UniqueConstraint(
                fields=["agreement", "party"], name="signature_one_per_agreement_party"
            ),
            models.UniqueConstraint(
                fields=["promise", "party"], name="signature_one_per_promise_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.title} ({self.signed_on:%Y-%m-%d})"


class Assessment(models.TextChoices):
    UPPFYLLT = "uppfyllt", _("Uppfyllt")
    DELVIS = "delvis", _("Delvis uppfyllt")
    EJ = "ej", _("Ej uppfyllt")
    INSTALLT = "installt", _("Inställt")


class FollowUp(TimestampedTenantModel):
    """The follow-up report of a promise for a period. Adopting it freezes it (``snapshot``
    holds the published numbers) and publishes it."""

    partnership = tenant_link("promise_follow_ups")
    promise = models.ForeignKey(CitizenPromise, on_delete=models.PROTECT, related_name="follow_ups")
    period_start = models.DateField(_("från"))
    period_end = models.DateField(_("till och med"))
    summary = models.TextField(_("sammanfattning"), blank=True)
    snapshot = models.JSONField(_("ögonblicksbild"), default=dict, blank=True)
    adopted_at = models.DateTimeField(_("antagen och publicerad"), null=True, blank=True)
    adopted_by = acting_user()
    created_by = acting_user()
    is_demo = demo_flag()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return f"{self.promise.title}: {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def is_adopted(self) -> bool:
        return self.adopted_at is not None


class FollowUpItemQuerySet(TenantQuerySet["FollowUpItem"]):
    tenant_path = "follow_up__partnership"


class FollowUpItem(models.Model):
    """A follow-up's assessment of one item: text is required unless it was fulfilled."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(PromiseItem, on_delete=models.CASCADE, related_name="+")
    assessment = models.CharField(
        _("bedömning"), max_length=10, choices=Assessment.choices, blank=True
    )
    comment = models.TextField(_("kommentar"), blank=True)

    objects = FollowUpItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppföljt åtagande")
        verbose_name_plural = _("uppföljda åtaganden")
        ordering = ["follow_up", "item__number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "item"], name="follow_up_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.assessment}"

"""The county app's records: who reads a län as its länssamordnare, and the län's template
that its kommuner's partnerships adopt by version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtrygg.core.basemodels import acting_user, optional_link
from samtrygg.core.models import County, Partnership, TenantModel
from samtrygg.core.tenancy import TenantQuerySet
from samtrygg.surveys.models import QuestionFields


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


# --- The county template ----------------------------------------------------------------------


class CountyTemplate(models.Model):
    """A län's template for the documentation its kommuner share ("likartat i hela länet"):
    a category vocabulary, the parts of the problem documentation and the survey items. Its
    content lives in numbered versions; a kommun's partnership adopts one version."""

    county = models.OneToOneField(
        County, on_delete=models.PROTECT, related_name="template", verbose_name=_("län")
    )
    name = models.CharField(_("namn"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = acting_user()

    class Meta:
        verbose_name = _("länsmall")
        verbose_name_plural = _("länsmallar")
        ordering = ["county"]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    UTKAST = "utkast", _("Utkast")
    PUBLICERAD = "publicerad", _("Publicerad")


class TemplateVersion(models.Model):
    """One version of a län's template. A draft is edited by the länssamordnare; once
    published nothing of it changes (a change is a new version, started as a copy)."""

    template = models.ForeignKey(CountyTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.UTKAST
    )
    based_on = optional_link("self", related_name="+", verbose_name=_("kopierad från"))
    note = models.TextField(_("vad som är nytt"), blank=True)
    # Per part of the problem documentation (statutory.extensions.SECTIONS):
    # {"required": bool, "guidance": str}.
    problem_fields = models.JSONField(_("problemets dokumentation"), default=dict, blank=True)
    # Codes of the fixed survey items (T1 … F3) the län asks every kommun to ask.
    survey_items = models.JSONField(_("enkätfrågor"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = acting_user()
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = acting_user()

    class Meta:
        verbose_name = _("mallversion")
        verbose_name_plural = _("mallversioner")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique"),
            # One draft at a time: the next version is worked on in one place.
            models.UniqueConstraint(
                fields=["template"],
                condition=models.Q(status="utkast"),
                name="template_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.UTKAST

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLICERAD


class TemplateCategory(models.Model):
    """A category of a template version's vocabulary: a code that stays the same from version
    to version (figures are read in it), a Swedish name, a group and a description."""

    version = models.ForeignKey(
        TemplateVersion, on_delete=models.CASCADE, related_name="categories"
    )
    code = models.SlugField(_("kod"), max_length=60)
    name = models.CharField(_("namn"), max_length=100)
    group = models.CharField(_("grupp"), max_length=100, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=100)

    class Meta:
        verbose_name = _("mallens kategori")
        verbose_name_plural = _("mallens kategorier")
        ordering = ["version", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="template_category_code"),
            models.UniqueConstraint(fields=["version", "name"], name="template_category_name"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TemplateQuestion(QuestionFields):
    """A survey question of the län's own in a template version: answer codes 1…k for
    ``answers``; ``positive`` names the codes its indicator counts (as a partnership's own
    question)."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="questions")

    class Meta:
        verbose_name = _("länets enkätfråga")
        verbose_name_plural = _("länets enkätfrågor")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="template_question_code")
        ]


class TemplateAdoption(TenantModel):
    """A partnership adopted a published version of its län's template. Every adoption is
    kept: adopting a newer version adds one, and the partnership's current version is its
    latest adoption."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="template_adoptions"
    )
    version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="adoptions",
        verbose_name=_("version"),
    )
    decision = models.CharField(_("beslut"), max_length=200, blank=True)
    adopted_at = models.DateTimeField(_("antagen"), default=timezone.now)
    adopted_by = acting_user()
    # The län's own questions as they stand in the partnership's library after adopting.
    own_questions = models.ManyToManyField(
        "surveys.OwnQuestion", blank=True, related_name="+", verbose_name=_("länets frågor")
    )
    skipped_questions = models.JSONField(_("frågor som inte lades till"), default=list, blank=True)

    class Meta:
        verbose_name = _("antagen länsmall")
        verbose_name_plural = _("antagna länsmallar")
        ordering = ["partnership", "-adopted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partnership} – {self.version}"


class MappingQuerySet(TenantQuerySet["CategoryMapping"]):
    tenant_path = "adoption__partnership"


class CategoryMapping(models.Model):
    """How one of the partnership's categories reads in the template's codes under one
    adoption: a template category, or none ("kept as own"). The partnership's reports keep
    their own category; figures in the template's codes are read through this mapping."""

    adoption = models.ForeignKey(
        TemplateAdoption, on_delete=models.CASCADE, related_name="mappings"
    )
    category = optional_link(
        "observations.Category", related_name="+", verbose_name=_("samverkans kategori")
    )
    # The category's name when the adoption was made (it stays readable if renamed or removed).
    category_name = models.CharField(_("kategorins namn"), max_length=100)
    template_category = optional_link(
        TemplateCategory,
        related_name="mappings",
        verbose_name=_("mallens kategori"),
        protect=True,
    )
    created = models.BooleanField(_("skapad från mallen"), default=False)

    objects = MappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("koppling av kategori")
        verbose_name_plural = _("kopplingar av kategorier")
        ordering = ["adoption", "category_name"]
        constraints = [
            models.UniqueConstraint(fields=["adoption", "category"], name="mapping_once")
        ]

    def __str__(self) -> str:
        target = self.template_category.code if self.template_category else "–"
        return f"{self.category_name} → {target}"

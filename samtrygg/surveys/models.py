"""Safety surveys and dialogues: what residents feel, beside what is recorded.

* A **survey** (trygghetsundersökning) is a named series of **waves**, one a year, each a
  random sample (slumpmässigt urval) or an open link (självselekterat urval).
* A wave's **answers** come from a supplier's microdata file or from the public web survey.
  An answer holds item codes only – no respondent number, no time, no token.
* A **token** (engångskod) of a random-sample web survey is stored as a keyed hash and
  whether it is used; nothing joins it to an answer (no id order, no time).
* **Published figures** (the police's index 0–6 per area, Brå's NTU shares) are stored as
  published and shown as such, never recomputed.
* A **dialogue** (medborgardialog, medarbetardialog …) with its participants in aggregate,
  themes coded to the partnership's categories and a screened summary.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from samtrygg.core.basemodels import (
    Gathering,
    NamedInPartnership,
    demo_flag,
    optional_link,
    tenant_link,
)
from samtrygg.core.models import Area, TimestampedTenantModel
from samtrygg.observations.models import Category


class SampleKind(models.TextChoices):
    RANDOM = "random", _("Slumpmässigt urval")
    OPEN = "open", _("Öppen länk (självselekterat urval)")


class Survey(NamedInPartnership, TimestampedTenantModel):
    """A survey series of one partnership (the same questions asked again, wave by wave)."""

    partnership = tenant_link("surveys")
    name = models.CharField(_("namn"), max_length=120)
    slug = models.SlugField(_("kortnamn"), max_length=80)
    is_demo = demo_flag()

    class Meta(NamedInPartnership.Meta):
        verbose_name = _("trygghetsundersökning")
        verbose_name_plural = _("trygghetsundersökningar")
        constraints = [
            *NamedInPartnership.Meta.constraints,
            models.UniqueConstraint(fields=["partnership", "slug"], name="survey_unique_slug"),
        ]


class QuestionFields(models.Model):
    """What a question of one's own is, a partnership's or a län template's: a code, its
    wording, answer codes 1…k for ``answers`` and the codes its indicator counts."""

    code = models.CharField(_("kod"), max_length=8)
    text = models.CharField(_("fråga"), max_length=300)
    answers = models.JSONField(_("svarsalternativ"), default=list)
    positive = models.JSONField(_("positiva svar"), default=list)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def choices(self) -> list[tuple[int, str]]:
        return list(enumerate(self.answers, start=1))


class OwnQuestion(TimestampedTenantModel, QuestionFields):
    """A question the partnership adds to its web surveys: answer codes 1…k for ``answers``;
    ``positive`` names the codes its indicator counts."""

    partnership = tenant_link("own_survey_questions")

    class Meta:
        verbose_name = _("egen fråga")
        verbose_name_plural = _("egna frågor")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="own_question_code")
        ]


class Wave(TimestampedTenantModel):
    """One year's wave of a survey: its sample kind, its web survey and its answers."""

    partnership = tenant_link("survey_waves")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    year = models.PositiveSmallIntegerField(_("år"))
    sample = models.CharField(_("urval"), max_length=8, choices=SampleKind.choices)
    slug = models.SlugField(_("adress"), max_length=100)
    web_open = models.BooleanField(_("webbenkäten är öppen"), default=False)
    own_questions = models.ManyToManyField(
        OwnQuestion, blank=True, related_name="waves", verbose_name=_("egna frågor")
    )
    is_demo = demo_flag()

    class Meta:
        verbose_name = _("omgång")
        verbose_name_plural = _("omgångar")
        ordering = ["survey__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "year"], name="wave_unique_year"),
            models.UniqueConstraint(fields=["partnership", "slug"], name="wave_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.survey.name} {self.year}"

    @property
    def self_selected(self) -> bool:
        return self.sample == SampleKind.OPEN


class Channel(models.TextChoices):
    IMPORT = "import", _("Leverantörens fil")
    WEB = "web", _("Webbenkät")


class Response(models.Model):
    """One respondent's answers: item code -> answer code (no answer: absent). No respondent
    number, time or token is kept."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    area = optional_link(Area, related_name="+")
    answers = models.JSONField(default=dict)
    gender = models.PositiveSmallIntegerField(null=True, blank=True)
    age_band = models.PositiveSmallIntegerField(null=True, blank=True)
    weight = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")

    def __str__(self) -> str:
        return str(_("Svar på %(w)s") % {"w": self.wave})


class Token(models.Model):
    """A single-use code of a random-sample web survey, as a keyed hash (its primary key, so
    the rows have no order of their own), and whether it has been used."""

    digest = models.CharField(max_length=64, primary_key=True)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="tokens")
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("engångskod")
        verbose_name_plural = _("engångskoder")

    def __str__(self) -> str:
        return str(_("Engångskod för %(w)s") % {"w": self.wave})


class FigureSource(models.TextChoices):
    POLICE_INDEX = "polisens-index", _("Polisens index (0–6)")
    NTU = "ntu", _("NTU (Brå), andel")
    OTHER = "annan", _("Annan publicerad siffra")


class PublishedFigure(TimestampedTenantModel):
    """A published figure as published: the police's trygghetsindex per area, an NTU share
    per lokalpolisområde. Shown beside the survey's own indicators, never recomputed."""

    partnership = tenant_link("published_survey_figures")
    source = models.CharField(_("källa"), max_length=16, choices=FigureSource.choices)
    measure = models.CharField(_("mått"), max_length=200)
    region = models.CharField(_("region"), max_length=120)
    area = optional_link(Area, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.FloatField(_("värde"))
    publisher = models.CharField(_("utgivare"), max_length=200, blank=True)
    is_demo = demo_flag()

    class Meta:
        verbose_name = _("publicerad siffra")
        verbose_name_plural = _("publicerade siffror")
        ordering = ["source", "measure", "region", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "source", "measure", "region", "year"],
                name="published_figure_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.measure} {self.region} {self.year}"


class DialogueFormat(models.TextChoices):
    MEDBORGARDIALOG = "medborgardialog", _("Medborgardialog")
    MEDARBETARDIALOG = "medarbetardialog", _("Medarbetardialog")
    WEBBENKAT = "webbenkat", _("Webbenkät")
    DIGITAL_KARTA = "digital-karta", _("Digital karta")
    TRYGGHETSVANDRING = "trygghetsvandring", _("Trygghetsvandring")


# Participants in aggregate: keys of the two optional breakdowns.
DIALOGUE_GENDERS = (
    ("kvinnor", _("Kvinnor")),
    ("man", _("Män")),
    ("annat", _("Annat eller okänt")),
)
DIALOGUE_AGES = (
    ("0-15", "0–15"),
    ("16-24", "16–24"),
    ("25-44", "25–44"),
    ("45-64", "45–64"),
    ("65+", "65+"),
)


class Dialogue(Gathering, TimestampedTenantModel):
    """A dialogue with residents or staff: when, how, where, who organised it, how many took
    part (in aggregate), the themes raised and a summary without identifiers."""

    partnership = tenant_link("dialogues")
    format = models.CharField(_("form"), max_length=20, choices=DialogueFormat.choices)
    area = optional_link(Area, related_name="+", verbose_name=_("delområde"))
    organisers = models.CharField(_("arrangörer"), max_length=300)
    participants = models.PositiveIntegerField(_("antal deltagare"))
    participants_by_gender = models.JSONField(_("deltagare efter kön"), default=dict, blank=True)
    participants_by_age = models.JSONField(_("deltagare efter ålder"), default=dict, blank=True)
    summary = models.TextField(_("sammanfattning"), blank=True)
    is_demo = demo_flag()

    class Meta(Gathering.Meta):
        verbose_name = _("dialog")
        verbose_name_plural = _("dialoger")

    @property
    def breakdown_gender(self) -> list[tuple[str, int]]:
        return self.breakdown("gender")

    @property
    def breakdown_age(self) -> list[tuple[str, int]]:
        return self.breakdown("age")

    def breakdown(self, which: str) -> list[tuple[str, int]]:
        keys: Any = DIALOGUE_GENDERS if which == "gender" else DIALOGUE_AGES
        stored = self.participants_by_gender if which == "gender" else self.participants_by_age
        return [(str(label), int(stored[key])) for key, label in keys if key in (stored or {})]


class DialogueTheme(models.Model):
    """A theme raised in a dialogue, coded to one of the partnership's categories, with how
    many times it was mentioned."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="themes")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("kategori")
    )
    mentions = models.PositiveIntegerField(_("antal omnämnanden"), default=1)

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("teman")
        ordering = ["-mentions", "category__name"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "category"], name="dialogue_theme_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.mentions})"

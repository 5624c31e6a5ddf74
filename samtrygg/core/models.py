"""Core data: kommuner and län, police areas, partnerships (the tenant), organisations,
users and their roles, areas and places, the audit trail, API tokens and the job log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtrygg.core.basemodels import (
    NamedInPartnership,
    acting_user,
    demo_flag,
    optional_link,
    tenant_link,
)
from samtrygg.core.tenancy import TenantQuerySet


class County(models.Model):
    """Län: 2-digit code, name and boundary (GeoJSON geometry, WGS84)."""

    code = models.CharField(_("länskod"), max_length=2, primary_key=True)
    name = models.CharField(_("namn"), max_length=100)
    boundary = models.JSONField(_("gräns"), null=True, blank=True)

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """Kommun: 4-digit code (leading zero kept), name, län and boundary."""

    code = models.CharField(_("kommunkod"), max_length=4, primary_key=True)
    name = models.CharField(_("namn"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    boundary = models.JSONField(_("gräns"), null=True, blank=True)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """Folkmängd per kommun and year (SCB, 1 November)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    population = models.PositiveIntegerField(_("folkmängd"))
    source = models.CharField(_("källa"), max_length=200, default="SCB")

    class Meta:
        verbose_name = _("folkmängd")
        verbose_name_plural = _("folkmängd")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="population_unique_year")
        ]
        ordering = ["municipality", "year"]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}: {self.population}"


class PoliceRegion(models.TextChoices):
    NORD = "nord", _("Polisregion Nord")
    MITT = "mitt", _("Polisregion Mitt")
    STOCKHOLM = "stockholm", _("Polisregion Stockholm")
    OST = "ost", _("Polisregion Öst")
    VAST = "vast", _("Polisregion Väst")
    SYD = "syd", _("Polisregion Syd")
    BERGSLAGEN = "bergslagen", _("Polisregion Bergslagen")


class PoliceArea(models.Model):
    """Lokalpolisområde: serves one or more kommuner (LPO Mora: Mora, Orsa, Älvdalen)."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    region = models.CharField(_("polisregion"), max_length=20, choices=PoliceRegion.choices)
    municipalities = models.ManyToManyField(
        Municipality, related_name="police_areas", verbose_name=_("kommuner")
    )

    class Meta:
        verbose_name = _("lokalpolisområde")
        verbose_name_plural = _("lokalpolisområden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """Samverkan: the tenant. Exactly one per kommun; all working data belongs to one."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="partnership", verbose_name=_("kommun")
    )
    police_area = models.ForeignKey(
        PoliceArea,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("lokalpolisområde"),
    )
    name = models.CharField(_("namn"), max_length=200)
    min_public_count = models.PositiveSmallIntegerField(
        _("minsta antal som visas publikt"),
        default=5,
        help_text=_("Antal under detta visas som ”färre än N” i allt som publiceras."),
    )
    requires_police_cosign = models.BooleanField(
        _("kommunpolisen kontrasignerar lägesbilden"), default=False
    )
    is_demo = demo_flag()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("samverkan")
        verbose_name_plural = _("samverkan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """A record that belongs to one partnership. Its manager scopes to an acting user and
    fetches by id with the tenancy rules of :mod:`samtrygg.core.tenancy`. A subclass may
    redeclare ``partnership`` with its own reverse name (``basemodels.tenant_link``) or as
    one-to-one (``basemodels.one_per_tenant``)."""

    partnership = tenant_link("%(app_label)s_%(class)s_set")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class TimestampedTenantModel(TenantModel):
    """A tenant record that keeps when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OrganisationType(models.TextChoices):
    POLIS = "polis", _("Polis")
    KOMMUNFORVALTNING = "kommunforvaltning", _("Kommunförvaltning")
    KOMMUNALT_BOLAG = "kommunalt_bolag", _("Kommunalt bolag")
    BOSTADSBOLAG = "bostadsbolag", _("Bostadsbolag")
    FASTIGHETSAGARE = "fastighetsagare", _("Fastighetsägare")
    NARINGSIDKARE = "naringsidkare", _("Näringsidkare")
    BEVAKNINGSFORETAG = "bevakningsforetag", _("Bevakningsföretag")
    RADDNINGSTJANST = "raddningstjanst", _("Räddningstjänst")
    SKOLA = "skola", _("Skola")
    TROSSAMFUND = "trossamfund", _("Trossamfund")
    FORENING = "forening", _("Förening")


# Organisation types that are public authorities (GDPR art. 10: they may hold offence data).
PUBLIC_AUTHORITY_TYPES = {
    OrganisationType.POLIS,
    OrganisationType.KOMMUNFORVALTNING,
    OrganisationType.RADDNINGSTJANST,
}


class Organisation(NamedInPartnership, TenantModel):  # noqa: DJ008 (__str__ inherited)
    """Samverkanspart: a partner organisation within one partnership."""

    partnership = tenant_link("organisations")
    type = models.CharField(_("typ"), max_length=30, choices=OrganisationType.choices)
    is_public_authority = models.BooleanField(_("offentlig myndighet"), default=False)
    is_demo = demo_flag()

    class Meta(NamedInPartnership.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")


class User(AbstractUser):
    """A person. E-mail is the login; roles come from memberships per partnership."""

    email = models.EmailField(_("e-postadress"), unique=True)
    digest_opt_out = models.BooleanField(_("avstå veckosammanfattning"), default=False)
    reminder_opt_out = models.BooleanField(_("avstå rapportpåminnelser"), default=False)

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    RAPPORTOR = "rapportor", _("Rapportör")
    SAMORDNARE = "samordnare", _("Samordnare")
    KOMMUNPOLIS = "kommunpolis", _("Kommunpolis")
    ANALYTIKER = "analytiker", _("Analytiker")
    STYRGRUPP = "styrgrupp", _("Styrgrupp")
    ADMINISTRATOR = "administrator", _("Administratör")


class Membership(TenantModel):
    """A user's role in one partnership, for one of its organisations."""

    partnership = tenant_link("memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "role"], name="membership_unique_role"
            )
        ]
        ordering = ["partnership", "user"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.partnership})"


class Invitation(TenantModel):
    """An administrator's invitation by e-mail; the token is stored hashed and expires."""

    partnership = tenant_link("invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    email = models.EmailField(_("e-postadress"))
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = acting_user(blank=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class AreaKind(models.TextChoices):
    DELOMRADE = "delomrade", _("Delområde")


class Area(NamedInPartnership, TenantModel):  # noqa: DJ008 (__str__ inherited)
    """Delområde: a polygon inside the partnership's kommun (GeoJSON geometry, WGS84)."""

    partnership = tenant_link("areas")
    kind = models.CharField(
        _("typ"), max_length=20, choices=AreaKind.choices, default=AreaKind.DELOMRADE
    )
    geometry = models.JSONField(_("geometri"))
    population = models.PositiveIntegerField(_("folkmängd"), null=True, blank=True)
    is_demo = demo_flag()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(NamedInPartnership.Meta):
        verbose_name = _("delområde")
        verbose_name_plural = _("delområden")


class PlaceType(models.TextChoices):
    TORG = "torg", _("Torg")
    PARK = "park", _("Park")
    SKOLA = "skola", _("Skola")
    HALLPLATS = "hallplats", _("Hållplats")
    CENTRUM = "centrum", _("Centrum")
    TRAPPHUS = "trapphus", _("Trapphus")
    IDROTTSPLATS = "idrottsplats", _("Idrottsplats")
    PARKERING = "parkering", _("Parkering")
    GANGTUNNEL = "gangtunnel", _("Gångtunnel")
    BADPLATS = "badplats", _("Badplats")
    OVRIGT = "ovrigt", _("Övrigt")


class Place(NamedInPartnership, TenantModel):  # noqa: DJ008 (__str__ inherited)
    """A named place: a point resolved to its delområde and h3 cell when written."""

    partnership = tenant_link("places")
    type = models.CharField(_("typ"), max_length=20, choices=PlaceType.choices)
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    area = optional_link(Area, related_name="places")
    h3_cell = models.BigIntegerField(_("h3-cell"), db_index=True)
    is_demo = demo_flag()

    class Meta(NamedInPartnership.Meta):
        verbose_name = _("plats")
        verbose_name_plural = _("platser")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Skapad")
    UPDATE = "update", _("Ändrad")
    DELETE = "delete", _("Borttagen")
    VIEW = "view", _("Visad")


class AuditEntry(models.Model):
    """Who did what to which record, when, with the values before and after."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    actor = acting_user()
    actor_label = models.CharField(_("utförd av"), max_length=200, blank=True)
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    action = models.CharField(_("händelse"), max_length=10, choices=AuditAction.choices)
    model = models.CharField(_("posttyp"), max_length=100)
    object_id = models.CharField(_("post-id"), max_length=64)
    object_repr = models.CharField(_("post"), max_length=200)
    changes = models.JSONField(_("ändringar"), default=dict)

    class Meta:
        verbose_name = _("loggpost")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["partnership", "model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class ApiToken(models.Model):
    """An integration token: shown once at creation, stored as a SHA-256 hash."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("namn"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    SUCCEEDED = "succeeded", _("Klar")
    FAILED = "failed", _("Misslyckades")
    SKIPPED = "skipped", _("Redan gjord")


class JobRun(models.Model):
    """One run of a background job: what, when, how it went. The job status page reads it."""

    task_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("jobb"), max_length=200, db_index=True)
    idempotency_key = models.CharField(_("nyckel"), max_length=200, blank=True, db_index=True)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="job_runs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(_("meddelande"), blank=True)
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    # When a running job last showed a sign of life (start, progress); a running job silent
    # for longer than core.jobs.STALE_AFTER died with its worker and is marked failed.
    heartbeat_at = models.DateTimeField(_("senast aktiv"), null=True, blank=True)
    # A job about one organisation's records (an import): who queued it and whose records
    # they are. Its messages are read under the records' read rules (core.queries.job_runs).
    queued_by = acting_user(_("köat av"))
    organisation = optional_link(Organisation, related_name="+", verbose_name=_("organisation"))

    class Meta:
        verbose_name = _("jobbkörning")
        verbose_name_plural = _("jobbkörningar")
        ordering = ["-queued_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.task_id} ({self.status})"

"""The partnership's vocabulary for reports: the shipped defaults, categories, the police
type mapping and time bands."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtrygg.core import audit
from samtrygg.core.errors import DomainError, NotFound
from samtrygg.core.generations import data_changed
from samtrygg.core.models import AuditAction, Partnership
from samtrygg.core.permissions import Actor
from samtrygg.core.permissions import require_own as _own
from samtrygg.core.privacy import ensure_clean
from samtrygg.core.services import refuse_control_characters
from samtrygg.observations.models import (
    Category,
    Observation,
    PoliceTypeMapping,
    ReportingSettings,
    default_time_bands,
)
from samtrygg.observations.roles import CONFIG_ROLES
from samtrygg.observations.timebands import (
    TimeBand,
    bands_from_config,
    parse_clock,
)
from samtrygg.observations.vocabulary import DEFAULT_CATEGORIES, POLICE_TYPES

# Bump when the shipped defaults (categories, police types) grow: ensure_defaults adds them.
DEFAULTS_VERSION = 1


# --- Defaults -------------------------------------------------------------------------------


def ensure_defaults(partnership: Partnership) -> ReportingSettings:
    """Create the partnership's default categories, police type mapping and time bands.

    Idempotent and cheap when done (one query): called from the pages, the API, imports and
    when a partnership is created. A category the coordinator has deleted is not brought back.
    Shipped defaults, like reference data, get no audit entry; every later change does.
    """
    settings = ReportingSettings.objects.filter(partnership=partnership).first()
    if settings is not None and settings.defaults_version >= DEFAULTS_VERSION:
        return settings
    try:
        with transaction.atomic():
            settings, created = ReportingSettings.objects.select_for_update().get_or_create(
                partnership=partnership, defaults={"time_bands": default_time_bands()}
            )
            if settings.defaults_version >= DEFAULTS_VERSION:
                return settings
            if created:
                existing = set(
                    Category.objects.filter(partnership=partnership).values_list("slug", flat=True)
                )
                Category.objects.bulk_create(
                    [
                        Category(
                            partnership=partnership,
                            name=name,
                            slug=slug,
                            is_default=True,
                            sort_order=index * 10,
                        )
                        for index, (slug, name) in enumerate(DEFAULT_CATEGORIES, start=1)
                        if slug not in existing
                    ]
                )
            by_slug = {c.slug: c for c in Category.objects.filter(partnership=partnership)}
            known = set(
                PoliceTypeMapping.objects.filter(partnership=partnership).values_list(
                    "police_type", flat=True
                )
            )
            PoliceTypeMapping.objects.bulk_create(
                [
                    PoliceTypeMapping(
                        partnership=partnership,
                        police_type=police_type,
                        category=by_slug.get(slug) if slug else None,
                    )
                    for police_type, slug in POLICE_TYPES.items()
                    if police_type not in known
                ]
            )
            settings.defaults_version = DEFAULTS_VERSION
            settings.save(update_fields=["defaults_version", "updated_at"])
            # Stored in bulk, without signals or audit entries: a kept lägesbild would leave
            # out the police events of newly mapped types.
            data_changed(partnership.pk)
    except IntegrityError:
        # Another request created them at the same moment.
        settings = ReportingSettings.objects.get(partnership=partnership)
    return settings


def time_bands_of(partnership: Partnership) -> list[TimeBand]:
    return bands_from_config(ensure_defaults(partnership).time_bands)


# --- Categories -----------------------------------------------------------------------------


def _category_name(actor: Actor, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Ange ett namn på kategorin."), field="name")
    if len(name) > 100:
        raise DomainError(_("Namnet får vara högst 100 tecken."), field="name")
    refuse_control_characters(name, field="name", label=_("Namn"))
    ensure_clean(name, field="name")
    clash = Category.objects.filter(partnership=actor.partnership, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise DomainError(
            _("Det finns redan en kategori som heter %(n)s.") % {"n": name}, field="name"
        )
    return name


def create_category(actor: Actor, *, name: str) -> Category:
    actor.require(CONFIG_ROLES)
    ensure_defaults(actor.partnership)
    name = _category_name(actor, name)
    base = slugify(name)[:50] or "kategori"
    slug, n = base, 1
    taken = set(
        Category.objects.filter(partnership=actor.partnership, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    with transaction.atomic():
        last = (
            Category.objects.filter(partnership=actor.partnership).order_by("-sort_order").first()
        )
        category = audit.create(
            actor, Category, name=name, slug=slug, sort_order=(last.sort_order + 10) if last else 10
        )
    return category


def rename_category(actor: Actor, category: Category, *, name: str) -> Category:
    actor.require(CONFIG_ROLES)
    _own(actor, category)
    name = _category_name(actor, name, exclude=category.pk)
    with audit.change(actor, category, only=["name"]):
        category.name = name
    return category


def retire_category(actor: Actor, category: Category, *, retired: bool = True) -> Category:
    """Retire a category (no longer offered for new reports) or bring it back."""
    actor.require(CONFIG_ROLES)
    _own(actor, category)
    if category.is_retired == retired:
        return category
    if retired and not (
        Category.objects.filter(partnership=actor.partnership, retired_at__isnull=True)
        .exclude(pk=category.pk)
        .exists()
    ):
        raise DomainError(_("Minst en kategori måste vara i bruk."))
    with audit.change(actor, category, only=["retired_at"]):
        category.retired_at = timezone.now() if retired else None
    return category


def delete_category(actor: Actor, category: Category) -> None:
    """Delete a category that no report uses; one in use can only be retired."""
    actor.require(CONFIG_ROLES)
    _own(actor, category)
    used = Observation.objects.filter(category=category).count()
    if used:
        raise DomainError(
            ngettext(
                "Kategorin %(c)s används av %(n)d händelse och kan inte tas bort. "
                "Avveckla den i stället.",
                "Kategorin %(c)s används av %(n)d händelser och kan inte tas bort. "
                "Avveckla den i stället.",
                used,
            )
            % {"c": category.name, "n": used}
        )
    if not (
        Category.objects.filter(partnership=actor.partnership, retired_at__isnull=True)
        .exclude(pk=category.pk)
        .exists()
    ):
        raise DomainError(_("Minst en kategori måste vara i bruk."))
    audit.delete(actor, category)


# --- The police type mapping ---------------------------------------------------------------


def set_police_type_category(
    actor: Actor, mapping: PoliceTypeMapping, category: Category | None
) -> PoliceTypeMapping:
    """Map one police event type onto a category (None: not counted in any category)."""
    actor.require(CONFIG_ROLES)
    _own(actor, mapping)
    if category is not None:
        _own(actor, category)
    if mapping.category_id == (category.pk if category else None) and not mapping.needs_review:
        return mapping
    with audit.change(actor, mapping, only=["category", "needs_review"]):
        mapping.category = category
        mapping.needs_review = False
    return mapping


def set_police_type_categories(actor: Actor, choices: Mapping[int, int | None]) -> int:
    """Save the mapping page: {mapping id: category id or None}. Returns how many changed."""
    actor.require(CONFIG_ROLES)
    mappings = {
        m.pk: m
        for m in PoliceTypeMapping.objects.filter(partnership=actor.partnership, pk__in=choices)
    }
    categories = {c.pk: c for c in Category.objects.filter(partnership=actor.partnership)}
    changed = 0
    with transaction.atomic():
        for mapping_id, category_id in choices.items():
            mapping = mappings.get(mapping_id)
            if mapping is None:
                raise NotFound(_("Posten finns inte."))
            category = None
            if category_id is not None:
                category = categories.get(category_id)
                if category is None:
                    raise DomainError(_("Okänd kategori."), field="category")
            if mapping.category_id != category_id or mapping.needs_review:
                set_police_type_category(actor, mapping, category)
                changed += 1
    return changed


def note_police_types(partnership: Partnership | None, types: set[str]) -> int:
    """Record police event types never seen before, so they are kept and listed.

    Called by the police events import with the types of the events it read (for one
    partnership, or None for all). A type in the shipped list gets its default category; a
    new one is stored unmapped and flagged for the coordinator. Returns the rows created.
    """
    types = {t for t in types if isinstance(t, str) and t.strip()}
    if not types:
        return 0
    partnerships = (
        [partnership] if partnership is not None else list(Partnership.objects.order_by("pk"))
    )
    created = 0
    for p in partnerships:
        ensure_defaults(p)
        known = set(
            PoliceTypeMapping.objects.filter(partnership=p, police_type__in=types).values_list(
                "police_type", flat=True
            )
        )
        new = sorted(types - known)
        if not new:
            continue
        by_slug = {c.slug: c for c in Category.objects.filter(partnership=p)}
        with transaction.atomic():
            for police_type in new:
                slug = POLICE_TYPES.get(police_type)
                mapping, was_created = PoliceTypeMapping.objects.get_or_create(
                    partnership=p,
                    police_type=police_type[:120],
                    defaults={
                        "category": by_slug.get(slug) if slug else None,
                        "needs_review": police_type not in POLICE_TYPES,
                    },
                )
                if was_created:
                    created += 1
                    audit.record(None, AuditAction.CREATE, mapping, partnership=p)
    return created


# --- Time bands -----------------------------------------------------------------------------


def update_time_bands(actor: Actor, bands: Sequence[Mapping[str, Any]]) -> ReportingSettings:
    """Replace the partnership's time bands. Stored reports keep the times they were given."""
    actor.require(CONFIG_ROLES)
    settings = ensure_defaults(actor.partnership)
    if not bands:
        raise DomainError(_("Ange minst ett tidsband."), field="time_bands")
    if len(bands) > 8:
        raise DomainError(_("Högst åtta tidsband."), field="time_bands")
    clean: list[dict[str, str]] = []
    keys: set[str] = set()
    for index, band in enumerate(bands, start=1):
        label = " ".join(str(band.get("label") or "").split())
        prefix = _("Tidsband %(n)d: ") % {"n": index}
        if not label or len(label) > 40:
            raise DomainError(prefix + _("ange ett namn (högst 40 tecken)."), field="label")
        try:
            refuse_control_characters(label, field="label", label=_("Namn"))
            ensure_clean(label, field="label")
        except DomainError as exc:
            raise DomainError(prefix + exc.message, field="label") from exc
        key = slugify(str(band.get("key") or label))[:30] or f"band-{index}"
        if key in keys:
            raise DomainError(prefix + _("namnet finns redan."), field="label")
        keys.add(key)
        start = parse_clock(band.get("start"))
        end = parse_clock(band.get("end"))
        if start is None or end is None:
            raise DomainError(
                prefix + _("ange start och slut som TT:MM, t.ex. 06:00."), field="start"
            )
        if start == end:
            raise DomainError(prefix + _("start och slut kan inte vara samma."), field="end")
        clean.append({"key": key, "label": label, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    with audit.change(actor, settings, only=["time_bands"]):
        settings.time_bands = clean
    return settings

"""The county app's writes: granting and withdrawing the länssamordnare role, the län's
template (drafts, publishing) and a partnership's adoption of a published version.

Only a system administrator grants the role (it reads a whole län, above every samordnare),
never to themselves. Only the län's länssamordnare edits and publishes its template; a
published version never changes. Every write leaves an audit entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import audit
from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.models import AuditAction, County
from samtrygg.core.permissions import Actor
from samtrygg.core.services import clean_text, refuse_control_characters
from samtrygg.county.models import (
    CategoryMapping,
    CountyAssignment,
    CountyTemplate,
    TemplateAdoption,
    TemplateCategory,
    TemplateQuestion,
    TemplateVersion,
    VersionStatus,
)
from samtrygg.county.permissions import ADOPT_ROLES
from samtrygg.observations.vocabulary import DEFAULT_CATEGORIES
from samtrygg.statutory.extensions import SECTION_KEYS
from samtrygg.surveys import items as survey_items
from samtrygg.surveys import services as survey_services


def _require_system_administrator(granter: Any, user: Any) -> None:
    if not getattr(granter, "is_superuser", False):
        raise PermissionDenied(_("Bara systemadministratören ger rollen länssamordnare."))
    if user is not None and getattr(user, "pk", None) == granter.pk:
        raise PermissionDenied(
            _("Du kan inte ändra dina egna roller. Be en annan systemadministratör.")
        )


def check_grant(granter: Any, *, user: Any, county: County | str | None) -> County:
    """Refuse a grant that may not be given (a DomainError naming the field); the län."""
    _require_system_administrator(granter, user)
    if user is None or not getattr(user, "pk", None) or not user.is_active:
        raise DomainError(_("Välj en aktiv användare."), field="user")
    code = county.code if isinstance(county, County) else str(county or "").strip()
    found = County.objects.filter(code=code).first()
    if found is None:
        raise DomainError(_("Länet %(code)s finns inte.") % {"code": code}, field="county")
    if CountyAssignment.objects.filter(user=user, county=found).exists():
        raise DomainError(
            _("%(user)s är redan länssamordnare för %(county)s.")
            % {"user": user.email, "county": found.name},
            field="user",
        )
    return found


def grant_county(granter: Any, *, user: Any, county: County | str) -> CountyAssignment:
    """Make ``user`` länssamordnare for ``county`` (a County or its länskod)."""
    with transaction.atomic():
        found = check_grant(granter, user=user, county=county)
        return audit.create(granter, CountyAssignment, user=user, county=found, granted_by=granter)


def revoke_county(granter: Any, assignment: CountyAssignment) -> None:
    """Withdraw the länssamordnare role ``assignment`` gives."""
    _require_system_administrator(granter, assignment.user)
    audit.delete(granter, assignment)


# --- The county template: the länssamordnare's drafts and publishing ------------------------

# Every fixed survey item is offered by a new template; the län narrows the list.
MAX_GUIDANCE = 4000
MAX_DESCRIPTION = 2000
MAX_NOTE = 4000
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def _require_lan(user: Any, county_id: str) -> None:
    """Only the län's länssamordnare writes its template (not a system administrator: the
    role is given, like every reading role)."""
    if not getattr(user, "is_authenticated", False) or not (
        CountyAssignment.objects.filter(user=user, county_id=county_id).exists()
    ):
        raise PermissionDenied(_("Bara länets länssamordnare arbetar med länets mall."))


def _require_draft(version: TemplateVersion) -> None:
    if not version.is_draft:
        raise DomainError(
            _(
                "Version %(n)d är publicerad och ändras inte. Starta en ny version: den börjar "
                "som en kopia."
            )
            % {"n": version.number}
        )


def _template_for(user: Any, county: County) -> CountyTemplate:
    found = CountyTemplate.objects.filter(county=county).first()
    if found is not None:
        return found
    return audit.create(
        user,
        CountyTemplate,
        county=county,
        name=_("Gemensam mall för %(lan)s") % {"lan": county.name},
        created_by=user,
    )


def start_version(user: Any, county: County) -> TemplateVersion:
    """A new draft of the län's template: a copy of its latest published version, or the
    shipped vocabulary and every survey item when there is none yet. One draft at a time."""
    _require_lan(user, county.code)
    with transaction.atomic():
        template = _template_for(user, county)
        CountyTemplate.objects.select_for_update().filter(pk=template.pk).first()
        if template.versions.filter(status=VersionStatus.UTKAST).exists():
            raise DomainError(_("Det finns redan ett utkast. Arbeta vidare i det."))
        latest = template.versions.order_by("-number").first()
        source = (
            template.versions.filter(status=VersionStatus.PUBLICERAD).order_by("-number").first()
        )
        version = audit.create(
            user,
            TemplateVersion,
            template=template,
            number=(latest.number + 1) if latest else 1,
            based_on=source,
            problem_fields=dict(source.problem_fields) if source else _default_problem_fields(),
            survey_items=list(source.survey_items) if source else list(survey_items.ANSWER_CODES),
            created_by=user,
        )
        if source is not None:
            categories = [
                TemplateCategory(
                    version=version,
                    code=c.code,
                    name=c.name,
                    group=c.group,
                    description=c.description,
                    sort_order=c.sort_order,
                )
                for c in source.categories.all()
            ]
            questions = [
                TemplateQuestion(
                    version=version,
                    code=q.code,
                    text=q.text,
                    answers=list(q.answers),
                    positive=list(q.positive),
                )
                for q in source.questions.all()
            ]
        else:
            categories = [
                TemplateCategory(version=version, code=slug, name=name, sort_order=index * 10)
                for index, (slug, name) in enumerate(DEFAULT_CATEGORIES, start=1)
            ]
            questions = []
        TemplateCategory.objects.bulk_create(categories)
        TemplateQuestion.objects.bulk_create(questions)
    return version


def _default_problem_fields() -> dict[str, dict[str, Any]]:
    return {key: {"required": False, "guidance": ""} for key in SECTION_KEYS}


def update_version(user: Any, version: TemplateVersion, *, name: str, note: str) -> TemplateVersion:
    """The template's name and what is new in this draft."""
    _require_lan(user, version.template.county_id)
    _require_draft(version)
    name = clean_text(name, field="name", label=_("Mallens namn"), required=True, limit=200)
    note = clean_text(note, field="note", label=_("Vad som är nytt"), limit=MAX_NOTE)
    with transaction.atomic():
        template = version.template
        if template.name != name:
            audit.update(user, template, name=name)
        if version.note != note:
            audit.update(user, version, note=note)
    return version


def _category_values(
    version: TemplateVersion,
    *,
    code: str,
    name: str,
    group: str,
    description: str,
    exclude: int | None = None,
) -> dict[str, Any]:
    code = (code or "").strip().lower()
    if not _CODE.match(code):
        raise DomainError(
            _("Koden ska vara 1–60 små bokstäver a–z, siffror eller bindestreck, t.ex. klotter."),
            field="code",
        )
    name = clean_text(name, field="name", label=_("Namnet"), required=True, limit=100)
    refuse_control_characters(name, field="name", label=_("Namnet"))
    group = clean_text(group, field="group", label=_("Gruppen"), limit=100)
    description = clean_text(
        description, field="description", label=_("Beskrivningen"), limit=MAX_DESCRIPTION
    )
    others = version.categories.exclude(pk=exclude) if exclude else version.categories.all()
    if others.filter(code=code).exists():
        raise DomainError(_("Koden %(c)s finns redan i mallen.") % {"c": code}, field="code")
    if others.filter(name__iexact=name).exists():
        raise DomainError(_("Namnet %(n)s finns redan i mallen.") % {"n": name}, field="name")
    return {"code": code, "name": name, "group": group, "description": description}


def add_category(
    user: Any,
    version: TemplateVersion,
    *,
    code: str,
    name: str,
    group: str = "",
    description: str = "",
) -> TemplateCategory:
    _require_lan(user, version.template.county_id)
    _require_draft(version)
    values = _category_values(version, code=code, name=name, group=group, description=description)
    last = version.categories.order_by("-sort_order").first()
    return audit.create(
        user,
        TemplateCategory,
        version=version,
        sort_order=(last.sort_order + 10) if last else 10,
        **values,
    )


def update_category(
    user: Any,
    category: TemplateCategory,
    *,
    code: str,
    name: str,
    group: str = "",
    description: str = "",
) -> TemplateCategory:
    version = category.version
    _require_lan(user, version.template.county_id)
    _require_draft(version)
    values = _category_values(
        version, code=code, name=name, group=group, description=description, exclude=category.pk
    )
    return audit.update(user, category, **values)


def remove_category(user: Any, category: TemplateCategory) -> None:
    version = category.version
    _require_lan(user, version.template.county_id)
    _require_draft(version)
    audit.delete(user, category)


def set_problem_fields(
    user: Any, version: TemplateVersion, fields: dict[str, tuple[bool, str]]
) -> TemplateVersion:
    """Per part of the problem documentation: whether it is required, and the guidance text."""
    _require_lan(user, version.template.county_id)
    _require_draft(version)
    unknown = set(fields) - set(SECTION_KEYS)
    if unknown:
        raise DomainError(_("Okänd del av dokumentationen: %(k)s.") % {"k": ", ".join(unknown)})
    values: dict[str, dict[str, Any]] = {}
    for key in SECTION_KEYS:
        required, guidance = fields.get(key, (False, ""))
        values[key] = {
            "required": bool(required),
            "guidance": clean_text(
                guidance,
                field=f"guidance-{key}",
                label=_("Vägledningen"),
                limit=MAX_GUIDANCE,
            ),
        }
    return audit.update(user, version, problem_fields=values)


def set_survey_items(user: Any, version: TemplateVersion, codes: list[str]) -> TemplateVersion:
    """Which fixed survey items (T1 … F3) the län asks every kommun to ask."""
    _require_lan(user, version.template.county_id)
    _require_draft(version)
    unknown = [c for c in codes if c not in survey_items.ANSWER_CODES]
    if unknown:
        raise DomainError(
            _("Frågan %(c)s finns inte bland de fasta frågorna.") % {"c": unknown[0]},
            field="items",
        )
    chosen = [c for c in survey_items.ANSWER_CODES if c in set(codes)]
    return audit.update(user, version, survey_items=chosen)


def add_question(
    user: Any,
    version: TemplateVersion,
    *,
    code: str,
    text: str,
    answers: str | list[str],
    positive: list[Any],
) -> TemplateQuestion:
    """A question of the län's own: a code (not one of the fixed ones), its wording, two to
    nine answers and which of them count in the share (as a partnership's own question)."""
    _require_lan(user, version.template.county_id)
    _require_draft(version)
    code = (code or "").strip()
    if not code or len(code) > 8 or not code.replace("_", "").isalnum():
        raise DomainError(_("Koden ska vara 1–8 bokstäver eller siffror."), field="code")
    if code.upper() in {c.upper() for c in survey_items.CSV_HEADER}:
        raise DomainError(_("Koden %(c)s är en av de fasta frågornas.") % {"c": code}, field="code")
    if version.questions.filter(code__iexact=code).exists():
        raise DomainError(_("Koden %(c)s finns redan i mallen.") % {"c": code}, field="code")
    text, options, chosen = survey_services.clean_question(text, answers, positive)
    return audit.create(
        user,
        TemplateQuestion,
        version=version,
        code=code,
        text=text,
        answers=options,
        positive=chosen,
    )


def remove_question(user: Any, question: TemplateQuestion) -> None:
    version = question.version
    _require_lan(user, version.template.county_id)
    _require_draft(version)
    audit.delete(user, question)


def publish(user: Any, version: TemplateVersion) -> TemplateVersion:
    """Publish a draft: from now on the län's kommuner may adopt it, and it never changes."""
    _require_lan(user, version.template.county_id)
    with transaction.atomic():
        locked = TemplateVersion.objects.select_for_update().get(pk=version.pk)
        _require_draft(locked)
        if not locked.categories.exists():
            raise DomainError(_("Mallen behöver minst en kategori innan den publiceras."))
        with audit.change(user, locked, only=["status", "published_at", "published_by"]):
            locked.status = VersionStatus.PUBLICERAD
            locked.published_at = timezone.now()
            locked.published_by = user
    return locked


def discard_draft(user: Any, version: TemplateVersion) -> None:
    """Throw a draft away (with its categories and questions); a published version stays."""
    _require_lan(user, version.template.county_id)
    _require_draft(version)
    audit.delete(user, version)


# --- Adoption by a partnership -------------------------------------------------------------


@dataclass
class Adopted:
    adoption: TemplateAdoption
    created: list[Any] = field(default_factory=list)
    skipped_questions: list[str] = field(default_factory=list)


KEEP_OWN = None


def _target(targets: dict[int, TemplateCategory], pk: int | None) -> TemplateCategory | None:
    return targets.get(pk) if pk is not None else None


def adopt(
    actor: Actor,
    version: TemplateVersion,
    mapping: dict[int, int | None],
    *,
    decision: str = "",
) -> Adopted:
    """The partnership adopts a published version of its län's template.

    ``mapping`` maps each of the partnership's categories (id) to a category of the version
    (id), or to None: kept as the partnership's own. A category left out is kept as own. The
    version's categories that no category maps to are created in the partnership. Nothing of
    the history changes: every report keeps its category, and the mapping is stored with the
    adoption so that figures can be read in the template's codes. An earlier adoption stays.
    """
    from samtrygg.observations import services as observations
    from samtrygg.observations.models import Category
    from samtrygg.surveys import services as surveys

    actor.require(ADOPT_ROLES)
    partnership = actor.partnership
    if not version.is_published or version.template.county_id != partnership.municipality.county_id:
        raise NotFound(_("Versionen finns inte i länets mall."))
    decision = clean_text(decision, field="decision", label=_("Beslutet"), limit=200)
    with transaction.atomic():
        current = (
            TemplateAdoption.objects.filter(partnership=partnership)
            .select_related("version")
            .order_by("-adopted_at", "-id")
            .first()
        )
        if current is not None and current.version.number >= version.number:
            raise DomainError(
                _("Ni använder redan version %(n)d. Bara en nyare version kan antas.")
                % {"n": current.version.number},
                field="version",
            )
        own = list(Category.objects.filter(partnership=partnership).order_by("sort_order", "name"))
        own_ids = {c.pk for c in own}
        targets = {c.pk: c for c in version.categories.all()}
        for category_id, target_id in mapping.items():
            if category_id not in own_ids:
                raise DomainError(_("Kategorin finns inte i den här samverkan."))
            if target_id is not None and target_id not in targets:
                raise DomainError(
                    _("Välj en av mallens kategorier eller ”behåll som egen”."),
                    field=f"map-{category_id}",
                )
        chosen = {c.pk: mapping.get(c.pk, KEEP_OWN) for c in own}
        mapped_to = {t for t in chosen.values() if t is not None}
        missing = [t for pk, t in targets.items() if pk not in mapped_to]
        names = {c.name.casefold(): c for c in own}
        for lacking in missing:
            clash = names.get(lacking.name.casefold())
            if clash is not None:
                raise DomainError(
                    _(
                        "Er kategori %(c)s heter som mallens kategori %(t)s. Koppla den till "
                        "mallens kategori eller byt namn på den först."
                    )
                    % {"c": clash.name, "t": lacking.name},
                    field=f"map-{clash.pk}",
                )
        created = [observations.create_category(actor, name=t.name) for t in missing]
        adoption = TemplateAdoption.objects.create(
            partnership=partnership,
            version=version,
            decision=decision,
            adopted_by=actor.user if getattr(actor.user, "pk", None) else None,
        )
        rows = [
            CategoryMapping(
                adoption=adoption,
                category=c,
                category_name=c.name,
                template_category=_target(targets, chosen[c.pk]),
            )
            for c in own
        ] + [
            CategoryMapping(
                adoption=adoption,
                category=made,
                category_name=made.name,
                template_category=target,
                created=True,
            )
            for made, target in zip(created, missing, strict=True)
        ]
        CategoryMapping.objects.bulk_create(rows)
        questions, skipped = surveys.add_template_questions(
            actor,
            [
                surveys.QuestionSpec(q.code, q.text, tuple(q.answers), tuple(q.positive))
                for q in version.questions.all()
            ],
        )
        adoption.own_questions.set(questions)
        if skipped:
            adoption.skipped_questions = skipped
            adoption.save(update_fields=["skipped_questions"])
        audit.note(
            actor,
            AuditAction.CREATE,
            adoption,
            after={
                **audit.snapshot(adoption),
                "mapping": {
                    row.category_name: row.template_category.code if row.template_category else None
                    for row in rows
                },
            },
        )
    return Adopted(adoption, created, skipped)

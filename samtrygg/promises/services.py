"""Every write to agreements, promises, their items, signatures and follow-ups: validation,
one transaction, audit. A refusal is a DomainError with a Swedish message; nothing is saved.

A document every party has signed is frozen: every write here refuses it (``_require_open``)
and a change is made as a new version (:func:`new_version`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import audit
from samtrygg.core.errors import DomainError
from samtrygg.core.models import Area, Organisation
from samtrygg.core.permissions import Actor, require_own
from samtrygg.core.services import (
    clean_date,
    clean_text,
    own_record,
    refuse_control_characters,
)
from samtrygg.promises.models import (
    AgreementAnnex,
    AnnexKind,
    Assessment,
    BasisTag,
    CitizenPromise,
    Commitment,
    CooperationAgreement,
    FocusArea,
    FollowUp,
    FollowUpItem,
    PromiseItem,
    Responsible,
    Signature,
)
from samtrygg.promises.permissions import WRITE_ROLES
from samtrygg.promises.state import is_signed
from samtrygg.statutory import queries as statutory

Document = CooperationAgreement | CitizenPromise

MAX_TEXT = 20_000
MAX_TARGET = 100_000
# An agreement often runs a mandate period (four years); longer is almost always a typo.
MAX_AGREEMENT_DAYS = 6 * 366
MAX_PROMISE_DAYS = 3 * 366


def _text(
    value: Any, field: str, label: str, *, required: bool = False, limit: int = MAX_TEXT
) -> str:
    return clean_text(value, field=field, label=label, required=required, limit=limit)


def _date(value: Any, field: str, label: str, *, required: bool = True) -> dt.date | None:
    if not isinstance(value, dt.date) and not str(value or "").strip():
        if required:
            raise DomainError(_("%(label)s måste fyllas i.") % {"label": label}, field=field)
        return None
    return clean_date(
        value if isinstance(value, dt.date) else str(value),
        field=field,
        label=label,
        first_year=1990,
        last_year=2200,
    )


def one_year_on(start: dt.date) -> dt.date:
    """The last day of twelve months from ``start`` (2022-05-30 → 2023-05-29)."""
    try:
        next_year = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        next_year = start.replace(year=start.year + 1, day=28)
    return next_year - dt.timedelta(days=1)


def _period(
    starts: Any, ends: Any, limit_days: int, *, default_year: bool
) -> tuple[dt.date, dt.date]:
    start = _date(starts, "starts_on", _("Startdatum"))
    assert start is not None
    end = _date(ends, "ends_on", _("Slutdatum"), required=not default_year)
    if end is None:
        end = one_year_on(start)
    if end < start:
        raise DomainError(_("Slutdatumet ligger före startdatumet."), field="ends_on")
    if (end - start).days > limit_days:
        raise DomainError(
            _("Perioden får vara högst %(y)d år.") % {"y": limit_days // 366}, field="ends_on"
        )
    return start, end


def _other_parties(value: Any) -> str:
    text = _text(value, "other_parties", _("Övriga parter"), limit=2000)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(set(lines)) != len(lines):
        raise DomainError(_("En part står två gånger."), field="other_parties")
    if any(len(line) > 200 for line in lines):
        raise DomainError(_("En parts namn får vara högst 200 tecken."), field="other_parties")
    if {line.lower() for line in lines} & {"kommunen", "polisen"}:
        raise DomainError(
            _("Kommunen och polisen är alltid parter; skriv bara övriga organisationer."),
            field="other_parties",
        )
    return "\n".join(lines)


def _writer(actor: Actor, document: Any = None) -> None:
    actor.require(WRITE_ROLES)
    if document is not None:
        require_own(actor, document)


def _require_open(document: Document) -> None:
    """Refuse any change of a signed document (a change is a new version)."""
    if is_signed(document):
        raise DomainError(
            _(
                "Dokumentet är undertecknat av alla parter och kan inte ändras. "
                "Gör en ny version med ett skäl."
            )
        )


# --- Agreements --------------------------------------------------------------------------------


@dataclass
class AgreementSpec:
    title: str
    starts_on: Any
    ends_on: Any
    goals: str = ""
    follow_up_method: str = ""
    other_parties: str = ""
    # The prioritised problems (ids of this partnership's statutory problems).
    problems: list[int] = field(default_factory=list)


def _agreement_problems(actor: Actor, wanted_ids: list[int]) -> list[Any]:
    """The partnership's own problems by id; another partnership's (or none) is refused."""
    wanted = {int(pk) for pk in wanted_ids or []}
    found = list(statutory.problems(actor).filter(pk__in=wanted)) if wanted else []
    if len(found) != len(wanted):
        raise DomainError(_("Problemet finns inte i den här samverkan."), field="problems")
    return found


def _agreement_values(spec: AgreementSpec) -> dict[str, Any]:
    start, end = _period(spec.starts_on, spec.ends_on, MAX_AGREEMENT_DAYS, default_year=False)
    return {
        "title": _text(spec.title, "title", _("Rubriken"), required=True, limit=200),
        "starts_on": start,
        "ends_on": end,
        "goals": _text(spec.goals, "goals", _("Målen")),
        "follow_up_method": _text(spec.follow_up_method, "follow_up_method", _("Uppföljningen")),
        "other_parties": _other_parties(spec.other_parties),
    }


def create_agreement(
    actor: Actor, spec: AgreementSpec, *, is_demo: bool = False
) -> CooperationAgreement:
    _writer(actor)
    values = _agreement_values(spec)
    problems = _agreement_problems(actor, spec.problems)
    with transaction.atomic():
        agreement = audit.create(
            actor,
            CooperationAgreement,
            partnership=actor.partnership,
            created_by=getattr(actor, "user", None),
            is_demo=is_demo,
            **values,
        )
        agreement.problems.set(problems)
    return agreement


def update_agreement(
    actor: Actor, agreement: CooperationAgreement, spec: AgreementSpec
) -> CooperationAgreement:
    _writer(actor, agreement)
    _require_open(agreement)
    values = _agreement_values(spec)
    problems = _agreement_problems(actor, spec.problems)
    with transaction.atomic():
        audit.update(actor, agreement, **values)
        agreement.problems.set(problems)
    return agreement


def add_annex(
    actor: Actor,
    agreement: CooperationAgreement,
    *,
    title: str,
    picture: Any = None,
    upload: Any = None,
) -> AgreementAnnex:
    """A bilaga: an adopted lägesbild of the partnership, or an uploaded PDF."""
    from samtrygg.situation.models import PictureStatus, SituationPicture

    _writer(actor, agreement)
    _require_open(agreement)
    title = _text(title, "title", _("Bilagans rubrik"), required=True, limit=200)
    if (picture is None) == (upload is None):
        raise DomainError(_("Välj en antagen lägesbild eller ladda upp en PDF."), field="picture")
    with transaction.atomic():
        if picture is not None:
            pk = picture.pk if isinstance(picture, models.Model) else picture
            found = SituationPicture.objects.filter(
                partnership=actor.partnership, pk=pk, status=PictureStatus.ADOPTED
            ).first()
            if found is None:
                raise DomainError(
                    _("Lägesbilden finns inte bland samverkans antagna lägesbilder."),
                    field="picture",
                )
            annex = AgreementAnnex(
                agreement=agreement, title=title, kind=AnnexKind.LAGESBILD, picture=found
            )
        else:
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-" or not upload.name.lower().endswith(".pdf"):
                raise DomainError(_("Bilagan ska vara en PDF-fil."), field="file")
            if upload.size > 20 * 1024 * 1024:
                raise DomainError(_("Bilagan får vara högst 20 MB."), field="file")
            name = default_storage.save(f"overenskommelser/bilaga-{agreement.pk}.pdf", upload)
            annex = AgreementAnnex(agreement=agreement, title=title, kind=AnnexKind.PDF, file=name)
        return audit.created(actor, annex)


def delete_annex(actor: Actor, annex: AgreementAnnex) -> None:
    _writer(actor, annex.agreement)
    _require_open(annex.agreement)
    audit.delete(actor, annex)


# --- Promises ---------------------------------------------------------------------------------


@dataclass
class PromiseSpec:
    title: str
    starts_on: Any
    ends_on: Any = None
    intro: str = ""
    basis_tags: list[str] = field(default_factory=list)
    basis_text: str = ""
    other_parties: str = ""
    agreement: int | None = None


def _promise_values(actor: Actor, spec: PromiseSpec) -> dict[str, Any]:
    start, end = _period(spec.starts_on, spec.ends_on, MAX_PROMISE_DAYS, default_year=True)
    tags = list(dict.fromkeys(spec.basis_tags or []))
    if any(tag not in BasisTag.values for tag in tags):
        raise DomainError(_("Okänt underlag."), field="basis_tags")
    agreement = None
    if spec.agreement:
        message = _("Överenskommelsen finns inte i den här samverkan.")
        agreement = own_record(actor, CooperationAgreement, spec.agreement, message, "agreement")
    return {
        "title": _text(spec.title, "title", _("Rubriken"), required=True, limit=200),
        "starts_on": start,
        "ends_on": end,
        "intro": _text(spec.intro, "intro", _("Löftets text")),
        "basis_tags": [str(tag) for tag in tags],
        "basis_text": _text(spec.basis_text, "basis_text", _("Underlaget")),
        "other_parties": _other_parties(spec.other_parties),
        "agreement": agreement,
    }


def create_promise(actor: Actor, spec: PromiseSpec, *, is_demo: bool = False) -> CitizenPromise:
    _writer(actor)
    values = _promise_values(actor, spec)
    return audit.create(
        actor,
        CitizenPromise,
        partnership=actor.partnership,
        created_by=getattr(actor, "user", None),
        is_demo=is_demo,
        **values,
    )


def update_promise(actor: Actor, promise: CitizenPromise, spec: PromiseSpec) -> CitizenPromise:
    _writer(actor, promise)
    _require_open(promise)
    values = _promise_values(actor, spec)
    return audit.update(actor, promise, **values)


def add_focus_area(
    actor: Actor, promise: CitizenPromise, *, title: str, description: str = ""
) -> FocusArea:
    _writer(actor, promise)
    _require_open(promise)
    title = _text(title, "title", _("Fokusområdets rubrik"), required=True, limit=200)
    description = _text(description, "description", _("Beskrivningen"))
    with transaction.atomic():
        number = (promise.focus_areas.aggregate(n=Max("number"))["n"] or 0) + 1
        return audit.create(
            actor, FocusArea, promise=promise, number=number, title=title, description=description
        )


def delete_focus_area(actor: Actor, area: FocusArea) -> None:
    _writer(actor, area.promise)
    _require_open(area.promise)
    with transaction.atomic():
        for item in list(area.items.all()):
            audit.delete(actor, item)
        audit.delete(actor, area)


@dataclass
class ItemSpec:
    text: str
    responsible: str = Responsible.GEMENSAMT
    organisation: int | None = None
    commitment: str = Commitment.ANTAL
    condition: str = ""
    target: Any = None
    unit: str = ""
    rule_types: list[str] = field(default_factory=list)
    rule_areas: list[int] = field(default_factory=list)
    rule_from: Any = None
    rule_to: Any = None
    focus_area: int | None = None
    plan_item: int | None = None
    problem: int | None = None


def _item_links(actor: Actor, spec: ItemSpec) -> tuple[Any, Any]:
    """The item's optional åtgärdsplan item and problem, both of this partnership (read
    through the statutory queries); a plan item brings its problem when none is chosen, and
    a chosen problem must be the plan item's."""
    plan_item = problem = None
    if spec.plan_item:
        plan_item = statutory.plan_items(actor).filter(pk=spec.plan_item).first()
        if plan_item is None:
            raise DomainError(
                _("Åtgärden finns inte i den här samverkans åtgärdsplan."), field="plan_item"
            )
    if spec.problem:
        problem = statutory.problems(actor).filter(pk=spec.problem).first()
        if problem is None:
            raise DomainError(_("Problemet finns inte i den här samverkan."), field="problem")
    if plan_item is not None:
        if problem is None:
            problem = plan_item.problem
        elif plan_item.problem_id != problem.pk:
            raise DomainError(
                _("Åtgärden i åtgärdsplanen hör till ett annat problem än det valda."),
                field="problem",
            )
    return plan_item, problem


def _item_values(
    actor: Actor, promise: CitizenPromise, spec: ItemSpec
) -> tuple[dict[str, Any], list[Area]]:
    from samtrygg.actions.models import ActionType

    text = _text(spec.text, "text", _("Åtagandet"), required=True, limit=2000)
    if spec.responsible not in Responsible.values:
        raise DomainError(_("Välj vem som ansvarar."), field="responsible")
    organisation = None
    if spec.responsible == Responsible.ORGANISATION:
        if not spec.organisation:
            raise DomainError(_("Välj den ansvariga organisationen."), field="organisation")
        message = _("Organisationen finns inte i den här samverkan.")
        organisation = own_record(actor, Organisation, spec.organisation, message, "organisation")
    if spec.commitment not in Commitment.values:
        raise DomainError(_("Välj typ av åtagande."), field="commitment")
    condition = _text(spec.condition, "condition", _("Villkoret"), limit=2000)
    if spec.commitment == Commitment.VILLKORAT and not condition:
        raise DomainError(_("Ett villkorat åtagande behöver sitt villkor."), field="condition")
    target: int | None = None
    if spec.target not in (None, ""):
        try:
            target = int(str(spec.target).strip())
        except ValueError as exc:
            raise DomainError(_("Målet ska vara ett heltal."), field="target") from exc
        if not 0 < target <= MAX_TARGET:
            raise DomainError(_("Målet ska vara mellan 1 och 100 000."), field="target")
    if spec.commitment in (Commitment.ANTAL, Commitment.FREKVENS) and target is None:
        raise DomainError(
            _("Ett åtagande om antal eller frekvens behöver ett mål."), field="target"
        )
    unit = _text(spec.unit, "unit", _("Enheten"), limit=80)
    types = list(dict.fromkeys(spec.rule_types or []))
    if any(kind not in ActionType.values for kind in types):
        raise DomainError(_("Okänd insatstyp i räkneregeln."), field="rule_types")
    wanted = set(spec.rule_areas or [])
    areas = list(Area.objects.filter(partnership=actor.partnership, pk__in=wanted))
    if len(areas) != len(wanted):
        raise DomainError(_("Delområdet finns inte i den här samverkan."), field="rule_areas")
    rule_from = _date(spec.rule_from, "rule_from", _("Räknas från"), required=False)
    rule_to = _date(spec.rule_to, "rule_to", _("Räknas till"), required=False)
    start, end = rule_from or promise.starts_on, rule_to or promise.ends_on
    if end < start:
        raise DomainError(_("Räkneperioden slutar före den börjar."), field="rule_to")
    focus = None
    if spec.focus_area:
        focus = promise.focus_areas.filter(pk=spec.focus_area).first()
        if focus is None:
            raise DomainError(_("Fokusområdet hör inte till löftet."), field="focus_area")
    plan_item, problem = _item_links(actor, spec)
    values = {
        "text": text,
        "responsible": spec.responsible,
        "organisation": organisation,
        "commitment": spec.commitment,
        "condition": condition,
        "target": target,
        "unit": unit,
        "rule_types": [str(kind) for kind in types],
        "rule_from": rule_from,
        "rule_to": rule_to,
        "focus_area": focus,
        "plan_item": plan_item,
        "problem": problem,
    }
    return values, areas


def add_item(actor: Actor, promise: CitizenPromise, spec: ItemSpec) -> PromiseItem:
    _writer(actor, promise)
    _require_open(promise)
    values, areas = _item_values(actor, promise, spec)
    with transaction.atomic():
        number = (promise.items.aggregate(n=Max("number"))["n"] or 0) + 1
        item = audit.create(actor, PromiseItem, promise=promise, number=number, **values)
        item.rule_areas.set(areas)
    return item


def update_item(actor: Actor, item: PromiseItem, spec: ItemSpec) -> PromiseItem:
    _writer(actor, item.promise)
    _require_open(item.promise)
    values, areas = _item_values(actor, item.promise, spec)
    with transaction.atomic():
        audit.update(actor, item, **values)
        item.rule_areas.set(areas)
    return item


def link_item(
    actor: Actor, item: PromiseItem, *, plan_item: int | None = None, problem: int | None = None
) -> PromiseItem:
    """Set only an item's links to the åtgärdsplan and a problem (both optional; none: no
    link), validated as in the item form."""
    _writer(actor, item.promise)
    _require_open(item.promise)
    found_item, found_problem = _item_links(
        actor, ItemSpec(text=item.text, plan_item=plan_item, problem=problem)
    )
    return audit.update(actor, item, plan_item=found_item, problem=found_problem)


def delete_item(actor: Actor, item: PromiseItem) -> None:
    _writer(actor, item.promise)
    _require_open(item.promise)
    audit.delete(actor, item)


# --- Signatures -------------------------------------------------------------------------------


def _official(value: Any, field: str, label: str) -> str:
    """A signatory's name or title as published: an official acting in office, so not
    screened for personal names like free text, but trimmed, bounded and plain."""
    text = str(value or "").strip()
    if not text:
        raise DomainError(_("%(label)s måste fyllas i.") % {"label": label}, field=field)
    if len(text) > 200:
        raise DomainError(_("%(label)s får vara högst 200 tecken.") % {"label": label}, field=field)
    refuse_control_characters(text, field=field, label=label)
    return text


def sign(
    actor: Actor, document: Document, *, party: str, name: str, title: str, signed_on: Any
) -> Signature:
    """One party's signature. When the last party has signed, the document is frozen."""
    _writer(actor, document)
    _require_open(document)
    if party not in document.party_keys():
        raise DomainError(_("Välj en av dokumentets parter."), field="party")
    name = _official(name, "name", _("Namnet"))
    title = _official(title, "title", _("Titeln"))
    day = _date(signed_on, "signed_on", _("Datumet"))
    today = timezone.localdate()
    assert day is not None
    if day > today:
        raise DomainError(
            _("Ett datum i framtiden kan inte vara ett undertecknande."), field="signed_on"
        )
    target: dict[str, Any] = (
        {"agreement": document}
        if isinstance(document, CooperationAgreement)
        else {"promise": document}
    )
    with transaction.atomic():
        if Signature.objects.filter(party=party, **target).exists():
            raise DomainError(_("Den parten har redan skrivit under."), field="party")
        return audit.create(
            actor,
            Signature,
            in_partnership=actor.partnership,
            party=party,
            name=name,
            title=title,
            signed_on=day,
            **target,
        )


def remove_signature(actor: Actor, signature: Signature) -> None:
    document = signature.agreement or signature.promise
    assert document is not None
    _writer(actor, document)
    _require_open(document)
    audit.delete(actor, signature)


# --- Decisions (the statutory decision trail, on agreements and promises) ----------------------


# --- Versions and renewal ---------------------------------------------------------------------


def _copy_items(actor: Actor, source: CitizenPromise, target: CitizenPromise) -> None:
    areas: dict[int, FocusArea] = {}
    for area in source.focus_areas.all():
        areas[area.pk] = audit.create(
            actor,
            FocusArea,
            promise=target,
            number=area.number,
            title=area.title,
            description=area.description,
        )
    for item in source.items.prefetch_related("rule_areas"):
        copy = audit.create(
            actor,
            PromiseItem,
            promise=target,
            focus_area=areas.get(item.focus_area_id) if item.focus_area_id else None,
            number=item.number,
            text=item.text,
            responsible=item.responsible,
            organisation=item.organisation,
            commitment=item.commitment,
            condition=item.condition,
            target=item.target,
            unit=item.unit,
            rule_types=list(item.rule_types),
            rule_from=None if target.starts_on != source.starts_on else item.rule_from,
            rule_to=None if target.starts_on != source.starts_on else item.rule_to,
            plan_item=item.plan_item,
            problem=item.problem,
        )
        copy.rule_areas.set(item.rule_areas.all())


def new_version(actor: Actor, document: Document, *, reason: str) -> Document:
    """A change of a signed document: a new draft version with the reason; the signed one
    stays as it is (and is replaced once the new version is signed)."""
    _writer(actor, document)
    if not is_signed(document):
        raise DomainError(
            _("Ett utkast ändras direkt; en ny version görs av ett undertecknat dokument.")
        )
    reason = _text(reason, "reason", _("Skälet till den nya versionen"), required=True, limit=2000)
    model = type(document)
    if model.objects.filter(supersedes=document).exists():
        raise DomainError(_("Det finns redan en ny version av dokumentet."))
    common: dict[str, Any] = {
        "partnership": document.partnership,
        "title": document.title,
        "starts_on": document.starts_on,
        "ends_on": document.ends_on,
        "other_parties": document.other_parties,
        "version": document.version + 1,
        "change_reason": reason,
        "supersedes": document,
        "created_by": getattr(actor, "user", None),
        "is_demo": document.is_demo,
    }
    with transaction.atomic():
        if isinstance(document, CooperationAgreement):
            agreement: CooperationAgreement = audit.create(
                actor,
                CooperationAgreement,
                goals=document.goals,
                follow_up_method=document.follow_up_method,
                **common,
            )
            agreement.problems.set(document.problems.all())
            copy: Document = agreement
            for annex in document.annexes.all():
                audit.create(
                    actor,
                    AgreementAnnex,
                    agreement=copy,
                    title=annex.title,
                    kind=annex.kind,
                    picture=annex.picture,
                    file=annex.file,
                )
        else:
            copy = audit.create(
                actor,
                CitizenPromise,
                agreement=document.agreement,
                intro=document.intro,
                basis_tags=list(document.basis_tags),
                basis_text=document.basis_text,
                renewed_from=document.renewed_from,
                **common,
            )
            _copy_items(actor, document, copy)
    return copy


def renew(actor: Actor, promise: CitizenPromise, *, starts_on: Any = None) -> CitizenPromise:
    """Förnya: next period's promise drafted from this one, its follow-up and the latest
    themes of the adopted lägesbild; it starts the day after this one ends unless
    ``starts_on`` says when (after a gap of a year without a promise)."""
    _writer(actor, promise)
    if not is_signed(promise):
        raise DomainError(_("Ett löfte förnyas när alla parter har skrivit under det."))
    if promise.renewals.exists():
        raise DomainError(_("Löftet är redan förnyat; öppna det nya utkastet."))
    start = promise.ends_on + dt.timedelta(days=1)
    if starts_on not in (None, ""):
        start = _date(starts_on, "starts_on", _("Startdatum")) or start
        if start <= promise.starts_on:
            raise DomainError(
                _("Nästa löfte börjar efter det här löftets start."), field="starts_on"
            )
    lines = [promise.basis_text] if promise.basis_text else []
    follow_up = promise.follow_ups.filter(adopted_at__isnull=False).order_by("-period_end").first()
    if follow_up is not None:
        lines.append(
            _("Uppföljningen av föregående löfte (%(from)s–%(to)s):")
            % {"from": follow_up.period_start.isoformat(), "to": follow_up.period_end.isoformat()}
        )
        for entry in follow_up.snapshot.get("items", []):
            lines.append(f"– {entry['text'].rstrip('.')}: {entry['assessment_label']}")
    themes = latest_themes(promise.partnership)
    if themes:
        lines.append(_("Senaste lägesbildens teman: %(t)s.") % {"t": ", ".join(themes)})
    with transaction.atomic():
        copy = audit.create(
            actor,
            CitizenPromise,
            partnership=promise.partnership,
            agreement=promise.agreement,
            title=promise.title,
            starts_on=start,
            ends_on=one_year_on(start),
            other_parties=promise.other_parties,
            intro=promise.intro,
            basis_tags=list(promise.basis_tags),
            basis_text="\n".join(lines)[:MAX_TEXT],
            renewed_from=promise,
            created_by=getattr(actor, "user", None),
            is_demo=promise.is_demo,
        )
        _copy_items(actor, promise, copy)
    return copy


def latest_themes(partnership: Any) -> list[str]:
    """The delområden at an elevated level in the latest adopted lägesbild."""
    from samtrygg.situation.models import PictureStatus, SituationPicture

    picture = (
        SituationPicture.objects.filter(partnership=partnership, status=PictureStatus.ADOPTED)
        .order_by("-adopted_at", "-id")
        .prefetch_related("levels")
        .first()
    )
    if picture is None:
        return []
    raised = [lv for lv in picture.levels.all() if lv.level >= 1]
    return [f"{lv.area_name} ({lv.get_level_display()})" for lv in raised]


# --- Follow-ups -------------------------------------------------------------------------------


def start_follow_up(
    actor: Actor, promise: CitizenPromise, *, period_start: Any = None, period_end: Any = None
) -> FollowUp:
    """A follow-up report of a signed promise (default: its whole period), one row per item."""
    _writer(actor, promise)
    if not is_signed(promise):
        raise DomainError(_("Ett löfte följs upp när alla parter har skrivit under."))
    start = _date(period_start, "period_start", _("Från"), required=False) or promise.starts_on
    end = _date(period_end, "period_end", _("Till"), required=False) or min(
        promise.ends_on, max(timezone.localdate(), promise.starts_on)
    )
    if end < start:
        raise DomainError(_("Perioden slutar före den börjar."), field="period_end")
    if start < promise.starts_on or end > promise.ends_on:
        raise DomainError(_("Perioden ska ligga inom löftets giltighet."), field="period_start")
    with transaction.atomic():
        follow_up = audit.create(
            actor,
            FollowUp,
            partnership=actor.partnership,
            promise=promise,
            period_start=start,
            period_end=end,
            created_by=getattr(actor, "user", None),
            is_demo=promise.is_demo,
        )
        for item in promise.items.all():
            audit.create(
                actor,
                FollowUpItem,
                in_partnership=actor.partnership,
                follow_up=follow_up,
                item=item,
            )
    return follow_up


def _require_draft(follow_up: FollowUp) -> None:
    if follow_up.is_adopted:
        raise DomainError(_("Uppföljningen är antagen och publicerad och kan inte ändras."))


def set_follow_up_summary(actor: Actor, follow_up: FollowUp, *, summary: str) -> FollowUp:
    _writer(actor, follow_up)
    _require_draft(follow_up)
    return audit.update(actor, follow_up, summary=_text(summary, "summary", _("Sammanfattningen")))


def assess(
    actor: Actor, entry: FollowUpItem, *, assessment: str, comment: str = ""
) -> FollowUpItem:
    _writer(actor, entry.follow_up)
    _require_draft(entry.follow_up)
    if assessment not in Assessment.values:
        raise DomainError(_("Välj en bedömning."), field="assessment")
    comment = _text(comment, "comment", _("Kommentaren"), limit=4000)
    if assessment != Assessment.UPPFYLLT and not comment:
        raise DomainError(_("Skriv vad som hände när åtagandet inte är uppfyllt."), field="comment")
    return audit.update(
        actor, entry, in_partnership=actor.partnership, assessment=assessment, comment=comment
    )


def adopt_follow_up(actor: Actor, follow_up: FollowUp) -> FollowUp:
    """Anta och publicera: every item assessed; the published numbers are frozen; member
    organisations are told."""
    from samtrygg.promises.progress import follow_up_snapshot

    _writer(actor, follow_up)
    _require_draft(follow_up)
    entries = list(follow_up.entries.select_related("item"))
    missing = [e.item.number for e in entries if not e.assessment]
    if missing:
        raise DomainError(
            _("Bedöm alla åtaganden innan uppföljningen antas (saknas: %(n)s).")
            % {"n": ", ".join(str(n) for n in missing)}
        )
    snapshot = follow_up_snapshot(follow_up)
    with transaction.atomic():
        audit.update(
            actor,
            follow_up,
            snapshot=snapshot,
            adopted_at=timezone.now(),
            adopted_by=getattr(actor, "user", None),
        )
        partnership_id = actor.partnership.pk
        pk = follow_up.pk

        def notify() -> None:
            from samtrygg.promises.tasks import notify_follow_up_published

            notify_follow_up_published.delay(partnership_id=partnership_id, follow_up_id=pk)

        transaction.on_commit(notify, robust=True)
    return follow_up

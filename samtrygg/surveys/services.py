"""Every write to surveys, answers, codes, published figures and dialogues: validation, one
transaction, an audit entry. A refusal is a DomainError with a Swedish message and nothing is
saved; a person's file is all or nothing, with the row and the column named.

Anonymity: an answer keeps item codes, a delområde and two background codes – never the
supplier's respondent number, a time or the code it was given with. A single-use code is kept
as a keyed hash (its own primary key, so the codes have no order) and whether it is used. The
audit entry of a web answer names the wave, not the answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samtrygg.core import audit
from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.core.models import Area, AuditAction
from samtrygg.core.permissions import Actor
from samtrygg.core.services import clean_text, own_record
from samtrygg.core.tabular import blank, table_rows
from samtrygg.observations.models import Category
from samtrygg.surveys import extensions, items
from samtrygg.surveys.models import (
    DIALOGUE_AGES,
    DIALOGUE_GENDERS,
    Channel,
    Dialogue,
    DialogueFormat,
    DialogueTheme,
    FigureSource,
    OwnQuestion,
    PublishedFigure,
    Response,
    SampleKind,
    Survey,
    Token,
    Wave,
)
from samtrygg.surveys.permissions import DATA_ROLES, MANAGE_ROLES, TEMPLATE_ROLES

MAX_ROWS = 50_000
MAX_TOKENS = 5_000
MAX_COMMENT = 2_000
MAX_SUMMARY = 5_000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
TOKEN_LENGTH = 8
FIGURE_HEADER = ("source", "measure", "region", "area", "year", "value")
WEIGHT = "weight"


def _require(actor: Actor, roles: frozenset[str]) -> None:
    if not actor.has(roles):
        raise PermissionDenied(_("Din roll i den här samverkan får inte göra detta."))


def _year(value: Any, field: str = "year") -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Året ska vara ett årtal, t.ex. 2026."), field=field) from exc
    if not 1990 <= year <= 2100:
        raise DomainError(_("Året ska vara mellan 1990 och 2100."), field=field)
    return year


def _sample(value: Any) -> str:
    if value not in SampleKind.values:
        raise DomainError(
            _("Urvalet ska vara random (slumpmässigt) eller open (öppen länk)."), field="sample"
        )
    return str(value)


# --- Surveys and waves -------------------------------------------------------------------


def _survey_named(actor: Actor, name: str, *, create: bool) -> Survey:
    name = clean_text(name, field="name", label=_("Namnet"), required=True, limit=120)
    found = Survey.objects.filter(partnership=actor.partnership, name__iexact=name).first()
    if found is not None:
        return found
    if not create:
        raise DomainError(
            _("Det finns ingen undersökning som heter %(n)s.") % {"n": name}, field="name"
        )
    base = slugify(name)[:60] or "enkat"
    slug, number = base, 1
    while Survey.objects.filter(partnership=actor.partnership, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return audit.create(actor, Survey, name=name, slug=slug)


def create_wave(actor: Actor, name: str, year: Any, sample: Any) -> Wave:
    """A new wave of the survey called ``name`` (the survey is made when it is new)."""
    _require(actor, DATA_ROLES)
    year = _year(year)
    sample = _sample(sample)
    with transaction.atomic():
        survey = _survey_named(actor, name, create=True)
        if Wave.objects.filter(survey=survey, year=year).exists():
            raise DomainError(
                _("%(s)s har redan en omgång %(y)d.") % {"s": survey.name, "y": year},
                field="year",
            )
        wave = audit.create(
            actor,
            Wave,
            survey=survey,
            year=year,
            sample=sample,
            slug=f"{survey.slug}-{year}",
        )
        # The adopted county template's own questions are asked by default (the samordnare
        # may change the choice on the wave's page), so the län's kommuner ask alike.
        template = extensions.survey_template(actor.partnership)
        if template is not None and template.question_codes:
            chosen = OwnQuestion.objects.filter(
                partnership=actor.partnership, code__in=template.question_codes
            )
            wave.own_questions.set(chosen)
        return wave


def delete_wave(actor: Actor, wave: Wave) -> None:
    """Remove a wave with its answers and codes (a survey left without waves goes too)."""
    _require(actor, MANAGE_ROLES)
    with transaction.atomic():
        survey = wave.survey
        audit.delete(actor, wave)
        if not survey.waves.exists():
            audit.delete(actor, survey)


def set_web_open(actor: Actor, wave: Wave, open_: bool) -> Wave:
    """Open or close the wave's public web survey. A random sample needs codes first."""
    _require(actor, MANAGE_ROLES)
    if open_ and wave.sample == SampleKind.RANDOM and not wave.tokens.exists():
        raise DomainError(
            _("Skapa engångskoder till urvalet innan webbenkäten öppnas."), field="web_open"
        )
    return audit.update(actor, wave, web_open=bool(open_))


def set_wave_questions(actor: Actor, wave: Wave, question_ids: Iterable[int]) -> Wave:
    """Which of the partnership's own questions the wave's web survey asks."""
    _require(actor, MANAGE_ROLES)
    ids = {int(pk) for pk in question_ids}
    found = list(OwnQuestion.objects.filter(partnership=actor.partnership, pk__in=ids))
    if len(found) != len(ids):
        raise DomainError(_("Frågan finns inte i den här samverkan."), field="questions")
    with audit.change(actor, wave):
        wave.own_questions.set(found)
    return wave


# --- Own questions -----------------------------------------------------------------------


def clean_question(
    text: str, answers: str | Sequence[str], positive: Iterable[Any]
) -> tuple[str, list[str], list[int]]:
    """An own question's wording, its two to nine answers (one a line) and the numbers of
    those that count as positive, checked: a partnership's and a län template's alike."""
    text = clean_text(text, field="text", label=_("Frågan"), required=True, limit=300)
    lines = answers.splitlines() if isinstance(answers, str) else list(answers)
    options = [
        clean_text(line, field="answers", label=_("Svarsalternativet"), limit=100)
        for line in lines
        if line.strip()
    ]
    if not 2 <= len(options) <= 9:
        raise DomainError(_("Ange två till nio svarsalternativ, ett per rad."), field="answers")
    try:
        chosen = sorted({int(value) for value in positive})
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Välj vilka svar som räknas."), field="positive") from exc
    if not chosen or any(not 1 <= value <= len(options) for value in chosen):
        raise DomainError(
            _("Välj minst ett av svarsalternativen som räknas i andelen."), field="positive"
        )
    return text, options, chosen


def add_own_question(
    actor: Actor, code: str, text: str, answers: str | Sequence[str], positive: Iterable[Any]
) -> OwnQuestion:
    """A question of the partnership's own: a code (E1 …, not one of the fixed ones), its
    wording, two to nine answers (one a line) and which of them count as positive."""
    _require(actor, MANAGE_ROLES)
    code = (code or "").strip()
    if not code or len(code) > 8 or not code.replace("_", "").isalnum():
        raise DomainError(_("Koden ska vara 1–8 bokstäver eller siffror."), field="code")
    if code.upper() in {c.upper() for c in items.ANSWER_CODES} or code in items.CSV_HEADER:
        raise DomainError(_("Koden %(c)s är en av de fasta frågornas.") % {"c": code}, field="code")
    if OwnQuestion.objects.filter(partnership=actor.partnership, code__iexact=code).exists():
        raise DomainError(_("Koden %(c)s finns redan.") % {"c": code}, field="code")
    text, options, chosen = clean_question(text, answers, positive)
    return audit.create(actor, OwnQuestion, code=code, text=text, answers=options, positive=chosen)


@dataclass(frozen=True)
class QuestionSpec:
    """A question as a county template words it."""

    code: str
    text: str
    answers: tuple[str, ...]
    positive: tuple[int, ...]


def add_template_questions(
    actor: Actor, specs: Sequence[QuestionSpec]
) -> tuple[list[OwnQuestion], list[str]]:
    """The own questions of an adopted county template, into the partnership's library.

    A question whose code is already there with the same wording is the same question (kept as
    it is); a code the partnership already uses for another question is left alone and named
    in the second list (its answers stay its own). Returns the template's questions as they
    now stand in the library and the codes that were skipped.
    """
    _require(actor, TEMPLATE_ROLES)
    found: list[OwnQuestion] = []
    skipped: list[str] = []
    with transaction.atomic():
        for spec in specs:
            existing = OwnQuestion.objects.filter(
                partnership=actor.partnership, code__iexact=spec.code
            ).first()
            if existing is not None:
                same = (
                    existing.text == spec.text
                    and list(existing.answers) == list(spec.answers)
                    and sorted(existing.positive) == sorted(spec.positive)
                )
                if same:
                    found.append(existing)
                else:
                    skipped.append(spec.code)
                continue
            if spec.code.upper() in {c.upper() for c in items.ANSWER_CODES}:
                skipped.append(spec.code)
                continue
            found.append(
                audit.create(
                    actor,
                    OwnQuestion,
                    code=spec.code,
                    text=spec.text,
                    answers=list(spec.answers),
                    positive=sorted(spec.positive),
                )
            )
    return found, skipped


# --- Answers from a supplier's file --------------------------------------------------------


@dataclass
class ImportResult:
    wave: Wave
    responses: int
    areas: dict[str, int] = field(default_factory=dict)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code(value: Any) -> int | None:
    """An answer code from a cell: empty is no answer; ``3``, ``3.0`` and 3 are code 3."""
    text = _cell_text(value)
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError as exc:
        raise ValueError(text) from exc
    if not number.is_integer():
        raise ValueError(text)
    return int(number)


def _weight(value: Any) -> float:
    text = _cell_text(value).replace(",", ".").replace("\u00a0", "").replace(" ", "")
    try:
        number = float(text)
    except ValueError as exc:
        raise ValueError(text) from exc
    if not math.isfinite(number) or number <= 0:
        raise ValueError(text)
    return number


def _where(row: int, column: str) -> str:
    return _("Rad %(r)d, kolumn %(c)s: ") % {"r": row, "c": column}


def _areas_by_name(actor: Actor) -> dict[str, Area]:
    return {
        area.name.strip().casefold(): area
        for area in Area.objects.filter(partnership=actor.partnership)
    }


def _row_area(number: int, name: str, areas: dict[str, Area], unknown: str) -> Area | None:
    """The delområde a row's area column names (None when it is blank), or a refusal naming
    the row: ``unknown``, given the name as ``a`` and the partnership's delområden as
    ``known``."""
    if not name:
        return None
    area = areas.get(name.casefold())
    if area is None:
        known = ", ".join(a.name for a in areas.values())
        raise DomainError(_where(number, "area") + unknown % {"a": name, "known": known})
    return area


def _rows(data: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    for number, cells in table_rows(data, filename):
        if not blank(cells):
            yield number, cells


def _header(rows: Iterator[tuple[int, list[Any]]], expected: Sequence[str], optional: str) -> bool:
    """Read the header; True when the optional last column is there. Refuses any other."""
    first = next(rows, None)
    if first is None:
        raise DomainError(_("Filen är tom."))
    header = [_cell_text(cell) for cell in first[1]]
    while header and header[-1] == "":
        header.pop()
    if header == list(expected):
        return False
    if header == [*expected, optional]:
        return True
    for index, name in enumerate(expected):
        got = header[index] if index < len(header) else ""
        if got != name:
            raise DomainError(
                _(
                    "Rad 1, kolumn %(n)d: rubriken ska vara %(want)s, inte %(got)s. Rubrikraden "
                    "ska vara exakt: %(header)s (och en sista kolumn %(opt)s om vikter finns)."
                )
                % {
                    "n": index + 1,
                    "want": name,
                    "got": got or _("tom"),
                    "header": ",".join(expected),
                    "opt": optional,
                }
            )
    raise DomainError(
        _("Rad 1: efter %(last)s får bara kolumnen %(opt)s komma, inte %(got)s.")
        % {"last": expected[-1], "opt": optional, "got": header[len(expected)]}
    )


def parse_responses(actor: Actor, data: bytes, filename: str = "") -> list[Response]:
    """The answers of a microdata file as unsaved responses, or a refusal naming the row and
    the column. The header is ``items.CSV_HEADER`` exactly, with an optional last ``weight``."""
    rows = _rows(data, filename)
    weighted = _header(rows, items.CSV_HEADER, WEIGHT)
    areas = _areas_by_name(actor)
    seen: dict[str, int] = {}
    parsed: list[Response] = []
    for number, raw in rows:
        cells = [_cell_text(cell) for cell in raw]
        width = len(items.CSV_HEADER) + (1 if weighted else 0)
        if len([c for c in cells[width:] if c]) > 0:
            raise DomainError(
                _("Rad %(r)d har fler värden än rubrikraden har kolumner.") % {"r": number}
            )
        cells += [""] * (width - len(cells))
        record = dict(zip([*items.CSV_HEADER, WEIGHT], cells, strict=False))
        respondent = record["respondent"]
        if not respondent:
            raise DomainError(_where(number, "respondent") + _("respondenten saknar nummer."))
        if respondent in seen:
            raise DomainError(
                _where(number, "respondent")
                + _("respondent %(id)s finns redan på rad %(r)d.")
                % {"id": respondent, "r": seen[respondent]}
            )
        seen[respondent] = number
        area = _row_area(
            number, record["area"], areas, _("%(a)s är inget delområde i samverkan (%(known)s).")
        )
        answers: dict[str, int] = {}
        for item in items.ITEMS:
            try:
                value = _code(record[item.code])
            except ValueError as exc:
                raise DomainError(
                    _where(number, item.code)
                    + _("%(v)s är inget svar; giltiga koder är %(codes)s.")
                    % {"v": exc.args[0], "codes": ", ".join(map(str, item.codes))}
                ) from exc
            if value is None:
                continue
            if value not in item.codes:
                raise DomainError(
                    _where(number, item.code)
                    + _("%(v)s är inget svar; giltiga koder är %(codes)s.")
                    % {"v": value, "codes": ", ".join(map(str, item.codes))}
                )
            answers[item.code] = value
        if "T1b" in answers and answers.get("T1") != 5:
            raise DomainError(
                _where(number, "T1b") + _("T1b besvaras bara av den som svarat 5 på T1.")
            )
        gender = _background(number, "kon", record["kon"], dict(items.GENDERS))
        age = _age(number, record["alder"])
        weight = None
        if weighted:
            try:
                weight = _weight(record[WEIGHT])
            except ValueError as exc:
                raise DomainError(
                    _where(number, WEIGHT)
                    + _("vikten ska vara ett positivt tal, inte %(v)s.")
                    % {"v": exc.args[0] or _("tomt")}
                ) from exc
        parsed.append(
            Response(
                area=area,
                answers=answers,
                gender=gender,
                age_band=age,
                weight=weight,
                channel=Channel.IMPORT,
            )
        )
        if len(parsed) > MAX_ROWS:
            raise DomainError(_("Filen har fler än %(n)d svar.") % {"n": MAX_ROWS})
    if not parsed:
        raise DomainError(_("Filen har inga svar under rubrikraden."))
    return parsed


def _known_code(value: str, known: Mapping[int, Any]) -> int | None:
    """The code in a background column (None when blank); ValueError for any other value than
    one of ``known``."""
    code = _code(value)
    if code is not None and code not in known:
        raise ValueError(value)
    return code


def _background(number: int, column: str, value: str, known: Mapping[int, Any]) -> int | None:
    try:
        return _known_code(value, known)
    except ValueError:
        raise DomainError(
            _where(number, column)
            + _("%(v)s är ingen kod; giltiga koder är %(codes)s.")
            % {"v": value, "codes": ", ".join(map(str, known))}
        ) from None


def _age(number: int, value: str) -> int | None:
    if value in items.AGE_LABELS:
        return items.AGE_LABELS[value]
    try:
        return _known_code(value, dict(items.AGE_BANDS))
    except ValueError:
        raise DomainError(
            _where(number, "alder")
            + _("%(v)s är ingen åldersgrupp; ange 1–4 eller 16–24, 25–44, 45–64, 65–84.")
            % {"v": value}
        ) from None


def import_responses(
    actor: Actor, data: bytes, filename: str, *, survey: str, year: Any, sample: Any
) -> ImportResult:
    """A supplier's microdata as a new wave of ``survey`` (all or nothing). A wave that
    already has answers is refused: remove it first to import it again."""
    _require(actor, DATA_ROLES)
    year = _year(year)
    sample = _sample(sample)
    responses = parse_responses(actor, data, filename)
    with transaction.atomic():
        named = _survey_named(actor, survey, create=True)
        wave = Wave.objects.filter(survey=named, year=year).first()
        if wave is None:
            wave = audit.create(
                actor, Wave, survey=named, year=year, sample=sample, slug=f"{named.slug}-{year}"
            )
        elif wave.sample != sample:
            raise DomainError(
                _("Omgången %(w)s är %(kind)s; filen kan inte läsas in som ett annat urval.")
                % {"w": wave, "kind": wave.get_sample_display().lower()},
                field="sample",
            )
        elif wave.responses.exists():
            raise DomainError(
                _(
                    "Omgången %(w)s har redan svar. Ta bort omgången först om filen ska läsas "
                    "in på nytt."
                )
                % {"w": wave},
                field="year",
            )
        for response in responses:
            response.wave = wave
        Response.objects.bulk_create(responses, batch_size=2000)
        audit.note(
            actor,
            AuditAction.UPDATE,
            wave,
            before={"svar": 0},
            after={"svar": len(responses), "fil": filename[:100]},
        )
    counts: dict[str, int] = {}
    for response in responses:
        name = response.area.name if response.area else ""
        counts[name] = counts.get(name, 0) + 1
    return ImportResult(wave, len(responses), counts)


# --- Single-use codes and the web survey ----------------------------------------------------


def normalise_token(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def token_digest(wave: Wave, value: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    message = f"{wave.pk}:{normalise_token(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def format_token(value: str) -> str:
    return f"{value[:4]}-{value[4:]}"


def issue_tokens(actor: Actor, wave: Wave, count: Any) -> list[str]:
    """``count`` new single-use codes for the wave's random sample. They are returned once,
    to be printed (as codes or links) and sent; only their hashes are kept."""
    _require(actor, MANAGE_ROLES)
    if wave.sample != SampleKind.RANDOM:
        raise DomainError(
            _("Engångskoder hör till ett slumpmässigt urval; en öppen länk behöver inga."),
            field="count",
        )
    try:
        number = int(str(count).strip())
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Antalet ska vara ett heltal."), field="count") from exc
    if not 1 <= number <= MAX_TOKENS:
        raise DomainError(
            _("Antalet ska vara mellan 1 och %(n)d.") % {"n": MAX_TOKENS}, field="count"
        )
    codes: list[str] = []
    digests: set[str] = set()
    while len(codes) < number:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(TOKEN_LENGTH))
        digest = token_digest(wave, code)
        if digest in digests:
            continue
        digests.add(digest)
        codes.append(code)
    with transaction.atomic():
        existing = set(Token.objects.filter(digest__in=digests).values_list("digest", flat=True))
        if existing:  # astronomically unlikely; refuse rather than reuse
            raise DomainError(_("Koderna kunde inte skapas. Försök igen."))
        Token.objects.bulk_create(Token(digest=d, wave=wave) for d in digests)
        audit.note(actor, AuditAction.UPDATE, wave, before={}, after={"nya engångskoder": number})
    return [format_token(code) for code in codes]


@dataclass
class WebAnswer:
    """What a resident sent from the web survey (codes as the form gives them)."""

    answers: Mapping[str, Any]
    area: Any = None
    gender: Any = None
    age_band: Any = None
    comment: str = ""
    token: str = ""


def _form_code(value: Any, allowed: Sequence[int], field: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        code = int(text)
    except ValueError as exc:
        raise DomainError(_("Välj ett av svarsalternativen."), field=field) from exc
    if code not in allowed:
        raise DomainError(_("Välj ett av svarsalternativen."), field=field)
    return code


def submit_web_answer(wave: Wave, answer: WebAnswer) -> None:
    """A resident's answer from the public web survey. A random sample's code is used up in
    the same transaction; nothing about the code, the time or the resident is kept with the
    answer."""
    if not wave.web_open:
        raise DomainError(_("Enkäten är stängd och tar inte emot svar."))
    answers: dict[str, int] = {}
    for item in items.ITEMS:
        value = _form_code(answer.answers.get(item.code), item.codes, item.code)
        if value is not None:
            answers[item.code] = value
    if answers.get("T1") != 5:
        answers.pop("T1b", None)
    for question in wave.own_questions.all():
        allowed = [code for code, _label in question.choices]
        value = _form_code(answer.answers.get(question.code), allowed, question.code)
        if value is not None:
            answers[question.code] = value
    if not answers:
        raise DomainError(_("Svara på minst en fråga innan du skickar."))
    area = None
    if str(answer.area or "").strip():
        try:
            area = Area.objects.filter(partnership=wave.partnership, pk=int(answer.area)).first()
        except ValueError:
            area = None
        if area is None:
            raise DomainError(_("Välj ett av områdena i listan."), field="area")
    gender = _form_code(answer.gender, [c for c, _l in items.GENDERS], "gender")
    age = _form_code(answer.age_band, [c for c, _l in items.AGE_BANDS], "age_band")
    comment = clean_text(
        answer.comment, field="comment", label=_("Det du skrev"), limit=MAX_COMMENT
    )
    with transaction.atomic():
        if wave.sample == SampleKind.RANDOM:
            token = normalise_token(answer.token)
            if not token:
                raise DomainError(_("Skriv in koden från brevet du fått."), field="token")
            found = (
                Token.objects.select_for_update()
                .filter(digest=token_digest(wave, token), wave=wave)
                .first()
            )
            if found is None:
                raise DomainError(_("Koden finns inte för den här enkäten."), field="token")
            if found.used:
                raise DomainError(_("Koden har redan använts."), field="token")
            Token.objects.filter(digest=found.digest).update(used=True)
        Response.objects.create(
            wave=wave,
            area=area,
            answers=answers,
            gender=gender,
            age_band=age,
            comment=comment,
            channel=Channel.WEB,
        )
        audit.record(
            None,
            AuditAction.UPDATE,
            wave,
            partnership=wave.partnership,
            before={},
            after={"webbsvar": "+1"},
        )


# --- Published figures --------------------------------------------------------------------


def import_figures(actor: Actor, data: bytes, filename: str = "") -> int:
    """Published figures (the police's index 0–6 per area, NTU shares) as published, all or
    nothing. Header ``source,measure,region,area,year,value`` and optionally ``publisher``; a
    figure of the same source, measure, region and year is replaced by the file's."""
    _require(actor, DATA_ROLES)
    rows = _rows(data, filename)
    with_publisher = _header(rows, FIGURE_HEADER, "publisher")
    areas = _areas_by_name(actor)
    figures: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for number, raw in rows:
        cells = [_cell_text(cell) for cell in raw] + [""] * 7
        record = dict(zip([*FIGURE_HEADER, "publisher"], cells, strict=False))
        source = record["source"].lower()
        if source not in FigureSource.values:
            raise DomainError(
                _where(number, "source")
                + _("källan ska vara en av %(s)s.") % {"s": ", ".join(FigureSource.values)}
            )
        for column, limit in (("measure", 200), ("region", 120)):
            if not record[column]:
                raise DomainError(_where(number, column) + _("värdet saknas."))
            if len(record[column]) > limit:
                raise DomainError(_where(number, column) + _("högst %(n)d tecken.") % {"n": limit})
        area = _row_area(number, record["area"], areas, _("%(a)s är inget delområde i samverkan."))
        try:
            year = _year(record["year"])
        except DomainError as exc:
            raise DomainError(_where(number, "year") + exc.message) from exc
        try:
            value = float(record["value"].replace(",", "."))
        except ValueError as exc:
            raise DomainError(
                _where(number, "value")
                + _("%(v)s är inget tal.") % {"v": record["value"] or _("tomt")}
            ) from exc
        low, high = (0.0, 6.0) if source == FigureSource.POLICE_INDEX else (0.0, 1.0)
        if source != FigureSource.OTHER and not low <= value <= high:
            raise DomainError(
                _where(number, "value")
                + _("värdet ska ligga mellan %(lo)s och %(hi)s (som källan publicerar det).")
                % {"lo": f"{low:g}", "hi": f"{high:g}"}
            )
        if not math.isfinite(value):
            raise DomainError(
                _where(number, "value") + _("%(v)s är inget tal.") % {"v": record["value"]}
            )
        publisher = record["publisher"] if with_publisher else ""
        figures[(source, record["measure"], record["region"], year)] = {
            "area": area,
            "value": value,
            "publisher": publisher[:200],
        }
    if not figures:
        raise DomainError(_("Filen har inga siffror under rubrikraden."))
    with transaction.atomic():
        for (source, measure, region, year), values in figures.items():
            found = PublishedFigure.objects.filter(
                partnership=actor.partnership,
                source=source,
                measure=measure,
                region=region,
                year=year,
            ).first()
            if found is None:
                audit.create(
                    actor,
                    PublishedFigure,
                    source=source,
                    measure=measure,
                    region=region,
                    year=year,
                    **values,
                )
            elif any(getattr(found, k) != v for k, v in values.items()):
                audit.update(actor, found, **values)
    return len(figures)


def delete_figure(actor: Actor, figure: PublishedFigure) -> None:
    _require(actor, DATA_ROLES)
    audit.delete(actor, figure)


# --- Dialogues ----------------------------------------------------------------------------


@dataclass
class DialogueSpec:
    title: str
    held_on: Any
    format: str
    organisers: str
    participants: Any
    area: Any = None
    summary: str = ""
    by_gender: Mapping[str, Any] = field(default_factory=dict)
    by_age: Mapping[str, Any] = field(default_factory=dict)
    # category id -> mentions
    themes: Mapping[Any, Any] = field(default_factory=dict)


def _count(value: Any, field: str, label: str) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError as exc:
        raise DomainError(_("%(l)s ska vara ett heltal.") % {"l": label}, field=field) from exc
    if not 0 <= number <= 100_000:
        raise DomainError(_("%(l)s ska vara mellan 0 och 100 000.") % {"l": label}, field=field)
    return number


def _breakdown(
    values: Mapping[str, Any], keys: Sequence[tuple[str, Any]], prefix: str, total: int
) -> dict[str, int]:
    result: dict[str, int] = {}
    for key, label in keys:
        number = _count(values.get(key), f"{prefix}{key}", str(label))
        if number is not None:
            result[key] = number
    if sum(result.values()) > total:
        first = f"{prefix}{keys[0][0]}"
        raise DomainError(
            _("Fördelningen är fler än de %(n)d deltagarna.") % {"n": total}, field=first
        )
    return result


def _dialogue_values(actor: Actor, spec: DialogueSpec) -> tuple[dict[str, Any], dict[int, int]]:
    title = clean_text(spec.title, field="title", label=_("Rubriken"), required=True, limit=200)
    if isinstance(spec.held_on, dt.date):
        held_on = spec.held_on
    else:
        try:
            held_on = dt.date.fromisoformat(str(spec.held_on or "").strip())
        except ValueError as exc:
            raise DomainError(_("Datumet ska skrivas ÅÅÅÅ-MM-DD."), field="held_on") from exc
    if not 2000 <= held_on.year <= 2100:
        raise DomainError(_("Datumet ska ligga mellan år 2000 och 2100."), field="held_on")
    if spec.format not in DialogueFormat.values:
        raise DomainError(_("Välj en av formerna i listan."), field="format")
    organisers = clean_text(
        spec.organisers, field="organisers", label=_("Arrangörer"), required=True, limit=300
    )
    participants = _count(spec.participants, "participants", _("Antalet deltagare"))
    if participants is None:
        raise DomainError(_("Ange hur många som deltog."), field="participants")
    area = None
    if spec.area not in (None, ""):
        message = _("Delområdet finns inte i den här samverkan.")
        area = own_record(actor, Area, spec.area, message, "area")
    summary = clean_text(
        spec.summary, field="summary", label=_("Sammanfattningen"), limit=MAX_SUMMARY
    )
    by_gender = _breakdown(spec.by_gender, DIALOGUE_GENDERS, "gender_", participants)
    by_age = _breakdown(spec.by_age, DIALOGUE_AGES, "age_", participants)
    themes: dict[int, int] = {}
    categories = set(
        Category.objects.filter(partnership=actor.partnership).values_list("pk", flat=True)
    )
    for raw_id, raw_count in spec.themes.items():
        try:
            category_id = int(raw_id)
        except (TypeError, ValueError):
            category_id = -1
        if category_id not in categories:
            raise DomainError(_("Kategorin finns inte i den här samverkan."), field="themes")
        mentions = _count(raw_count, f"theme_{category_id}", _("Antalet omnämnanden"))
        if mentions:
            themes[category_id] = mentions
    values = {
        "title": title,
        "held_on": held_on,
        "format": spec.format,
        "organisers": organisers,
        "participants": participants,
        "area": area,
        "summary": summary,
        "participants_by_gender": by_gender,
        "participants_by_age": by_age,
    }
    return values, themes


def _set_themes(dialogue: Dialogue, themes: dict[int, int]) -> None:
    dialogue.themes.exclude(category_id__in=themes).delete()
    for category_id, mentions in themes.items():
        DialogueTheme.objects.update_or_create(
            dialogue=dialogue, category_id=category_id, defaults={"mentions": mentions}
        )


def create_dialogue(actor: Actor, spec: DialogueSpec) -> Dialogue:
    _require(actor, MANAGE_ROLES)
    values, themes = _dialogue_values(actor, spec)
    with transaction.atomic():
        dialogue = audit.create(actor, Dialogue, created_by=actor.user, **values)
        _set_themes(dialogue, themes)
    return dialogue


def update_dialogue(actor: Actor, dialogue: Dialogue, spec: DialogueSpec) -> Dialogue:
    _require(actor, MANAGE_ROLES)
    values, themes = _dialogue_values(actor, spec)
    with audit.change(actor, dialogue):
        for name, value in values.items():
            setattr(dialogue, name, value)
        _set_themes(dialogue, themes)
    return dialogue


def delete_dialogue(actor: Actor, dialogue: Dialogue) -> None:
    _require(actor, MANAGE_ROLES)
    audit.delete(actor, dialogue)

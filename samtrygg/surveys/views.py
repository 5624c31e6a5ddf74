"""Pages for safety surveys, published figures and dialogues, and the public web survey.
Thin: parse, call a service or a query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from samtrygg.core.errors import DomainError
from samtrygg.core.forms import MAX_ID, typed
from samtrygg.core.pagekit import XLSX_TYPE, download, refusal
from samtrygg.core.permissions import Actor
from samtrygg.core.public import public_partnership
from samtrygg.core.views_helpers import paginate, render_page, success, with_actor
from samtrygg.surveys import charts, exports, forms, items, queries, services
from samtrygg.surveys.models import (
    DIALOGUE_AGES,
    DIALOGUE_GENDERS,
    DialogueFormat,
    SampleKind,
    Wave,
)
from samtrygg.surveys.permissions import DATA_ROLES, MANAGE_ROLES, READ_ROLES

MAX_UPLOAD = 20 * 1024 * 1024


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number <= MAX_ID else None


def _upload(request: HttpRequest, name: str = "file") -> tuple[bytes, str]:
    upload = request.FILES.get(name)
    if upload is None:
        raise DomainError(_("Välj en fil."), field=name)
    if upload.size and upload.size > MAX_UPLOAD:
        raise DomainError(_("Filen är större än 20 MB."), field=name)
    return upload.read(), upload.name or ""


# --- Surveys -----------------------------------------------------------------------------


@with_actor(READ_ROLES)
def survey_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"sample": SampleKind.RANDOM}
    form = ""
    if request.method == "POST":
        posted = forms.WaveForm(request.POST)
        sent = posted.cleaned_data if posted.is_valid() else {}
        form = sent.get("form", "")
        values = {k: sent.get(k, "") for k in ("name", "year", "sample")}
        try:
            if form == "import":
                actor.require(DATA_ROLES)
                data, filename = _upload(request)
                result = services.import_responses(
                    actor,
                    data,
                    filename,
                    survey=values["name"],
                    year=values["year"],
                    sample=values["sample"],
                )
                success(
                    request,
                    _("%(n)d svar inlästa i %(w)s.") % {"n": result.responses, "w": result.wave},
                )
                return redirect("survey-wave", pk=result.wave.pk)
            actor.require(DATA_ROLES)
            wave = services.create_wave(actor, values["name"], values["year"], values["sample"])
            success(request, _("Omgången %(w)s är skapad.") % {"w": wave})
            return redirect("survey-wave", pk=wave.pk)
        except DomainError as exc:
            errors = refusal(request, exc, ("name", "year", "sample", "file"), default="file")
    context = {
        "page": paginate(request, queries.waves(actor)),
        "survey_names": [s.name for s in queries.surveys(actor)],
        "samples": SampleKind.choices,
        "values": values,
        "errors": errors,
        "form": form,
        "can_manage": queries.can_manage(actor),
        "can_data": queries.can_handle_data(actor),
        "header": ",".join(items.CSV_HEADER),
        "county_template": queries.county_template(actor),
    }
    return render_page(request, "surveys/survey_list.html", context, refused=bool(errors))


def _results_context(request: HttpRequest, actor: Actor, wave: Wave) -> dict[str, Any]:
    area_list = list(queries.areas(actor))
    rows = queries.indicator_table(wave, area_list)
    codes = list(dict.fromkeys(row.code for row in rows))
    filters = forms.ResultsFilterForm(request.GET)
    picked = filters.cleaned_data if filters.is_valid() else {}
    code = picked.get("fraga") or "T1"
    if code not in codes:
        code = "T1"
    area = next((a for a in area_list if a.pk == _int(picked.get("omrade"))), None)
    area_name = area.name if area else queries.WHOLE_KOMMUN
    previous = queries.previous_wave(wave)
    recorded = queries.recorded_beside(actor, wave)
    by_area = [row for row in rows if row.code == code]
    for_area = [row for row in rows if row.area == area_name]
    distribution = queries.distributions(wave, area)
    chosen = next((d for d in distribution if d["code"] == code), distribution[0])
    selected = wave.self_selected
    meaning = str(items.INDICATOR_MEANING.get(code, code))
    own = {q.code: q.text for q in wave.own_questions.all()}
    text = own.get(code) or items.item_text(code)
    previous_label = _("Omgång %(y)d") % {"y": previous.year} if previous else ""
    indicator_chart = charts.indicator_by_area(
        by_area, f"{code}: {meaning}", selected, previous_label
    )
    distribution_chart = charts.distribution_chart(chosen, selected)
    return {
        "wave": wave,
        "previous": previous,
        "self_selected": selected,
        "code": code,
        "code_text": text,
        "meaning": meaning,
        "codes": [(c, own.get(c) or items.short_text(c)) for c in codes],
        "areas": area_list,
        "area": area,
        "area_name": area_name,
        "by_area": [(row, (recorded.reports or {}).get(row.area)) for row in by_area],
        "for_area": [
            (row, own.get(row.code) or str(items.INDICATOR_MEANING.get(row.code, "")))
            for row in for_area
        ],
        "whole_kommun_rows": [row for row in rows if row.area == queries.WHOLE_KOMMUN],
        "recorded": recorded,
        "distribution": chosen,
        "charts": {
            "indicator": indicator_chart,
            "distribution": distribution_chart,
        },
        "figures": list(queries.figures(actor, wave.year)),
        "whole_kommun": queries.WHOLE_KOMMUN,
        "answers": wave.responses.count(),
        "weighted": wave.responses.filter(weight__isnull=False).exists(),
    }


@with_actor()
def survey_wave(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    wave = queries.wave(actor, pk)
    context = _results_context(request, actor, wave)
    context.update(
        {
            "can_manage": queries.can_manage(actor),
            "can_data": queries.can_handle_data(actor),
            "own_questions": list(queries.own_questions(actor)),
            "wave_questions": {q.pk for q in wave.own_questions.all()},
            "public_url": request.build_absolute_uri(
                f"/p/{actor.partnership.municipality.code}/enkat/{wave.slug}/"
            ),
        }
    )
    if context["can_manage"]:
        issued, used = queries.token_counts(wave)
        context.update({"tokens_issued": issued, "tokens_used": used})
    return render(request, "surveys/wave.html", context)


@with_actor()
def survey_wave_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    from samtrygg.documents.pdf import render_pdf

    wave = queries.wave(actor, pk)
    actor.require(DATA_ROLES)
    context = _results_context(request, actor, wave)
    context["svgs"] = {key: charts.svg(spec) for key, spec in context["charts"].items()}
    pdf = render_pdf("surveys/wave_pdf.html", context, request)
    return download(pdf, "application/pdf", f"{wave.slug}.pdf", inline=True)


@with_actor()
def survey_wave_xlsx(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    wave = queries.wave(actor, pk)
    actor.require(DATA_ROLES)
    rows = queries.indicator_table(wave, list(queries.areas(actor)))
    data = exports.indicators_xlsx(
        wave, rows, queries.recorded_beside(actor, wave), list(queries.figures(actor, wave.year))
    )
    return download(data, XLSX_TYPE, f"{wave.slug}.xlsx")


@with_actor()
def survey_wave_csv(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    wave = queries.wave(actor, pk)
    actor.require(DATA_ROLES)
    text = exports.indicators_csv(queries.indicator_table(wave, list(queries.areas(actor))))
    return download(text, "text/csv; charset=utf-8", f"{wave.slug}.csv")


@with_actor()
def survey_web(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Open or close the web survey, choose its own questions, or remove the wave."""
    wave = queries.wave(actor, pk)
    if request.method != "POST":
        return redirect("survey-wave", pk=wave.pk)
    actor.require(MANAGE_ROLES)
    posted = forms.WebForm(request.POST)
    action = posted.pressed()
    try:
        if action == "open":
            services.set_web_open(actor, wave, True)
            success(request, _("Webbenkäten är öppen."))
        elif action == "close":
            services.set_web_open(actor, wave, False)
            success(request, _("Webbenkäten är stängd."))
        elif action == "questions":
            services.set_wave_questions(actor, wave, posted.cleaned_data.get("questions") or [])
            success(request, _("Frågorna är sparade."))
        elif action == "delete":
            services.delete_wave(actor, wave)
            success(request, _("Omgången är borttagen med sina svar."))
            return redirect("survey-list")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("survey-wave", pk=wave.pk)


@with_actor()
def survey_tokens(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Create single-use codes: shown once, as codes and links to print and send."""
    wave = queries.wave(actor, pk)
    if request.method != "POST":
        return redirect("survey-wave", pk=wave.pk)
    actor.require(MANAGE_ROLES)
    try:
        posted = forms.TokenForm(request.POST)
        count = posted.cleaned_data["count"] if posted.is_valid() else ""
        codes = services.issue_tokens(actor, wave, count)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("survey-wave", pk=wave.pk)
    base = request.build_absolute_uri(
        f"/p/{actor.partnership.municipality.code}/enkat/{wave.slug}/"
    )
    response = render(
        request,
        "surveys/tokens.html",
        {"wave": wave, "codes": [(c, f"{base}?kod={c}") for c in codes], "base": base},
    )
    add_never_cache_headers(response)
    return response


@with_actor(READ_ROLES)
def question_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        actor.require(MANAGE_ROLES)
        posted = forms.QuestionForm(request.POST)
        values = typed(posted)
        values["positive"] = [str(v) for v in values.get("positive") or []]
        try:
            data = posted.parsed()
            services.add_own_question(
                actor, data["code"], data["text"], data["answers"], data["positive"]
            )
            success(request, _("Frågan är sparad."))
            return redirect("survey-questions")
        except DomainError as exc:
            errors = refusal(request, exc, ("code", "text", "answers", "positive"), default="text")
    context = {
        "questions": queries.own_questions(actor),
        "items": [(item, items.item_text(item.code)) for item in items.ITEMS],
        "county_template": queries.county_template(actor),
        "groups": items.GROUPS,
        "values": values,
        "errors": errors,
        "can_manage": queries.can_manage(actor),
        "positions": range(1, 10),
    }
    return render_page(request, "surveys/questions.html", context, refused=bool(errors))


# --- Published figures -------------------------------------------------------------------


@with_actor(READ_ROLES)
def figure_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        actor.require(DATA_ROLES)
        try:
            data, filename = _upload(request)
            count = services.import_figures(actor, data, filename)
            success(request, _("%(n)d publicerade siffror inlästa.") % {"n": count})
            return redirect("survey-figures")
        except DomainError as exc:
            errors = refusal(request, exc, ("file",), default="file")
    context = {
        "page": paginate(request, queries.figures(actor), per_page=50),
        "errors": errors,
        "can_data": queries.can_handle_data(actor),
        "header": ",".join(services.FIGURE_HEADER),
    }
    return render_page(request, "surveys/figures.html", context, refused=bool(errors))


@with_actor()
def figure_delete(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = queries.figure(actor, pk)
    if request.method == "POST":
        actor.require(DATA_ROLES)
        services.delete_figure(actor, found)
        success(request, _("Siffran är borttagen."))
    return redirect("survey-figures")


# --- Dialogues ---------------------------------------------------------------------------


def _dialogue_spec(form: forms.DialogueForm) -> services.DialogueSpec:
    data = form.parsed()
    return services.DialogueSpec(
        **{name: data.get(name, "") for name in forms.DIALOGUE_FIELDS},
        by_gender={key: data.get(f"gender_{key}", "") for key, _l in DIALOGUE_GENDERS},
        by_age={key: data.get(f"age_{key}", "") for key, _l in DIALOGUE_AGES},
        themes={c.pk: data.get(f"theme_{c.pk}", "") for c in form.categories},
    )


def _dialogue_values(form: forms.DialogueForm) -> dict[str, Any]:
    values = typed(form)
    values["themes"] = {str(c.pk): values.get(f"theme_{c.pk}", "") for c in form.categories}
    return values


def _values_of(dialogue: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": dialogue.title,
        "held_on": dialogue.held_on.isoformat(),
        "format": dialogue.format,
        "area": str(dialogue.area_id or ""),
        "organisers": dialogue.organisers,
        "participants": str(dialogue.participants),
        "summary": dialogue.summary,
        "themes": {str(t.category_id): str(t.mentions) for t in dialogue.themes.all()},
    }
    values.update({f"gender_{k}": str(v) for k, v in dialogue.participants_by_gender.items()})
    values.update({f"age_{k}": str(v) for k, v in dialogue.participants_by_age.items()})
    return values


def _dialogue_form_context(
    actor: Actor, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    categories = list(queries.categories(actor))
    themes = values.get("themes", {})
    return {
        "values": values,
        "errors": errors,
        "formats": DialogueFormat.choices,
        "areas": queries.areas(actor),
        "theme_fields": [(c, themes.get(str(c.pk), "")) for c in categories],
        "genders": [(k, label, values.get(f"gender_{k}", "")) for k, label in DIALOGUE_GENDERS],
        "ages": [(k, label, values.get(f"age_{k}", "")) for k, label in DIALOGUE_AGES],
    }


def _dialogue_refusal(request: HttpRequest, exc: DomainError) -> dict[str, str]:
    """Beside the dialogue form's field the refusal names (a count by gender, age or theme
    has a field of its own), else beside the title."""
    field = exc.field or ""
    shown = field in (*forms.DIALOGUE_FIELDS, "themes")
    shown = shown or field.startswith(("gender_", "age_", "theme_"))
    return refusal(request, exc, (field,) if shown else (), default="title")


@with_actor(READ_ROLES)
def dialogue_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"format": DialogueFormat.MEDBORGARDIALOG}
    if request.method == "POST":
        actor.require(MANAGE_ROLES)
        posted = forms.DialogueForm(request.POST, categories=list(queries.categories(actor)))
        try:
            dialogue = services.create_dialogue(actor, _dialogue_spec(posted))
            success(request, _("Dialogen är sparad."))
            return redirect("dialogue-detail", pk=dialogue.pk)
        except DomainError as exc:
            values = _dialogue_values(posted)
            errors = _dialogue_refusal(request, exc)
    filters = forms.DialogueFilterForm(request.GET)
    picked = filters.cleaned_data if filters.is_valid() else {}
    chosen_format = picked.get("form") or ""
    if chosen_format not in DialogueFormat.values:
        chosen_format = ""
    area_filter = _int(picked.get("omrade"))
    context = {
        "page": paginate(request, queries.dialogues(actor, format=chosen_format, area=area_filter)),
        "chosen_format": chosen_format,
        "area_filter": area_filter,
        "themes": queries.theme_totals(actor),
        "can_manage": queries.can_manage(actor),
        **_dialogue_form_context(actor, values, errors),
    }
    return render_page(request, "surveys/dialogue_list.html", context, refused=bool(errors))


@with_actor()
def dialogue_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    dialogue = queries.dialogue(actor, pk)
    errors: dict[str, str] = {}
    values = _values_of(dialogue)
    if request.method == "POST":
        actor.require(MANAGE_ROLES)
        posted = forms.DialogueForm(request.POST, categories=list(queries.categories(actor)))
        if posted.pressed() == "delete":
            services.delete_dialogue(actor, dialogue)
            success(request, _("Dialogen är borttagen."))
            return redirect("dialogue-list")
        try:
            services.update_dialogue(actor, dialogue, _dialogue_spec(posted))
            success(request, _("Dialogen är sparad."))
            return redirect("dialogue-detail", pk=dialogue.pk)
        except DomainError as exc:
            values = _dialogue_values(posted)
            errors = _dialogue_refusal(request, exc)
            dialogue = queries.dialogue(actor, pk)
    context = {
        "dialogue": dialogue,
        "can_manage": queries.can_manage(actor),
        **_dialogue_form_context(actor, values, errors),
    }
    return render_page(request, "surveys/dialogue_detail.html", context, refused=bool(errors))


# --- The public web survey ----------------------------------------------------------------


@never_cache
def public_survey(request: HttpRequest, kommunkod: str, slug: str) -> HttpResponse:
    """The web survey on the partnership's public site: no login, no script needed. A random
    sample answers with a single-use code; an open link is a self-selected sample."""
    partnership = public_partnership(kommunkod)
    wave = queries.public_wave(partnership, slug)
    context: dict[str, Any] = {"partnership": partnership, "wave": wave}
    if wave is None:
        return render(request, "surveys/public_closed.html", context, status=404)
    errors: dict[str, str] = {}
    link = forms.TokenQueryForm(request.GET)
    code = link.cleaned_data.get("kod") or "" if link.is_valid() else ""
    values: dict[str, Any] = {"token": code[:20]}
    if request.method == "POST":
        posted = forms.AnswerForm(
            request.POST, own_codes=[q.code for q in wave.own_questions.all()]
        )
        values = typed(posted)
        try:
            data = posted.parsed()
            answer = services.WebAnswer(
                answers={code: data.get(code, "") for code in posted.answer_codes},
                area=data.get("area", ""),
                gender=data.get("gender", ""),
                age_band=data.get("age_band", ""),
                comment=data.get("comment", ""),
                token=data.get("token", ""),
            )
            services.submit_web_answer(wave, answer)
            return render(request, "surveys/public_thanks.html", context)
        except DomainError as exc:
            errors = {exc.field or "form": exc.message}
    questions: list[dict[str, Any]] = [
        {
            "item": item,
            "text": items.item_text(item.code) if item.group != "P" else str(item.text),
            "value": str(values.get(item.code, "")),
        }
        for item in items.ITEMS
    ]
    context.update(
        {
            "groups": [
                (key, label, [q for q in questions if q["item"].group == key])
                for key, label in items.GROUPS.items()
            ],
            "problem_question": items.PROBLEM_QUESTION,
            "problem_answers": items.PROBLEM,
            "own": [
                {"q": q, "value": str(values.get(q.code, ""))} for q in wave.own_questions.all()
            ],
            "areas": queries.public_areas(partnership),
            "genders": items.GENDERS,
            "ages": items.AGE_BANDS,
            "values": values,
            "errors": errors,
            "needs_token": wave.sample == SampleKind.RANDOM,
        }
    )
    return render_page(request, "surveys/public_survey.html", context, refused=bool(errors))

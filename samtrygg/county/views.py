"""Pages above the partnership: a län for its länssamordnare, a lokalpolisområde for the
members of its partnerships. They show aggregates, metadata and adopted documents only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.forms import SubmitForm, typed
from samtrygg.core.pagekit import XLSX_TYPE, download
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import render_page, success, with_actor
from samtrygg.county import exports, forms, maps, queries, services
from samtrygg.county.forms import MapForm, SortForm
from samtrygg.county.permissions import ADOPT_ROLES
from samtrygg.county.permissions import READ_ROLES as TEMPLATE_READ_ROLES
from samtrygg.county.scope import Scope, county_scope, lpo_scope, scopes_of
from samtrygg.statutory.extensions import SECTIONS, required_meaning
from samtrygg.surveys import items as survey_items

# The matrix's sortable columns: the query-string key and how a row sorts under it.
SORT_KEYS: dict[str, Callable[[queries.ComplianceRow], Any]] = {
    "kommun": lambda r: r.kommun,
    "lagesbild": lambda r: r.statutory_lagesbild_adopted or dt.date.min,
    "atgardsplan": lambda r: r.action_plan_decided or dt.date.min,
    "samordning": lambda r: -1 if r.coordination_function is None else int(r.coordination_function),
    "overenskommelse": lambda r: r.agreement_valid_to or dt.date.min,
    "lofte": lambda r: r.promise_valid_to or dt.date.min,
    "uppfoljning": lambda r: r.last_follow_up_published or dt.date.min,
    "est": lambda r: -1 if r.est_reports_last_4_weeks is None else int(r.est_reports_last_4_weeks),
    "mall": lambda r: r.template_version or 0,
    "forsenat": lambda r: len(r.overdue),
}


def _scoped(
    find: Callable[[Any, Any], Scope], *, writes: bool = False
) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Resolve the scope first (404 when the user does not read it, whatever the method),
    then accept only GET: these pages read. With ``writes`` (the county template's pages)
    the scope must be a län, a POST is taken too, and a refusal of the service (not the
    länssamordnare) is 403 with the reason."""
    methods = ["GET", "HEAD", "POST"] if writes else ["GET", "HEAD"]
    refusals: tuple[type[DomainError], ...] = (PermissionDenied,) if writes else ()

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, key: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                scope = find(request.user, key)
                if writes and not scope.is_lan:
                    raise NotFound(_("Länet finns inte."))
            except NotFound as exc:
                raise Http404(exc.message) from exc
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            try:
                return view(request, scope, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except refusals as exc:
                return render(request, "core/forbidden.html", {"reason": exc.message}, status=403)

        return wrapper

    return decorate


def home(request: HttpRequest) -> HttpResponse:
    """The län and lokalpolisområden the user reads."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scopes = scopes_of(request.user)
    return render(request, "county/home.html", {"scopes": scopes}, status=200 if scopes else 403)


def _sorted(request: HttpRequest, rows: list[queries.ComplianceRow]) -> tuple[list[Any], str, bool]:
    key, descending = SortForm(request.GET).order()
    by_name = sorted(rows, key=lambda r: r.kommun)
    # Kommuner outside Samtrygg ("ingen uppgift") stay last whichever way a column sorts.
    known = [r for r in by_name if r.in_samtrygg]
    unknown = [r for r in by_name if not r.in_samtrygg]
    if key == "kommun":
        return sorted(rows, key=SORT_KEYS[key], reverse=descending), key, descending
    known.sort(key=SORT_KEYS[key], reverse=descending)
    return known + unknown, key, descending


@_scoped(county_scope)
def county_compliance(request: HttpRequest, scope: Scope) -> HttpResponse:
    rows, key, descending = _sorted(request, queries.compliance(scope))
    return render(
        request,
        "county/compliance.html",
        {
            "scope": scope,
            "rows": rows,
            "sort": key,
            "descending": descending,
            "columns": _columns(),
            "summary": _summary(rows),
            "today": timezone.localdate(),
        },
    )


@_scoped(county_scope)
def county_compliance_xlsx(request: HttpRequest, scope: Scope) -> HttpResponse:
    today = timezone.localdate()
    content = exports.compliance_xlsx(scope, queries.compliance(scope, today=today), today)
    return download(content, XLSX_TYPE, f"efterlevnad-lan-{scope.key}-{today.isoformat()}.xlsx")


def _comparisons(request: HttpRequest, scope: Scope) -> dict[str, Any]:
    places = queries.kommuner(scope)
    crime = queries.crime_rates(scope)
    police = queries.police_rates(scope, places=places)
    choices = maps.measures(crime, police)
    wanted = MapForm(request.GET).key()
    chosen = next((c for c in choices if c.key == wanted), choices[0] if choices else None)
    crime_rows = [(place, [block.kommuner.get(place.code) for block in crime]) for place in places]
    return {
        "scope": scope,
        "kommuner": places,
        "crime": crime,
        "crime_rows": crime_rows,
        "police": police,
        "themes": queries.themes(scope, places=places),
        "measures": choices,
        "measure": chosen,
        "map_svg": maps.choropleth(scope, places, chosen) if chosen else "",
        "caveats": [k for k in places if k.small or k.tourist],
    }


@_scoped(county_scope)
def county_comparisons(request: HttpRequest, scope: Scope) -> HttpResponse:
    return render(request, "county/comparisons.html", _comparisons(request, scope))


@_scoped(lpo_scope)
def lpo_overview(request: HttpRequest, scope: Scope) -> HttpResponse:
    context = _comparisons(request, scope)
    rows = queries.compliance(scope)
    context |= {
        "levels": queries.adopted_levels(scope),
        "rows": rows,
        "columns": _columns(),
        "summary": _summary(rows),
    }
    return render(request, "county/lpo.html", context)


def _columns() -> list[tuple[str, str]]:
    return [
        ("kommun", _("Kommun")),
        ("lagesbild", _("Lägesbild antagen")),
        ("atgardsplan", _("Åtgärdsplan beslutad")),
        ("samordning", _("Samordnings­funktion")),
        ("overenskommelse", _("Överens­kommelse giltig till")),
        ("lofte", _("Medborgarlöfte giltigt till")),
        ("uppfoljning", _("Senaste uppföljning publicerad")),
        ("est", _("EST-rapporter senaste 4 veckorna")),
        ("mall", _("Länets mall")),
        ("forsenat", _("Försenat")),
    ]


def _summary(rows: list[queries.ComplianceRow]) -> dict[str, int]:
    return {
        "kommuner": len(rows),
        "in_samtrygg": sum(1 for r in rows if r.in_samtrygg),
        "lagesbild": sum(1 for r in rows if r.statutory_lagesbild_adopted),
        "action_plan": sum(1 for r in rows if r.action_plan_decided),
        "coordination": sum(1 for r in rows if r.coordination_function),
        "est": sum(1 for r in rows if r.est_reports_last_4_weeks),
        "overdue": sum(1 for r in rows if r.overdue),
        "template": sum(1 for r in rows if r.template_version),
    }


# --- The county template: the länssamordnare's pages ------------------------------------------


def _county(scope: Scope) -> Any:
    return queries.county_of(scope)


@_scoped(county_scope, writes=True)
def county_template(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The län's template: its versions, which kommun uses which, a new draft."""
    if request.method == "POST":
        if SubmitForm(request.POST).pressed() != "start":
            raise Http404
        try:
            version = services.start_version(request.user, _county(scope))
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("county-template", key=scope.key)
        success(request, _("Version %(n)d är ett nytt utkast.") % {"n": version.number})
        return redirect("county-template-version", key=scope.key, number=version.number)
    rows = queries.template_versions(scope)
    current = queries.current_versions(scope)
    usage = [(k, current.get(k.code)) for k in queries.kommuner(scope)]
    return render(
        request,
        "county/template.html",
        {
            "scope": scope,
            "template": queries.template(scope),
            "versions": rows,
            "draft": next((r.version for r in rows if r.version.is_draft), None),
            "usage": usage,
            "adopted_count": sum(1 for _k, c in usage if c is not None),
        },
    )


CATEGORY_FIELDS = ("code", "name", "group", "description")
QUESTION_FIELDS = ("code", "text", "answers", "positive")


def _template_context(version: Any) -> dict[str, Any]:
    """What the template's content partial shows: the parts of the documentation in order,
    the fixed items with their words and the län's own questions."""
    fields = version.problem_fields or {}
    meaning = required_meaning()
    return {
        "version": version,
        "sections": [
            {
                "key": key,
                "label": label,
                "required": bool((fields.get(key) or {}).get("required")),
                "guidance": str((fields.get(key) or {}).get("guidance") or ""),
                "meaning": meaning[key],
            }
            for key, label in SECTIONS
        ],
        "item_groups": _item_groups(version.survey_items or []),
        "chosen_items": [
            (code, survey_items.item_text(code))
            for code in version.survey_items or []
            if code in survey_items.ITEM_BY_CODE
        ],
        "categories": list(version.categories.all()),
        "questions": list(version.questions.all()),
    }


@_scoped(county_scope, writes=True)
def county_template_version(request: HttpRequest, scope: Scope, number: Any) -> HttpResponse:
    """A version: a draft is edited here part by part; a published one is shown as it is."""
    version = queries.template_version(scope, number)
    errors: dict[str, str] = {}
    values: dict[str, dict[str, Any]] = {}
    refused = ""
    if request.method == "POST":
        what = SubmitForm(request.POST).pressed()
        form: Any = None
        try:
            if what == "version":
                form = forms.VersionForm(request.POST)
                data = form.parsed()
                services.update_version(request.user, version, name=data["name"], note=data["note"])
                success(request, _("Namnet och beskrivningen är sparade."))
            elif what == "category-add":
                form = forms.TemplateCategoryForm(request.POST)
                data = form.parsed()
                services.add_category(
                    request.user, version, **{k: data[k] for k in CATEGORY_FIELDS}
                )
                success(request, _("Kategorin %(n)s lades till.") % {"n": data["name"].strip()})
            elif what == "category-update":
                form = forms.TemplateCategoryForm(request.POST)
                data = form.parsed()
                category = queries.template_category(version, data["category"])
                services.update_category(
                    request.user, category, **{k: data[k] for k in CATEGORY_FIELDS}
                )
                success(request, _("Kategorin %(n)s är sparad.") % {"n": category.name})
            elif what == "category-remove":
                ref = forms.CategoryRefForm(request.POST).parsed()
                category = queries.template_category(version, ref["category"])
                services.remove_category(request.user, category)
                success(request, _("Kategorin %(n)s togs bort.") % {"n": category.name})
            elif what == "fields":
                form = forms.ProblemFieldsForm(request.POST)
                services.set_problem_fields(request.user, version, form.sections())
                success(request, _("Problemets dokumentation är sparad."))
            elif what == "items":
                form = forms.SurveyItemsForm(request.POST)
                services.set_survey_items(request.user, version, form.parsed()["items"])
                success(request, _("Enkätfrågorna är sparade."))
            elif what == "question-add":
                form = forms.TemplateQuestionForm(request.POST)
                data = form.parsed()
                services.add_question(
                    request.user, version, **{k: data[k] for k in QUESTION_FIELDS}
                )
                success(request, _("Frågan är sparad."))
            elif what == "question-remove":
                ref = forms.QuestionRefForm(request.POST).parsed()
                question = queries.template_question(version, ref["question"])
                services.remove_question(request.user, question)
                success(request, _("Frågan %(c)s togs bort.") % {"c": question.code})
            elif what == "discard":
                services.discard_draft(request.user, version)
                success(request, _("Utkastet är borttaget."))
                return redirect("county-template", key=scope.key)
            else:
                raise Http404
            return redirect("county-template-version", key=scope.key, number=version.number)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            refused = what or "post"
            if form is not None:
                values[refused] = typed(form)
            if exc.field:
                messages.error(request, _("Ingenting är sparat. Rätta det som är markerat."))
                errors[exc.field] = exc.message
            else:
                messages.error(request, exc.message)
            version = queries.template_version(scope, version.number)
    return render_page(
        request,
        "county/template_version.html",
        {
            "scope": scope,
            "template": version.template,
            "errors": errors,
            "error_list": list(errors.values()),
            "values": values,
            "refused": refused,
            "positions": range(1, 10),
            "add_category": values.get("category-add", {}),
            "add_question": values.get("question-add", {}),
            "add_question_positive": [
                str(v) for v in values.get("question-add", {}).get("positive") or []
            ],
            "category_rows": _category_rows(version, values.get("category-update")),
            "version": version,
            "content": _template_context(version),
        },
        refused=bool(refused),
    )


def _item_groups(chosen: list[str]) -> list[dict[str, Any]]:
    """The fixed survey items by group, short (the problem items by their topic, with the
    question once), each with whether the version asks for it."""
    groups = []
    for key, label in survey_items.GROUPS.items():
        groups.append(
            {
                "key": key,
                "label": label,
                "question": survey_items.PROBLEM_QUESTION if key == "P" else "",
                "items": [
                    (item.code, survey_items.short_text(item.code), item.code in chosen)
                    for item in survey_items.ITEMS
                    if item.group == key
                ],
            }
        )
    return groups


def _category_rows(version: Any, refused: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each category of the draft with the values its form shows: as saved, or as typed when
    its change was refused (that row opens)."""
    rows = []
    for category in version.categories.all():
        again = refused is not None and str(refused.get("category")) == str(category.pk)
        shown = (
            refused
            if again and refused is not None
            else {name: getattr(category, name) for name in CATEGORY_FIELDS}
        )
        rows.append({"t": category, "refused": again, "v": shown})
    return rows


@_scoped(county_scope)
def county_template_preview(request: HttpRequest, scope: Scope, number: Any) -> HttpResponse:
    """The version as a kommun's partnership sees it before adopting it."""
    version = queries.template_version(scope, number)
    return render(
        request,
        "county/template_preview.html",
        {
            "scope": scope,
            "template": version.template,
            "version": version,
            "content": _template_context(version),
        },
    )


@_scoped(county_scope, writes=True)
def county_template_publish(request: HttpRequest, scope: Scope, number: Any) -> HttpResponse:
    """Publish a draft, after a confirmation: from then on it is frozen and adoptable."""
    version = queries.template_version(scope, number)
    error = ""
    if request.method == "POST":
        form = forms.PublishForm(request.POST)
        try:
            form.parsed()
            services.publish(request.user, version)
            success(
                request,
                _("Version %(n)d är publicerad. Länets kommuner kan nu anta den.")
                % {"n": version.number},
            )
            return redirect("county-template-version", key=scope.key, number=version.number)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            error = exc.message
    return render_page(
        request,
        "county/template_publish.html",
        {
            "scope": scope,
            "template": version.template,
            "error": error,
            "version": version,
            "content": _template_context(version),
        },
        refused=bool(error),
    )


# --- The county template: a partnership adopts it -------------------------------------------


@with_actor(TEMPLATE_READ_ROLES)
def template_adoption(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The län's template as the partnership has it: the version it uses with the guidance,
    categories and survey items, its earlier adoptions, and adopting a newer version with the
    mapping of its own categories."""
    state = queries.adoption_state(actor)
    can_adopt = actor.has(ADOPT_ROLES)
    categories = queries.own_categories(actor)
    errors: dict[str, str] = {}
    posted: dict[str, Any] = {}
    wanted = None
    if request.method == "POST":
        actor.require(ADOPT_ROLES)
        if SubmitForm(request.POST).pressed() != "adopt":
            raise Http404
        form = forms.AdoptionForm(request.POST, [c.pk for c in categories])
        try:
            data = form.parsed()
            version = queries.adoptable_version(actor, data["version"])
            done = services.adopt(actor, version, form.mapping(), decision=data["decision"])
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            posted = typed(form)
            wanted = posted.get("version")
            errors = {exc.field or "adopt": exc.message}
            messages.error(request, _("Ingenting är sparat. Rätta det som är markerat."))
        else:
            text = _("Samverkan använder nu %(lan)s mall, version %(n)d.") % {
                "lan": state.county_name,
                "n": version.number,
            }
            if done.created:
                text += " " + _("Nya kategorier från mallen: %(names)s.") % {
                    "names": ", ".join(c.name for c in done.created)
                }
            if done.skipped_questions:
                text += " " + _(
                    "Länets frågor %(codes)s lades inte till: koden används redan av en egen "
                    "fråga med annan lydelse."
                ) % {"codes": ", ".join(done.skipped_questions)}
            success(request, text)
            return redirect("county-template-adoption")
    else:
        choice = forms.AdoptionChoiceForm(request.GET).values()
        wanted = choice.get("version") if choice else None
    chosen = None
    if state.adoptable:
        chosen = next(
            (v for v in state.adoptable if str(v.number) == str(wanted)), state.adoptable[0]
        )
    rows = []
    if chosen is not None and can_adopt:
        proposed = queries.mapping_defaults(actor, chosen, state.current)
        for category in categories:
            key = f"map-{category.pk}"
            value = str(posted[key]) if key in posted else str(proposed.get(category.pk) or "")
            rows.append({"category": category, "key": key, "value": value})
    current = state.current
    return render_page(
        request,
        "county/adoption.html",
        {
            "state": state,
            "current": current,
            "current_content": _template_context(current.version) if current else None,
            "figures": queries.counts_in_template_codes(actor, current) if current else [],
            "chosen": chosen,
            "chosen_content": _template_context(chosen) if chosen else None,
            "rows": rows,
            "can_adopt": can_adopt,
            "errors": errors,
            "decision": posted.get("decision", ""),
        },
        refused=bool(errors),
    )

"""What a partnership's adopted county template adds to the apps below: the guidance and
required parts of the problem documentation (``statutory.extensions``) and the survey items
(``surveys.extensions``). Registered in ``CountyConfig.ready``; each answer is one query."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from samtrygg.statutory.extensions import SECTION_KEYS, SectionRule
from samtrygg.surveys.extensions import SurveyTemplate


def current_adoption(partnership: Any) -> Any:
    """The partnership's latest adoption with its version and län (None: none)."""
    from samtrygg.county.models import TemplateAdoption

    if partnership is None or getattr(partnership, "pk", None) is None:
        return None
    return (
        TemplateAdoption.objects.filter(partnership=partnership)
        .select_related("version__template__county")
        .order_by("-adopted_at", "-id")
        .first()
    )


def source_of(version: Any) -> str:
    return _("%(lan)s, mall version %(n)d") % {
        "lan": version.template.county.name,
        "n": version.number,
    }


def documentation_rules(partnership: Any) -> dict[str, SectionRule]:
    adoption = current_adoption(partnership)
    if adoption is None:
        return {}
    version = adoption.version
    source = source_of(version)
    rules = {}
    for key in SECTION_KEYS:
        entry = (version.problem_fields or {}).get(key) or {}
        required = bool(entry.get("required"))
        guidance = str(entry.get("guidance") or "")
        if required or guidance:
            rules[key] = SectionRule(key, required, guidance, source)
    return rules


def survey_template(partnership: Any) -> SurveyTemplate | None:
    adoption = current_adoption(partnership)
    if adoption is None:
        return None
    version = adoption.version
    codes = tuple(sorted(adoption.own_questions.values_list("code", flat=True)))
    return SurveyTemplate(tuple(version.survey_items or ()), codes, source_of(version))

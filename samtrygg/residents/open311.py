"""Open311 GeoReport v2 at /open311/v2/, for physical faults in the public environment.

``jurisdiction_id`` is the kommunkod. The services are the partnership's public categories it
has marked as served by Open311. A POST is a tip like any other (the same privacy screen and
throttle; anonymous allowed, an ``api_key`` identifies an integrating app); names and phone
numbers that a client sends are never read or stored. GET requests lists only reviewed
requests, with their public fields: no description, no contact, the location coarsened to
the delområde's centre. Every answer is JSON or XML after the format in the path; errors are
``[{"code": …, "description": …}]`` with the same HTTP status.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from shapely.geometry import shape

from samtrygg.core.errors import DomainError
from samtrygg.core.models import Partnership
from samtrygg.core.public import public_partnership
from samtrygg.residents import forms, guard, queries, services
from samtrygg.residents.models import Tip, TipChannel, TipStatus

FORMATS = {"json": "application/json", "xml": "text/xml"}
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-01T00:00:00Z"
# GET requests without dates covers this many days back; at most this many in one answer.
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
SEEN_ATTRIBUTE = "seen_on"


class Open311Error(Exception):
    def __init__(self, status: int, description: str, retry_after: int = 0) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def _xml(root_name: str, item_name: str, items: list[dict[str, Any]]) -> bytes:
    root = ET.Element(root_name)
    for item in items:
        element = ET.SubElement(root, item_name)
        _fill(element, item)
    return b'<?xml version="1.0" encoding="utf-8"?>' + bytes(ET.tostring(root, encoding="utf-8"))


def _fill(element: ET.Element, item: dict[str, Any]) -> None:
    for key, value in item.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            singular = {
                "endpoints": "endpoint",
                "formats": "format",
                "attributes": "attribute",
                "values": "value",
            }.get(key, "item")
            for entry in value:
                sub = ET.SubElement(child, singular)
                if isinstance(entry, dict):
                    _fill(sub, entry)
                else:
                    sub.text = str(entry)
        elif isinstance(value, dict):
            _fill(child, value)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)


def _answer(fmt: str, data: Any, *, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        items = data if isinstance(data, list) else [data]
        if not isinstance(data, list):
            body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(
                _single(root, data), encoding="utf-8"
            )
        else:
            body = _xml(root, item, items)
        return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _single(root: str, data: dict[str, Any]) -> ET.Element:
    element = ET.Element(root)
    _fill(element, data)
    return element


def _error(fmt: str, error: Open311Error) -> HttpResponse:
    body = [{"code": error.status, "description": error.description}]
    response = _answer(
        fmt if fmt in FORMATS else "json", body, root="errors", item="error", status=error.status
    )
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, _("Okänt format. Använd .json eller .xml."))
    return fmt


def _params(request: HttpRequest) -> Any:
    if request.method == "POST":
        return forms.Open311Form(request.POST).data
    return forms.Open311Form(request.GET).data


def _jurisdiction(request: HttpRequest) -> Partnership:
    code = str(_params(request).get("jurisdiction_id", "")).strip()
    if not code:
        raise Open311Error(
            400, _("jurisdiction_id saknas: ange kommunkoden, t.ex. jurisdiction_id=0662.")
        )
    if len(code) != 4 or not code.isdigit():
        raise Open311Error(400, _("jurisdiction_id ska vara kommunkoden med fyra siffror."))
    try:
        return public_partnership(code)
    except Http404:
        raise Open311Error(
            404, _("Ingen samverkan för den kommunkoden tar emot Open311.")
        ) from None


def _handled(view: Any) -> Any:
    def wrapper(request: HttpRequest, fmt: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = view(request, _format(fmt), *args, **kwargs)
            return response
        except Open311Error as error:
            return _error(fmt, error)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_handled
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311-root"))
    data = {
        "changeset": CHANGESET,
        "contact": _(
            "Samtrygg: kommunens samverkan för trygghet. Pågående brott eller fara: ring 112."
        ),
        "key_service": _(
            "Anonyma förfrågningar tas emot. En app kan identifiera sig med en API-nyckel "
            "(api_key) som samordnaren skapar i Samtrygg."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": list(FORMATS.values()),
            }
        ],
    }
    return _answer(fmt, data, root="discovery", item="discovery")


def _service(service: queries.Service) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": _(service.description) if service.description else "",
        "metadata": True,
        "type": "batch",
        "keywords": service.keywords,
        "group": _(service.group) if service.group else "",
    }


@_handled
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    partnership = _jurisdiction(request)
    data = [_service(s) for s in queries.open311_services(partnership)]
    return _answer(fmt, data, root="services", item="service")


def _find_service(partnership: Partnership, code: str) -> queries.Service:
    for service in queries.open311_services(partnership):
        if service.code == code:
            return service
    raise Open311Error(
        404, _("Tjänsten %(code)s finns inte hos den här kommunen.") % {"code": code[:60]}
    )


@_handled
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    partnership = _jurisdiction(request)
    service = _find_service(partnership, service_code)
    data = {
        "service_code": service.code,
        "attributes": [
            {
                "variable": True,
                "code": SEEN_ATTRIBUTE,
                "datatype": "datetime",
                "required": False,
                "datatype_description": _("Datum då felet sågs, ÅÅÅÅ-MM-DD."),
                "order": 1,
                "description": _("När såg du felet?"),
            }
        ],
    }
    return _answer(fmt, data, root="service_definition", item="attribute")


@csrf_exempt
@_handled
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method not in ("GET", "HEAD"):
        raise Open311Error(405, _("Metoden stöds inte här."))
    partnership = _jurisdiction(request)
    params = _params(request)
    ids = _ids(params.get("service_request_id", ""))
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    start = _when(params.get("start_date", ""), "start_date")
    end = _when(params.get("end_date", ""), "end_date")
    if start is None and end is None and not ids:
        start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    status = params.get("status", "").strip().lower()
    if status not in ("", "open", "closed"):
        raise Open311Error(400, _("status ska vara open eller closed."))
    tips = queries.open311_requests(
        partnership,
        ids=ids,
        service_code=codes,
        start=start,
        end=end,
        status=status,
        limit=MAX_REQUESTS,
    )
    return _answer(fmt, _listed(tips), root="service_requests", item="request")


@_handled
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    partnership = _jurisdiction(request)
    ids = _ids(service_request_id)
    tips = queries.open311_requests(partnership, ids=ids, limit=1) if ids else []
    if not tips:
        raise Open311Error(404, _("Förfrågan finns inte eller är inte granskad än."))
    return _answer(fmt, _listed(tips), root="service_requests", item="request")


def _ids(text: str) -> list[int]:
    out = []
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or len(part) > 18:
            raise Open311Error(400, _("service_request_id ska vara ett eller flera id-nummer."))
        out.append(int(part))
    return out


def _when(text: str, name: str) -> dt.datetime | None:
    text = str(text).strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s ska vara en tidpunkt i W3C-format, t.ex. 2026-01-05T00:00:00Z.")
            % {"name": name},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


_OPEN311_STATUS = {
    TipStatus.FORWARDED: "open",
    TipStatus.CONVERTED: "closed",
    TipStatus.CLOSED: "closed",
}


def _listed(tips: list[Tip]) -> list[dict[str, Any]]:
    centres: dict[int, Any] = {}
    out = []
    for tip in tips:
        lat = lon = None
        area = tip.area
        if area is not None:
            if area.pk not in centres:
                centres[area.pk] = shape(area.geometry).representative_point()
            point = centres[area.pk]
            lat, lon = round(point.y, 5), round(point.x, 5)
        out.append(
            {
                "service_request_id": str(tip.pk),
                "status": _OPEN311_STATUS.get(TipStatus(tip.status), "open"),
                "status_notes": str(TipStatus(tip.status).label),
                "service_name": tip.category.name,
                "service_code": tip.category.slug,
                "agency_responsible": tip.partnership.name,
                "service_notice": "",
                "requested_datetime": tip.created_at.isoformat(),
                "updated_datetime": (tip.handled_at or tip.created_at).isoformat(),
                "address": tip.area.name if tip.area else tip.partnership.municipality.name,
                "lat": lat,
                "long": lon,
            }
        )
    return out


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    partnership = _jurisdiction(request)
    params = _params(request)
    client_app = ""
    raw_key = str(params.get("api_key", "")).strip()
    if raw_key:
        from samtrygg.core.services import user_for_token

        user = user_for_token(raw_key)
        if user is None:
            raise Open311Error(403, _("Okänd eller återkallad api_key."))
        client_app = f"api:{user.pk}"
    try:
        guard.throttle(request)
    except guard.Refused as refused:
        raise Open311Error(429, refused.message, refused.retry_after) from None
    code = str(params.get("service_code", "")).strip()
    if not code:
        raise Open311Error(400, _("service_code saknas."))
    service = _find_service(partnership, code)
    place = str(params.get("address_id", "") or params.get("address_string", "")).strip()
    lat, lon = params.get("lat", ""), params.get("long", "")
    if not place and not (str(lat).strip() and str(lon).strip()):
        raise Open311Error(
            400, _("Ange platsen: lat och long, eller address_string med en namngiven plats.")
        )
    raw = services.TipInput(
        category=service.code,
        place_kind="plats" if place and not str(lat).strip() else "karta",
        place=place if place and not str(lat).strip() else None,
        lat=lat,
        lon=lon,
        description=params.get("description", ""),
        contact_email=params.get("email", ""),
        seen_on=str(params.get(f"attribute[{SEEN_ATTRIBUTE}]", "")).strip()[:10] or None,
    )
    try:
        tip = services.submit_tip(
            partnership, raw, channel=TipChannel.OPEN311, client_app=client_app
        )
    except DomainError as refused:
        raise Open311Error(400, refused.message) from None
    body = [
        {
            "service_request_id": str(tip.pk),
            "service_notice": _(
                "Tack! Förfrågan granskas av kommunens samordnare. "
                "Pågående brott eller fara: ring 112."
            ),
            "account_id": None,
        }
    ]
    return _answer(fmt, body, root="service_requests", item="request")

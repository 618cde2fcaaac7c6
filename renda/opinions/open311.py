"""Open311 GeoReport v2 server at /open311/v2/ (docs/open311.md): views, field mapping, XML and JSON.

Every answer comes in the format named by the suffix (.json or .xml); errors are the spec's list of
{code, description} with the HTTP status 400, 403, 404 (or 405, 429). The reads and the write live
in open311_services.py; these views parse, call one function, and render.
"""

import datetime
import functools
import json
import xml.etree.ElementTree as ET

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from . import open311_services as o311
from .models import Opinion
from .open311_services import Open311Error

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-05-01T00:00:00+08:00"  # when this endpoint's behaviour last changed
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DUE_TIME = datetime.time(18, 0)  # a due date ends at the close of the working day
DEFAULT_RATE = "60/m"

# XML: the element name of each item of a list, by the list's own element name.
LIST_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value",
              "services": "service", "service_requests": "request", "errors": "error"}


# --- rendering ---------------------------------------------------------------------------------------------
def _xml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_add(parent: ET.Element, tag: str, value) -> None:
    el = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_add(el, k, v)
    elif isinstance(value, list):
        for item in value:
            _xml_add(el, LIST_ITEMS[tag], item)
    else:
        el.text = _xml_text(value)


def render(data, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """`data` is a dict (one root element) or a list (root element with LIST_ITEMS[root] children)."""
    if fmt == "xml":
        el = ET.Element(root)
        items = data.items() if isinstance(data, dict) else ((LIST_ITEMS[root], item) for item in data)
        for k, v in items:
            _xml_add(el, k, v)
        body = ET.tostring(el, encoding="utf-8", xml_declaration=True)
        body = body.replace(b"<?xml version='1.0' encoding='utf-8'?>", b'<?xml version="1.0" encoding="UTF-8"?>')
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["json"]))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def render_error(code: int, description: str, fmt: str) -> HttpResponse:
    return render([{"code": code, "description": str(description)}], fmt if fmt in CONTENT_TYPES else "json",
                  "errors", status=code)


def endpoint(*methods: str):
    """Check the format suffix (404) and the method (405); turn Open311Error into the error body."""
    def wrap(view):
        @functools.wraps(view)
        @csrf_exempt
        def inner(request, *args, fmt: str, **kwargs):
            fmt = fmt.lower()
            if fmt not in CONTENT_TYPES:
                return render_error(404, _("不支持的格式：%(fmt)s（请用 .json 或 .xml）。") % {"fmt": fmt[:10]}, "json")
            if request.method not in methods:
                response = render_error(405, _("不支持的请求方法。"), fmt)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as e:
                return render_error(e.code, e.description, fmt)
        return inner
    return wrap


# --- field mapping ---------------------------------------------------------------------------------------
def iso(value) -> str | None:
    """ISO 8601 in local time (+08:00), to the second."""
    if value is None:
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = timezone.make_aware(datetime.datetime.combine(value, DUE_TIME), timezone.get_current_timezone())
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _status_labels() -> dict[str, str]:
    return {k: str(v) for k, v in Opinion.Status.choices}


def status_notes(opinion: Opinion, *, full: bool, labels: dict[str, str]) -> str:
    """The detailed Chinese state; with the reply or the decline reason for key holders (or as published)."""
    label = labels.get(opinion.status, opinion.status)
    if opinion.status == Opinion.Status.DECLINED:
        extra = opinion.decline_reason if full else ""
    elif opinion.status in (Opinion.Status.REPLIED, Opinion.Status.CLOSED):
        extra = opinion.reply_text if full else (opinion.published_reply if opinion.is_published else "")
    else:
        extra = ""
    return f"{label}：{extra}" if extra else label


def agency_responsible(opinion: Opinion) -> str:
    parts = getattr(opinion, "open311_parts", None)
    if parts is None:
        parts = [p for p in opinion.assignments.select_related("unit") if p.status != "withdrawn"]
    names = list(dict.fromkeys(p.unit.name for p in parts))
    return "、".join(names) if names else opinion.addressee_name()


def request_dict(opinion: Opinion, *, full: bool, labels: dict[str, str]) -> dict:
    """One service request. Never the citizen's name, phone or email; without a key, only what is public."""
    closed = opinion.status in Opinion.FINISHED_STATES
    if full:
        description, address = opinion.text, opinion.address
        lat = float(opinion.lat) if opinion.lat is not None else None
        long = float(opinion.long) if opinion.long is not None else None
    else:
        description = opinion.published_text if opinion.is_published else ""
        address, lat, long = "", None, None
    due = None if closed else opinion.current_due
    return {
        "service_request_id": opinion.tracking_code,
        "status": "closed" if closed else "open",
        "status_notes": status_notes(opinion, full=full, labels=labels),
        "service_name": opinion.category.name,
        "service_code": opinion.category.code,
        "description": description,
        "agency_responsible": agency_responsible(opinion),
        "service_notice": _("当前处理期限：%(due)s") % {"due": due.isoformat()} if due else "",
        "requested_datetime": iso(opinion.submitted_at),
        "updated_datetime": iso(opinion.updated_at),
        "expected_datetime": iso(due),
        "address": address,
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": long,
        "media_url": "",
    }


def service_dict(category) -> dict:
    return {"service_code": category.code, "service_name": category.name, "description": category.description,
            "metadata": True, "type": "realtime", "keywords": category.keywords, "group": category.group}


def _params(request):
    return request.POST if request.method == "POST" else request.GET


# --- views ---------------------------------------------------------------------------------------------
@endpoint("GET")
def discovery(request, *, fmt: str):
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    return render({
        "changeset": CHANGESET,
        "contact": _("人大常委会代表工作委员会（民意高速通道）"),
        "key_service": _("接口密钥由人大常委会机关在工作台“Open311 接口密钥”页面签发。"),
        "endpoints": [{"specification": SPEC_URL, "url": base, "changeset": CHANGESET, "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    }, fmt, "discovery")


@endpoint("GET")
def services_list(request, *, fmt: str):
    return render([service_dict(c) for c in o311.open311_categories()], fmt, "services")


@endpoint("GET")
def service_definition(request, service_code: str, *, fmt: str):
    key = o311.open311_key_from(request.GET.get("api_key"), required=False)
    category = o311.open311_category(service_code)
    values = [{"key": p.pk, "name": f"{p.parent.name}{p.name}" if p.parent_id else p.name}
              for p in o311.open311_communities(key)]
    return render({"service_code": category.code, "attributes": [
        {"variable": True, "code": "community", "datatype": "singlevaluelist", "required": False,
         "datatype_description": _("村（社区）编号；填写后转给服务该村（社区）的代表联络站。"), "order": 1,
         "description": _("所在村（社区）"), "values": values},
        {"variable": True, "code": "request_key", "datatype": "string", "required": False,
         "datatype_description": _("客户端生成的唯一编号（不超过 200 字符）；重复提交同一编号只生成一条诉求。"),
         "order": 2, "description": _("防重复提交编号")},
    ]}, fmt, "service_definition")


@endpoint("GET", "POST")
def requests_endpoint(request, *, fmt: str):
    params = _params(request)
    if request.method == "POST":
        return _request_create(request, params, fmt)
    key = o311.open311_key_from(params.get("api_key"), required=False)
    filters = o311.open311_filters(params)
    labels = _status_labels()
    items = o311.open311_requests(key=key, filters=filters)
    return render([request_dict(o, full=key is not None, labels=labels) for o in items], fmt, "service_requests")


def _request_create(request, params, fmt: str):
    key = o311.open311_key_from(params.get("api_key"), required=True)
    if is_ratelimited(request, group="open311:post", key=lambda g, r: f"{key.pk}:{r.META.get('REMOTE_ADDR', '')}",
                      rate=getattr(settings, "RENDA_OPEN311_RATE", DEFAULT_RATE), increment=True):
        return render_error(429, _("提交过于频繁，请稍后再试。"), fmt)
    result = o311.open311_request_submit(key=key, params=params)
    opinion = result.opinion
    notice = _("已收到，查询码 %(code)s，由%(to)s办理，受理期限 %(due)s。") % {
        "code": opinion.tracking_code, "to": opinion.addressee_name(),
        "due": opinion.current_due.isoformat() if opinion.current_due else "-"}
    return render([{"service_request_id": opinion.tracking_code, "service_notice": notice, "account_id": None}],
                  fmt, "service_requests", status=201 if result.created else 200)


@endpoint("GET")
def request_detail(request, request_id: str, *, fmt: str):
    key = o311.open311_key_from(request.GET.get("api_key"), required=False)
    opinion = o311.open311_request_get(key=key, request_id=request_id)
    return render([request_dict(opinion, full=key is not None, labels=_status_labels())], fmt, "service_requests")

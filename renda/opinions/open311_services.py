"""Open311 GeoReport v2: the reads and the one write behind renda/opinions/open311.py.

The request id of Open311 is the opinion's tracking code, never the database id. A POST becomes an
opinion through services.opinion_submit (channel OPEN311); nothing here saves a model itself.

Scope (docs/open311.md): with a valid api_key, a client sees every item of the key's congress and
the congresses below it, with the handling details (text, address, reply) but never the citizen's
name, phone or email. Without a key, the list holds only items staff published, with the published
(redacted) copy; a single item is shown by its tracking code with its state and dates only.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import ApiKey, Assignment, Category, Opinion

S = Opinion.Status

MAX_REQUESTS = 1000  # the spec's default cap on one GET requests answer
DEFAULT_DAYS = 90  # the spec's default window, and the widest start_date..end_date span
MAX_IDS = 1000
TITLE_CHARS = 30
COMMUNITY_KINDS = ("community", "village")

ERR_KEY = gettext_lazy("api_key 无效或已吊销，无法提交。")
ERR_KEY_MISSING = gettext_lazy("缺少 api_key，无法提交。")
ERR_SERVICE_CODE = gettext_lazy("service_code 缺失或不存在。")
ERR_LOCATION = gettext_lazy("须提供位置：lat 和 long，或 address_string，或 address_id。")
ERR_LAT_LONG = gettext_lazy("lat/long 须为有效的十进制经纬度（纬度 -90～90，经度 -180～180）。")
ERR_DESCRIPTION = gettext_lazy("请在 description 中填写诉求内容（不超过 %(max)s 字）。")
ERR_COMMUNITY = gettext_lazy("attribute[community] 不是本级人大辖区内的村（社区）编号。")
ERR_DATE = gettext_lazy("%(name)s 不是有效的 ISO 8601 日期时间。")
ERR_DATE_ORDER = gettext_lazy("start_date 不能晚于 end_date。")
ERR_DATE_SPAN = gettext_lazy("start_date 到 end_date 的跨度不能超过 %(days)s 天。")
ERR_STATUS = gettext_lazy("status 只能是 open 或 closed（可用逗号分隔）。")
ERR_PAGE = gettext_lazy("%(name)s 须为 1 到 %(max)s 之间的整数。")
ERR_IDS = gettext_lazy("service_request_id 最多 %(max)s 个。")
ERR_TOO_LONG = gettext_lazy("%(name)s 过长。")


class Open311Error(Exception):
    """An error with its HTTP code, answered as the spec's error body."""

    def __init__(self, code: int, description):
        super().__init__(str(description))
        self.code = code
        self.description = str(description)


# --- keys and scope -------------------------------------------------------------------------------------
def open311_key_from(raw, *, required: bool) -> ApiKey | None:
    """The active key for a raw api_key, or None when none was sent and none is required (403 otherwise)."""
    if raw in (None, ""):
        if required:
            raise Open311Error(403, ERR_KEY_MISSING)
        return None
    key = services.api_key_authenticate(raw)
    if key is None:
        raise Open311Error(403, ERR_KEY)
    return key


def _key_congress_path(key: ApiKey) -> str:
    from renda.org.models import Congress

    return Congress.objects.filter(pk=key.congress_id).values_list("path", flat=True).first() or "/-/"


def open311_scope(key: ApiKey | None) -> Q:
    """Which opinions a caller may list: the key's congress tree, or the published ones."""
    if key is None:
        return Q(is_published=True)
    return Q(congress__path__startswith=_key_congress_path(key))


def open311_communities(key: ApiKey | None) -> QuerySet:
    """The villages and communities offered as the `community` attribute (the key's area, or all)."""
    from renda.org.models import Place

    qs = Place.objects.filter(kind__in=COMMUNITY_KINDS).select_related("parent")
    if key is not None:
        qs = qs.filter(congress__path__startswith=_key_congress_path(key))
    return qs.order_by("parent__sort", "parent_id", "sort", "id")


def open311_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("sort", "id")


def open311_category(code: str) -> Category:
    cat = Category.objects.filter(code=code, is_active=True).first() if code else None
    if cat is None:
        raise Open311Error(404, ERR_SERVICE_CODE)
    return cat


# --- reads ----------------------------------------------------------------------------------------------
@dataclass
class RequestFilters:
    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    statuses: list[str] = field(default_factory=list)
    page: int = 1
    page_size: int = MAX_REQUESTS


def _parse_when(name: str, value: str, *, end: bool = False) -> datetime.datetime:
    value = (value or "").strip()
    try:
        dt = parse_datetime(value.replace(" ", "+", 1) if re.search(r"T.* \d\d:?\d\d$", value) else value)
    except ValueError:
        dt = None
    if dt is None:
        try:
            d = parse_date(value)
        except ValueError:
            d = None
        if d is None:
            raise Open311Error(400, ERR_DATE % {"name": name})
        dt = datetime.datetime.combine(d, datetime.time.max if end else datetime.time.min)
    if timezone.is_naive(dt):
        dt = timezone.make_aware(dt, timezone.get_current_timezone())
    return dt


def _parse_int(params, name: str, default: int, maximum: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= maximum:
        raise Open311Error(400, ERR_PAGE % {"name": name, "max": maximum})
    return value


def _csv(raw) -> list[str]:
    return [p.strip() for p in (raw or "").split(",") if p.strip()]


def open311_filters(params, *, now: datetime.datetime | None = None) -> RequestFilters:
    """Parse the spec's GET requests parameters (400 on bad values), defaults applied."""
    now = now or timezone.now()
    f = RequestFilters()
    f.ids = [services.tracking_code_normalize(i) for i in _csv(params.get("service_request_id"))]
    if len(f.ids) > MAX_IDS:
        raise Open311Error(400, ERR_IDS % {"max": MAX_IDS})
    f.page = _parse_int(params, "page", 1, 1_000_000)
    f.page_size = _parse_int(params, "page_size", MAX_REQUESTS, MAX_REQUESTS)
    if f.ids:  # the spec: with service_request_id, the other parameters are ignored
        return f
    f.service_codes = _csv(params.get("service_code"))
    f.statuses = [s.lower() for s in _csv(params.get("status"))]
    if any(s not in ("open", "closed") for s in f.statuses):
        raise Open311Error(400, ERR_STATUS)
    start = _parse_when("start_date", params["start_date"]) if params.get("start_date") else None
    end = _parse_when("end_date", params["end_date"], end=True) if params.get("end_date") else None
    span = datetime.timedelta(days=DEFAULT_DAYS)
    if start is None and end is None:
        end, start = now, now - span
    elif start is None:
        start = end - span
    elif end is None:
        end = start + span
    if start > end:
        raise Open311Error(400, ERR_DATE_ORDER)
    if end - start > span + datetime.timedelta(days=1):
        raise Open311Error(400, ERR_DATE_SPAN % {"days": DEFAULT_DAYS})
    f.start, f.end = start, end
    return f


def _with_related(qs: QuerySet[Opinion]) -> QuerySet[Opinion]:
    parts = Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN).select_related("unit").order_by("id")
    return qs.select_related("category", "deputy__person", "station").prefetch_related(
        Prefetch("assignments", queryset=parts, to_attr="open311_parts"))


def open311_requests(*, key: ApiKey | None, filters: RequestFilters) -> list[Opinion]:
    """One page of requests, newest first. Asking by id works without a key (the code is the secret)."""
    if filters.ids:
        qs = Opinion.objects.filter(tracking_code__in=filters.ids)
        if key is not None:
            qs = qs.filter(open311_scope(key))
    else:
        qs = Opinion.objects.filter(open311_scope(key), submitted_at__gte=filters.start,
                                    submitted_at__lte=filters.end)
        if filters.service_codes:
            qs = qs.filter(category__code__in=filters.service_codes)
        if filters.statuses == ["open"]:
            qs = qs.exclude(status__in=Opinion.FINISHED_STATES)
        elif filters.statuses == ["closed"]:
            qs = qs.filter(status__in=Opinion.FINISHED_STATES)
    qs = _with_related(qs.order_by("-submitted_at", "-id"))
    offset = (filters.page - 1) * filters.page_size
    return list(qs[offset:offset + filters.page_size])


def open311_request_get(*, key: ApiKey | None, request_id: str) -> Opinion:
    code = services.tracking_code_normalize(request_id)
    qs = Opinion.objects.filter(tracking_code=code)
    if key is not None:
        qs = qs.filter(open311_scope(key))
    opinion = _with_related(qs).first() if code else None
    if opinion is None:
        raise Open311Error(404, _("没有编号为 %(id)s 的诉求。") % {"id": request_id[:40]})
    return opinion


# --- the write --------------------------------------------------------------------------------------------
@dataclass
class SubmitResult:
    opinion: Opinion
    created: bool


def _decimal(raw, low: int, high: int) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise Open311Error(400, ERR_LAT_LONG) from None
    if not value.is_finite() or not low <= value <= high:
        raise Open311Error(400, ERR_LAT_LONG)
    return value.quantize(Decimal("0.000001"))


def _text(params, name: str, max_length: int) -> str:
    value = (params.get(name) or "").replace("\x00", "").strip()
    if len(value) > max_length:
        raise Open311Error(400, ERR_TOO_LONG % {"name": name})
    return value


def _station_for(community, key: ApiKey):
    """The liaison station serving the community; the key's own congress first, then lowest id."""
    from renda.deputies.models import LiaisonStation

    stations = list(LiaisonStation.objects.filter(communities=community).order_by("id")[:20])
    own = [s for s in stations if s.congress_id == key.congress_id]
    return (own or stations or [None])[0]


def open311_request_submit(*, key: ApiKey, params) -> SubmitResult:
    """POST requests: a hotline item becomes an opinion (channel OPEN311).

    Routing: with attribute[community], to the liaison station serving that community if there is
    one; otherwise to the key's congress office, whose staff route it (opinion_reassign, 'route').
    Retried with the same attribute[request_key], it returns the first opinion.
    """
    from renda.org.models import Place

    code = (params.get("service_code") or "").strip()
    category = Category.objects.filter(code=code, is_active=True).first() if code else None
    if category is None:
        raise Open311Error(400, ERR_SERVICE_CODE)
    lat_raw, long_raw = params.get("lat"), params.get("long")
    lat = long = None
    if lat_raw not in (None, "") or long_raw not in (None, ""):
        if lat_raw in (None, "") or long_raw in (None, ""):
            raise Open311Error(400, ERR_LAT_LONG)
        lat, long = _decimal(lat_raw, -90, 90), _decimal(long_raw, -180, 180)
    address = _text(params, "address_string", 200)
    address_id = _text(params, "address_id", 100)
    if lat is None and not address and not address_id:
        raise Open311Error(400, ERR_LOCATION)
    if not address and address_id:
        address = _("地址编号：%(id)s") % {"id": address_id}
    description = _text(params, "description", 5000)
    if not description:
        raise Open311Error(400, ERR_DESCRIPTION % {"max": services.TEXT_MAX})
    media_url = _text(params, "media_url", 500)
    if media_url and re.match(r"^https?://", media_url):
        description = f"{description}\n{_('图片链接：')}{media_url}"
    if len(description) > services.TEXT_MAX:
        raise Open311Error(400, ERR_DESCRIPTION % {"max": services.TEXT_MAX})
    # Chinese order: family name (last_name) first.
    name = (_text(params, "last_name", 50) + _text(params, "first_name", 50)).strip()
    if len(name) > 50:
        raise Open311Error(400, ERR_TOO_LONG % {"name": "first_name/last_name"})
    phone = re.sub(r"[\s\-]", "", _text(params, "phone", 40))
    phone = phone[3:] if phone.startswith("+86") else phone
    if not services.PHONE_RE.match(phone):
        phone = ""  # a landline or foreign number: not a mobile we can text; kept nowhere
    email = _text(params, "email", 254)
    try:
        validate_email(email) if email else None
    except ValidationError:
        email = ""
    community = station = None
    raw_community = (params.get("attribute[community]") or "").strip()
    if raw_community:
        try:
            community = open311_communities(key).filter(pk=int(raw_community)).first()
        except (TypeError, ValueError):
            community = None
        if community is None:
            raise Open311Error(400, ERR_COMMUNITY)
        station = _station_for(community, key)
    request_key = _text(params, "attribute[request_key]", 200)
    idempotency_key = (hashlib.sha256(f"open311:{key.pk}:{request_key}".encode()).hexdigest()
                       if request_key else None)
    title = description.splitlines()[0][:TITLE_CHARS].strip() or category.name
    try:
        opinion, created = services.opinion_submit(
            category_id=category.pk, title=title, text=description, station_id=station.pk if station else None,
            community_id=community.pk if isinstance(community, Place) else None, citizen_name=name,
            citizen_phone=phone, citizen_email=email, address=address, lat=lat, long=long,
            idempotency_key=idempotency_key, channel=Opinion.Channel.OPEN311, congress=key.congress_id,
            api_key=key)
    except ValidationError as e:
        messages = [str(m) for msgs in e.message_dict.values() for m in msgs] if hasattr(e, "error_dict") \
            else [str(m) for m in e.messages]
        raise Open311Error(400, " ".join(messages)) from None
    return SubmitResult(opinion=opinion, created=created)

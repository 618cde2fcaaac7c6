"""Open311 GeoReport v2 conformance: element names and keys in both formats, errors, filters, scope."""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.opinions import open311_services, services
from renda.opinions.matrix_world import ow
from renda.opinions.models import Category, Opinion

BASE = "/open311/v2/"
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
PERSONAL = ["王小明", "13811112222", "13812345678", "李四", "lisi@example.org"]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def o(world):
    return ow(world)


def get(client, path, fmt="json", expect=200, **params):
    r = client.get(f"{BASE}{path}.{fmt}", params)
    assert r.status_code == expect, r.content.decode()[:500]
    assert r["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")
    return r


def data(r):
    return json.loads(r.content) if r["Content-Type"].startswith("application/json") else ET.fromstring(r.content)


def xml_requests(r) -> list[dict]:
    root = ET.fromstring(r.content)
    assert root.tag == "service_requests"
    out = []
    for req in root:
        assert req.tag == "request"
        assert [c.tag for c in req] == REQUEST_FIELDS
        out.append({c.tag: c.text or "" for c in req})
    return out


def post(client, fmt="json", expect=201, **params):
    r = client.post(f"{BASE}requests.{fmt}", params)
    assert r.status_code == expect, r.content.decode()[:500]
    return r


def assert_error(r, code: int):
    assert r.status_code == code
    if r["Content-Type"].startswith("text/xml"):
        root = ET.fromstring(r.content)
        assert root.tag == "errors"
        (error,) = list(root)
        assert error.tag == "error" and [c.tag for c in error] == ["code", "description"]
        assert error.find("code").text == str(code) and error.find("description").text
    else:
        body = json.loads(r.content)
        assert isinstance(body, list) and len(body) == 1
        assert set(body[0]) == {"code", "description"} and body[0]["code"] == code and body[0]["description"]


def new_request(client, o, **extra):
    params = dict(api_key=o.raw_key, service_code="urban", address_string="沙溪镇白云路8号",
                  description="白云路8号门口的路灯坏了两个星期，晚上很黑。")
    params.update(extra)
    r = post(client, **params)
    return Opinion.objects.get(tracking_code=json.loads(r.content)[0]["service_request_id"])


# --- discovery, services, service definitions ------------------------------------------------------------
def test_discovery_both_formats(client, o):
    body = data(get(client, "discovery"))
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    (ep,) = body["endpoints"]
    assert ep["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert ep["url"].endswith("/open311/v2") and ep["type"] == "production"
    assert set(ep["formats"]) == {"text/xml", "application/json"}
    r = get(client, "discovery", "xml")
    assert r.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(r.content)
    assert root.tag == "discovery"
    assert [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_services_are_the_active_categories(client, o):
    Category.objects.filter(code="other").update(is_active=False)
    body = data(get(client, "services"))
    codes = [s["service_code"] for s in body]
    assert "urban" in codes and "other" not in codes
    assert codes == list(Category.objects.filter(is_active=True).values_list("code", flat=True))
    urban = next(s for s in body if s["service_code"] == "urban")
    assert list(urban) == SERVICE_FIELDS
    assert urban == {"service_code": "urban", "service_name": "城乡建设",
                     "description": "道路、老旧小区改造、加装电梯、市政设施",
                     "metadata": True, "type": "realtime", "keywords": "道路,电梯,小区,改造,路灯", "group": "城市管理"}
    root = ET.fromstring(get(client, "services", "xml").content)
    assert root.tag == "services" and {c.tag for c in root} == {"service"}
    first = root.find("service")
    assert [c.tag for c in first] == SERVICE_FIELDS
    assert first.find("metadata").text == "true" and first.find("type").text == "realtime"


def test_service_definition_offers_communities(client, world, o):
    body = data(get(client, "services/urban"))
    assert body["service_code"] == "urban"
    community = next(a for a in body["attributes"] if a["code"] == "community")
    assert set(community) == {"variable", "code", "datatype", "required", "datatype_description", "order",
                              "description", "values"}
    assert community["datatype"] == "singlevaluelist" and community["variable"] is True
    keys = {v["key"] for v in community["values"]}
    assert {world.community.pk, world.village.pk, world.other_community.pk} <= keys
    assert {"key": world.community.pk, "name": "沙溪镇新港社区"} in community["values"]
    # With a key of a town, only that town's villages and communities.
    other_key, raw = services.api_key_create(actor=world.users["admin"], congress=world.other_town, name="浏河")
    scoped = data(get(client, "services/urban", api_key=raw))
    assert {v["key"] for v in scoped["attributes"][0]["values"]} == {world.other_community.pk}
    root = ET.fromstring(get(client, "services/urban", "xml").content)
    assert root.tag == "service_definition"
    attr = root.find("attributes/attribute")
    assert [c.tag for c in attr] == ["variable", "code", "datatype", "required", "datatype_description", "order",
                                     "description", "values"]
    assert attr.find("values/value/key") is not None and attr.find("values/value/name") is not None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_is_404(client, o, fmt):
    assert_error(client.get(f"{BASE}services/no-such-service.{fmt}"), 404)


def test_unknown_format_and_method(client, o):
    assert_error(client.get(f"{BASE}services.html"), 404)
    assert_error(client.get(f"{BASE}requests/{o.submitted.tracking_code}.csv"), 404)
    r = client.post(f"{BASE}services.xml")
    assert_error(r, 405)
    assert r["Allow"] == "GET"


# --- POST requests -----------------------------------------------------------------------------------------
def test_post_creates_an_opinion_for_the_station_of_the_community(client, world, o):
    r = post(client, "xml", api_key=o.raw_key, service_code="urban", lat="31.56", long="121.1",
             description="新港社区5号楼下水道堵了<script>alert(1)</script>", first_name="四", last_name="李",
             phone="138 1234 5678", email="lisi@example.org", **{"attribute[community]": str(world.community.pk)})
    root = ET.fromstring(r.content)
    assert root.tag == "service_requests"
    req = root.find("request")
    assert [c.tag for c in req] == ["service_request_id", "service_notice", "account_id"]
    code = req.find("service_request_id").text
    opinion = Opinion.objects.get(tracking_code=code)
    assert not code.isdigit()  # the tracking code, never the database id
    assert opinion.channel == Opinion.Channel.OPEN311 and opinion.open311_key_id == o.key.pk
    assert opinion.station_id == world.station.pk and opinion.deputy_id is None
    assert opinion.community_id == world.community.pk
    assert opinion.citizen_name == "李四" and opinion.citizen_phone == "13812345678"
    assert opinion.citizen_email == "lisi@example.org"
    assert str(opinion.lat) == "31.560000" and str(opinion.long) == "121.100000"
    assert opinion.title == "新港社区5号楼下水道堵了<script>alert(1)</scr"[:30]
    assert opinion.text.endswith("<script>alert(1)</script>")
    assert code in req.find("service_notice").text and "沙溪镇人大代表联络站" in req.find("service_notice").text


def test_post_without_community_goes_to_the_congress_office(client, world, o):
    r = post(client, api_key=o.raw_key, service_code="traffic", address_id="A-1001",
             description="公交站台没有遮雨棚", phone="0512-53210000", email="not-an-email")
    (body,) = json.loads(r.content)
    assert set(body) == {"service_request_id", "service_notice", "account_id"} and body["account_id"] is None
    opinion = Opinion.objects.get(tracking_code=body["service_request_id"])
    assert opinion.congress_id == world.city.pk and opinion.deputy_id is None and opinion.station_id is None
    assert opinion.addressee_name() == "人大常委会机关"
    assert opinion.citizen_phone == "" and opinion.citizen_email == ""  # a landline and a bad address: dropped
    assert opinion.address == "地址编号：A-1001" and opinion.category.code == "traffic"
    # The office routes it: the spec's route event through opinion_reassign.
    staff = world.users["staff"]
    staff.active_assignment = staff.assignments.get(is_active=True)
    services.opinion_reassign(opinion_id=opinion.pk, actor=staff, deputy_id=world.deputy.pk, note="按片区分派")
    assert Opinion.objects.get(pk=opinion.pk).deputy_id == world.deputy.pk


def test_post_is_idempotent_with_a_request_key(client, o):
    params = dict(api_key=o.raw_key, service_code="urban", address_string="沙溪镇", description="重复提交测试",
                  **{"attribute[request_key]": "hotline-2026-0001"})
    first = json.loads(post(client, **params).content)[0]
    again = json.loads(post(client, expect=200, **params).content)[0]
    assert first["service_request_id"] == again["service_request_id"]
    assert Opinion.objects.filter(text="重复提交测试").count() == 1
    # Without the key, the same text is a new request.
    params.pop("attribute[request_key]")
    post(client, **params)
    assert Opinion.objects.filter(text="重复提交测试").count() == 2


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors(client, world, o, fmt):
    base = dict(api_key=o.raw_key, service_code="urban", address_string="沙溪镇", description="内容")
    before = Opinion.objects.count()
    cases = [
        ({"api_key": ""}, 403),
        ({"api_key": "o311_not-a-real-key"}, 403),
        ({"address_string": ""}, 400),  # no location at all
        ({"address_string": "", "lat": "31.5"}, 400),  # lat without long
        ({"lat": "north", "long": "121"}, 400),
        ({"lat": "91", "long": "121"}, 400),
        ({"lat": "NaN", "long": "121"}, 400),
        ({"service_code": "no-such"}, 400),
        ({"service_code": ""}, 400),
        ({"description": ""}, 400),
        ({"description": "长" * 2001}, 400),
        ({"attribute[community]": "999999"}, 400),
        ({"attribute[community]": "abc"}, 400),
        ({"first_name": "名" * 60}, 400),
    ]
    for change, code in cases:
        r = client.post(f"{BASE}requests.{fmt}", {**base, **change})
        assert_error(r, code)
    assert Opinion.objects.count() == before


def test_revoked_key_is_refused(client, world, o):
    services.api_key_revoke(actor=world.users["admin"], key_id=o.key.pk)
    r = client.post(f"{BASE}requests.xml", dict(api_key=o.raw_key, service_code="urban", address_string="沙溪镇",
                                               description="内容"))
    assert_error(r, 403)


def test_post_is_throttled_per_key(client, o, settings):
    settings.RENDA_OPEN311_RATE = "2/m"
    for _i in range(2):
        new_request(client, o)
    r = client.post(f"{BASE}requests.json", dict(api_key=o.raw_key, service_code="urban", address_string="沙溪镇",
                                                description="第三次"))
    assert_error(r, 429)
    assert not Opinion.objects.filter(text="第三次").exists()


# --- GET requests ------------------------------------------------------------------------------------------
def test_get_request_both_formats_and_singular(client, world, o):
    code = o.forwarded.tracking_code
    (item,) = data(get(client, f"requests/{code}", api_key=o.raw_key))
    assert list(item) == REQUEST_FIELDS
    assert item["service_request_id"] == code and item["status"] == "open"
    assert item["status_notes"] == "转办中" and item["agency_responsible"] == "市住房和城乡建设局"
    assert item["description"] == o.forwarded.text
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert item[name].endswith("+08:00") and "." not in item[name], item[name]
    due = Opinion.objects.get(pk=o.forwarded.pk).current_due
    assert item["expected_datetime"] == f"{due.isoformat()}T18:00:00+08:00"
    local = timezone.localtime(Opinion.objects.get(pk=o.forwarded.pk).submitted_at).replace(microsecond=0)
    assert item["requested_datetime"] == local.isoformat()
    (x,) = xml_requests(get(client, f"request/{code.lower()}", "xml", api_key=o.raw_key))
    assert x["service_request_id"] == code and x["agency_responsible"] == "市住房和城乡建设局"
    (s,) = data(get(client, f"request/{code}"))
    assert s["service_request_id"] == code


@pytest.mark.parametrize("path", ["requests", "request"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_is_404(client, o, path, fmt):
    assert_error(client.get(f"{BASE}{path}/ZZZZZZZZZZ.{fmt}"), 404)


def test_status_notes_carry_reply_and_decline_reason(client, world, o):
    deputy = world.users["deputy"]
    deputy.active_assignment = deputy.assignments.get(is_active=True)
    services.opinion_decline(opinion_id=o.submitted.pk, actor=deputy, reason="不属于人大职权范围，请向法院反映。")
    (declined,) = data(get(client, f"requests/{o.submitted.tracking_code}", api_key=o.raw_key))
    assert declined["status"] == "closed" and declined["status_notes"] == "不予受理：不属于人大职权范围，请向法院反映。"
    assert declined["expected_datetime"] is None
    (replied,) = data(get(client, f"requests/{o.replied.tracking_code}", api_key=o.raw_key))
    assert replied["status"] == "open" and replied["status_notes"] == "已答复待评价：已协调交警在上下学时段疏导。"
    # Without a key: the state only, no text of the citizen and no reply.
    (public,) = data(get(client, f"requests/{o.replied.tracking_code}"))
    assert public["status_notes"] == "已答复待评价" and public["description"] == ""


def test_personal_data_never_in_get_responses(client, world, o):
    new_request(client, o, first_name="四", last_name="李", phone="13812345678", email="lisi@example.org")
    for fmt in ("json", "xml"):
        for r in (get(client, "requests", fmt, api_key=o.raw_key), get(client, "requests", fmt),
                  get(client, f"requests/{o.submitted.tracking_code}", fmt, api_key=o.raw_key)):
            text = r.content.decode()
            assert not [p for p in PERSONAL if p in text], text[:300]


def test_list_without_key_holds_only_published_items(client, world, o):
    items = data(get(client, "requests"))
    assert [i["service_request_id"] for i in items] == [o.closed.tracking_code]
    (item,) = items
    assert item["description"] == "菜场卫生差，希望整改。" and item["status_notes"] == "已办结：已督促整改。"
    assert item["address"] == "" and item["lat"] is None


def test_list_with_key_is_scoped_to_the_congress_tree(client, world, o):
    city = {i["service_request_id"] for i in data(get(client, "requests", api_key=o.raw_key))}
    assert {o.submitted.tracking_code, o.station_opinion.tracking_code, o.other_town_opinion.tracking_code} <= city
    _key, raw = services.api_key_create(actor=world.users["admin"], congress=world.other_town, name="浏河")
    town = [i["service_request_id"] for i in data(get(client, "requests", api_key=raw))]
    assert town == [o.other_town_opinion.tracking_code]
    get(client, f"requests/{o.submitted.tracking_code}", expect=404, api_key=raw)
    assert_error(client.get(f"{BASE}requests.json", {"api_key": "o311_wrong"}), 403)


def test_filters_status_service_code_and_ids(client, world, o):
    def ids(**params):
        return {i["service_request_id"] for i in data(get(client, "requests", api_key=o.raw_key, **params))}

    every = ids()
    closed = ids(status="closed")
    assert closed == {o.closed.tracking_code}
    assert ids(status="open") == every - closed
    assert ids(status="open,closed") == every
    traffic = new_request(client, o, service_code="traffic")
    assert ids(service_code="traffic") == {traffic.tracking_code}
    wanted = f"{o.closed.tracking_code},{o.submitted.tracking_code.lower()}"
    assert ids(service_request_id=wanted, status="open") == {o.closed.tracking_code, o.submitted.tracking_code}
    xml_ids = {x["service_request_id"] for x in xml_requests(get(client, "requests", "xml", api_key=o.raw_key,
                                                                  status="closed"))}
    assert xml_ids == closed


def test_filters_dates_and_the_90_day_default(client, world, o):
    now = timezone.now()
    Opinion.objects.filter(pk=o.anonymous.pk).update(submitted_at=now - datetime.timedelta(days=100))
    Opinion.objects.filter(pk=o.replied.pk).update(submitted_at=now - datetime.timedelta(days=30))

    def ids(fmt="json", **params):
        r = get(client, "requests", fmt, api_key=o.raw_key, **params)
        return {x["service_request_id"] for x in (data(r) if fmt == "json" else xml_requests(r))}

    default = ids()
    assert o.anonymous.tracking_code not in default and o.replied.tracking_code in default
    local = timezone.localtime(now)
    window = ids(start_date=(local - datetime.timedelta(days=110)).replace(microsecond=0).isoformat(),
                 end_date=(local - datetime.timedelta(days=25)).replace(microsecond=0).isoformat())
    assert window == {o.anonymous.tracking_code, o.replied.tracking_code}
    only_start = ids("xml", start_date=(local - datetime.timedelta(days=35)).date().isoformat())
    assert o.replied.tracking_code in only_start and o.anonymous.tracking_code not in only_start
    only_end = ids(end_date=(local - datetime.timedelta(days=50)).date().isoformat())
    assert only_end == {o.anonymous.tracking_code}
    # An unencoded "+08:00" arrives as " 08:00": still understood.
    r = client.get(f"{BASE}requests.json?api_key={o.raw_key}&start_date="
                   f"{(local - datetime.timedelta(days=35)).strftime('%Y-%m-%dT%H:%M:%S')}+08:00")
    assert r.status_code == 200 and o.replied.tracking_code in {x["service_request_id"] for x in json.loads(r.content)}


@pytest.mark.parametrize("params", [
    {"start_date": "2026-13-01"}, {"end_date": "yesterday"}, {"start_date": "2026-02-30T10:00:00+08:00"},
    {"start_date": "2026-06-01", "end_date": "2026-05-01"},
    {"start_date": "2026-01-01", "end_date": "2026-06-01"},  # more than 90 days
    {"status": "pending"}, {"page": "0"}, {"page": "x"}, {"page_size": "1001"}, {"page_size": "-1"},
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_400(client, o, params, fmt):
    assert_error(client.get(f"{BASE}requests.{fmt}", params), 400)


def test_cap_and_pages(client, world, o, monkeypatch):
    every = [i["service_request_id"] for i in data(get(client, "requests", api_key=o.raw_key))]
    assert len(every) == 7
    monkeypatch.setattr(open311_services, "MAX_REQUESTS", 3)
    capped = [i["service_request_id"] for i in data(get(client, "requests", api_key=o.raw_key))]
    assert capped == every[:3]
    assert_error(client.get(f"{BASE}requests.json", {"api_key": o.raw_key, "page_size": "4"}), 400)
    monkeypatch.undo()
    pages = [[i["service_request_id"] for i in data(get(client, "requests", api_key=o.raw_key, page=p, page_size=2))]
             for p in (1, 2, 3, 4, 5)]
    assert pages == [every[0:2], every[2:4], every[4:6], every[6:7], []]


def test_list_queries_do_not_grow_with_the_page(client, world, o):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            get(client, "requests", "xml", api_key=o.raw_key)
        return len(ctx.captured_queries)

    few = count()
    for n in range(5):
        new_request(client, o, description=f"第{n}条")
    assert count() == few

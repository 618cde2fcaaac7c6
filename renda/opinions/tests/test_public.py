"""The citizen's pages: submit (idempotent, anti-bot, rate limited), track, rate, published, posters."""

import io
import re
import time
import zlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from renda.core.attachments import attachments_for
from renda.opinions import antibot, services
from renda.opinions.actors import Citizen
from renda.opinions.forms_public import ERR_TRACK
from renda.opinions.models import Category, Opinion
from renda.opinions.posters import cjk_font_path

from .factories import as_role, submit

S = Opinion.Status


@pytest.fixture(autouse=True)
def _public_settings(settings):
    settings.RENDA_ANTIBOT_MIN_SECONDS = 0
    cache.clear()  # rate-limit counters live in the cache
    yield
    cache.clear()


def png(name="photo.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def write_url(world) -> str:
    return reverse("voice:submit_deputy", args=[world.deputy.pk])


def form_data(client, url, **overrides) -> dict:
    """What a person's browser would send: the rendered hidden fields plus the typed ones."""
    form = client.get(url).context["form"]
    data = {
        "idempotency_key": str(form["idempotency_key"].value()),
        "form_token": form["form_token"].value(),
        "website": "",
        "category": str(Category.objects.get(code="urban").pk),
        "community": str(form["community"].value() or ""),
        "title": "小区电梯坏了",
        "text": "新港社区3号楼电梯坏了一个月，老人上下楼困难。",
        "citizen_name": "王小明",
        "citizen_phone": "13811112222",
    }
    data.update(overrides)
    return data


def pdf_font_names(data: bytes) -> bytes:
    """The /FontName entries of a PDF, looking inside its compressed object streams too."""

    chunks = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            chunks.append(zlib.decompressobj().decompress(data[m.end():m.end() + 2_000_000]))
        except zlib.error:
            pass
    return b" ".join(n for chunk in chunks for n in re.findall(rb"/FontName\s*/([^\s/>]+)", chunk))


def grant(client, opinion, digits="2222"):
    response = client.post(reverse("voice:track"), {"code": opinion.tracking_code, "digits": digits})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


# --- submit -------------------------------------------------------------------------------------
def test_submit_page_explains_anonymity_and_prefills_community(world, client):
    response = client.get(write_url(world) + f"?community={world.community.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "办理人员可以看到您的联系方式，公众永远看不到" in html
    assert "只凭查询码就能打开这条意见" in html
    assert response.context["form"]["community"].value() == world.community.pk
    # The deputy's district communities only (泥泾村 is in 第5选区 too; 浏家港社区 is not).
    assert "泥泾村" in html and "浏家港社区" not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_submit_happy_path_creates_opinion_and_shows_receipt(world, client):
    url = write_url(world)
    data = form_data(client, url, community=str(world.community.pk))
    response = client.post(url, {**data, "photos": [png("a.png"), png("b.png")]})
    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("voice:receipt", args=[opinion.tracking_code])
    assert (opinion.deputy_id, opinion.community_id) == (world.deputy.pk, world.community.pk)
    assert opinion.status == S.SUBMITTED
    assert opinion.citizen_phone == "13811112222"
    assert attachments_for(owner=opinion).count() == 2
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert opinion.tracking_code in html
    assert opinion.current_due.strftime("%Y年%-m月%-d日") in html
    assert "凭查询码和手机后四位查询" in html
    # The receipt is not reachable by guessing: another browser gets 404.
    from django.test import Client

    assert Client().get(response["Location"]).status_code == 404


def test_submit_to_station(world, client):
    url = reverse("voice:submit_station", args=[world.station.pk])
    response = client.post(url, form_data(client, url, community=str(world.community.pk)))
    assert response.status_code == 302
    assert Opinion.objects.get().station_id == world.station.pk


def test_retried_post_returns_the_first_result(world, client):
    url = write_url(world)
    data = form_data(client, url)
    first = client.post(url, data)
    second = client.post(url, data)
    assert Opinion.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_honeypot_rejected_and_text_kept(world, client):
    url = write_url(world)
    response = client.post(url, form_data(client, url, website="http://spam.example", title="我的标题文字"))
    assert response.status_code == 200
    assert not Opinion.objects.exists()
    html = response.content.decode()
    assert str(antibot.ERR_BOT) in html
    assert "我的标题文字" in html and "老人上下楼困难" in html


@pytest.mark.parametrize("token_kind", ["too_fast", "forged", "missing", "expired"])
def test_bad_antibot_token_rejected_and_text_kept(world, client, settings, token_kind):
    settings.RENDA_ANTIBOT_MIN_SECONDS = 3
    url = write_url(world)
    data = form_data(client, url)  # rendered just now: too fast
    if token_kind == "forged":
        data["form_token"] = data["form_token"][:-3] + "abc"
    elif token_kind == "missing":
        data["form_token"] = ""
    elif token_kind == "expired":
        data["form_token"] = antibot.antibot_token(now=time.time() - 3 * 3600)
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Opinion.objects.exists()
    html = response.content.decode()
    assert "老人上下楼困难" in html
    expected = {"too_fast": antibot.ERR_TOO_FAST, "expired": antibot.ERR_EXPIRED}.get(token_kind, antibot.ERR_BOT)
    assert str(expected).replace("“", "&ldquo;")[:8] in html or str(expected)[:8] in html
    # The form comes back with a fresh token: pressing the button again works.
    assert response.context["form"]["form_token"].value() != data["form_token"]


def test_antibot_unit_checks(settings):
    settings.RENDA_ANTIBOT_MIN_SECONDS = 3
    now = time.time()
    token = antibot.antibot_token(now=now - 10)
    assert antibot.antibot_check({"form_token": token}, now=now) is None
    assert antibot.antibot_check({"form_token": token, "website": "x"}, now=now)[0] == "honeypot"
    assert antibot.antibot_check({"form_token": antibot.antibot_token(now=now - 1)}, now=now)[0] == "too_fast"
    assert antibot.antibot_check({"form_token": token}, now=now + 3 * 3600)[0] == "expired"
    assert antibot.antibot_check({"form_token": "abc:def"}, now=now)[0] == "token_invalid"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": "长" * 101}, "title"),
    ({"title": ""}, "title"),
    ({"text": "长" * 2001}, "text"),
    ({"citizen_phone": "12345"}, "citizen_phone"),
    ({"category": "999999"}, "category"),
    ({"category": "abc"}, "category"),
    ({"community": str(10**30)}, "community"),
    ({"idempotency_key": "not-a-uuid"}, "idempotency_key"),
])
def test_bad_input_is_a_form_error(world, client, overrides, field):
    url = write_url(world)
    response = client.post(url, form_data(client, url, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Opinion.objects.exists()


def test_six_photos_refused(world, client):
    url = write_url(world)
    response = client.post(url, {**form_data(client, url), "photos": [png(f"{i}.png") for i in range(6)]})
    assert response.status_code == 200
    assert "最多上传 5 张照片" in response.context["form"].errors["photos"][0]
    assert "照片需要重新选择" in response.content.decode()
    assert not Opinion.objects.exists()


def test_disguised_photo_refused(world, client):
    url = write_url(world)
    fake = SimpleUploadedFile("photo.jpg", b"this is just text, not a picture\n" * 20, content_type="image/jpeg")
    response = client.post(url, {**form_data(client, url), "photos": [fake]})
    assert response.status_code == 200
    assert "不是JPEG 图片" in " ".join(response.context["form"].errors["photos"])
    assert not Opinion.objects.exists()


def test_submit_is_rate_limited_with_a_chinese_429(world, client, settings):
    settings.RENDA_PUBLIC_RATES = {"submit": "2/h"}
    url = write_url(world)
    for _i in range(2):
        assert client.post(url, form_data(client, url)).status_code == 302
    response = client.post(url, form_data(client, url))
    assert response.status_code == 429
    assert "提交次数过多" in response.content.decode()
    assert Opinion.objects.count() == 2


def test_unknown_or_terminated_deputy_has_no_submit_page(world, client):
    assert client.get(reverse("voice:submit_deputy", args=[world.terminated_deputy.pk])).status_code == 404
    assert client.get("/deputy/abc/write/").status_code == 404
    assert client.get("/station/999999/write/").status_code == 404


def test_similar_open_opinions_partial(world, client):
    submit(world, title="电梯坏了请联系13811112222")
    other = submit(world, title="路面积水")
    services.opinion_decline(opinion_id=other.pk, actor=as_role(world, "deputy"), reason="不属实")
    response = client.get(reverse("voice:similar"), {"community": world.community.pk, "title": "电梯", "text": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "电梯坏了请联系138****2222" in html
    assert "13811112222" not in html and "路面积水" not in html
    empty = client.get(reverse("voice:similar"), {"community": "abc", "title": "电梯"})
    assert empty.status_code == 200 and "电梯" not in empty.content.decode()


# --- track --------------------------------------------------------------------------------------
def test_track_with_code_and_digits_shows_the_timeline(world, client):
    opinion = submit(world)
    services.opinion_accept(opinion_id=opinion.pk, actor=as_role(world, "deputy"))
    services.opinion_forward(opinion_id=opinion.pk, actor=as_role(world, "deputy"), unit_ids=[world.unit.pk],
                             note="请核实。内部备注")
    response = grant(client, opinion)
    assert response["Location"] == reverse("voice:track_detail", args=[opinion.tracking_code])
    html = client.get(response["Location"]).content.decode()
    assert "转办中" in html and "市住房和城乡建设局" in html
    assert "提交意见" in html and "受理" in html
    assert "内部备注" not in html
    assert "13811112222" not in html and "138****2222" in html


@pytest.mark.parametrize("wrong", ["digits", "code"])
def test_track_wrong_code_or_digits_gives_one_generic_error(world, client, wrong):
    opinion = submit(world)
    data = {"code": opinion.tracking_code, "digits": "2222"}
    data["digits" if wrong == "digits" else "code"] = "9999" if wrong == "digits" else "ZZZZZZZZZZ"
    response = client.post(reverse("voice:track"), data)
    assert response.status_code == 200
    assert str(ERR_TRACK) in response.content.decode()
    # No grant: the item page still asks for the proof.
    detail = client.get(reverse("voice:track_detail", args=[opinion.tracking_code]))
    assert detail.status_code == 302 and detail["Location"].startswith(reverse("voice:track"))


def test_track_is_rate_limited(world, client, settings):
    settings.RENDA_PUBLIC_RATES = {"track": "3/h"}
    for _i in range(3):
        assert client.post(reverse("voice:track"), {"code": "AAAAAAAAAA", "digits": "1234"}).status_code == 200
    assert client.post(reverse("voice:track"), {"code": "AAAAAAAAAA", "digits": "1234"}).status_code == 429


def test_anonymous_item_opens_with_the_code_alone(world, client):
    opinion = submit(world, phone="")
    response = client.post(reverse("voice:track"), {"code": opinion.tracking_code.lower(), "digits": ""})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_script_in_every_text_field_is_escaped_on_the_track_page(world, client):
    url = write_url(world)
    evil = "<script>alert(1)</script>"
    client.post(url, form_data(client, url, title=f"标题{evil}", text=f"内容{evil}", citizen_name=f"{evil}"))
    opinion = Opinion.objects.get()
    html = client.get(reverse("voice:track_detail", args=[opinion.tracking_code])).content.decode()
    assert "<script>alert(1)" not in html
    assert "标题&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "内容&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_declined_item_shows_the_reason(world, client):
    opinion = submit(world)
    services.opinion_decline(opinion_id=opinion.pk, actor=as_role(world, "deputy"),
                             reason="不属于代表履职范围，请拨打12345。")
    grant(client, opinion)
    html = client.get(reverse("voice:track_detail", args=[opinion.tracking_code])).content.decode()
    assert "不予受理" in html and "请拨打12345" in html


# --- rate ---------------------------------------------------------------------------------------
def test_rating_unsatisfied_reopens_then_satisfied_closes(world, client):
    deputy = as_role(world, "deputy")
    opinion = submit(world)
    services.opinion_accept(opinion_id=opinion.pk, actor=deputy)
    services.opinion_answer(opinion_id=opinion.pk, actor=deputy, reply_text="已联系物业维修。")
    grant(client, opinion)
    detail_url = reverse("voice:track_detail", args=[opinion.tracking_code])
    page = client.get(detail_url).content.decode()
    assert "已联系物业维修" in page and "重新办理一次" in page

    rate_url = reverse("voice:rate", args=[opinion.tracking_code])
    assert client.post(rate_url, {"rating": "bogus"}).status_code == 200  # a form error, nothing changes
    response = client.post(rate_url, {"rating": "unsatisfied", "comment": "还是坏的"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == S.REHANDLING and opinion.current_due is not None and opinion.rehandle_count == 1

    services.opinion_answer(opinion_id=opinion.pk, actor=deputy, reply_text="已更换电梯主板。")
    page = client.get(detail_url).content.decode()
    assert "已更换电梯主板" in page and "本次评价后即办结" in page
    client.post(rate_url, {"rating": "satisfied", "comment": "谢谢"})
    opinion.refresh_from_db()
    assert opinion.status == S.CLOSED and opinion.rating == "satisfied"
    # Rating twice is refused with a clear message, not a 500.
    again = client.post(rate_url, {"rating": "unsatisfied"})
    assert again.status_code == 200 and "不能评价" in again.content.decode()


def test_rating_needs_the_grant(world, client):
    opinion = submit(world)
    response = client.post(reverse("voice:rate", args=[opinion.tracking_code]), {"rating": "satisfied"})
    assert response.status_code == 404


# --- published ----------------------------------------------------------------------------------
def test_published_pages_show_the_redacted_copy_only(world, client):
    deputy = as_role(world, "deputy")
    opinion = submit(world, title="王小明家门口路灯坏了", text="我是王小明，电话13811112222，路灯坏了。")
    services.opinion_accept(opinion_id=opinion.pk, actor=deputy)
    services.opinion_answer(opinion_id=opinion.pk, actor=deputy, reply_text="已修复，王小明可来电13811112222确认。")
    services.opinion_rate(opinion_id=opinion.pk, citizen=Citizen(opinion.pk), rating="satisfied")
    hidden = submit(world, title="未公开的意见")
    services.opinion_publish(opinion_id=opinion.pk, actor=as_role(world, "staff"), title="路灯坏了",
                             text="某居民反映路灯坏了。", reply="已修复。")
    listing = client.get(reverse("voice:published")).content.decode()
    assert "路灯坏了" in listing and "未公开的意见" not in listing and "王小明" not in listing
    detail = client.get(reverse("voice:published_detail", args=[opinion.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "某居民反映路灯坏了" in html and "已修复。" in html
    for secret in ("王小明", "13811112222", "138****2222", "我是"):
        assert secret not in html
    assert client.get(reverse("voice:published_detail", args=[hidden.pk])).status_code == 404
    assert client.get("/published/abc/").status_code == 404
    filtered = client.get(reverse("voice:published"), {"category": Category.objects.exclude(
        pk=opinion.category_id).first().pk}).content.decode()
    assert "路灯坏了" not in filtered
    assert client.get(reverse("voice:published"), {"page": "999", "town": "x"}).status_code == 200


def test_published_list_query_count_is_bounded(world, client, django_assert_max_num_queries):
    from renda.opinions.matrix_world import ow

    assert ow(world).closed.is_published
    with django_assert_max_num_queries(8):
        client.get(reverse("voice:published"))


# --- posters --------------------------------------------------------------------------------------
def test_posters_png_and_pdf(world, client):
    response = client.get(reverse("voice:deputy_poster_png", args=[world.deputy.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    img = Image.open(io.BytesIO(response.content))
    assert img.size == (1240, 1754)
    pdf = client.get(reverse("voice:deputy_poster_pdf", args=[world.deputy.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert cjk_font_path() is not None, "fonts-noto-cjk is not installed"
    assert re.search(rb"Noto-?Sans-?CJK", pdf_font_names(pdf.content))
    station_png = client.get(reverse("voice:station_poster_png", args=[world.station.pk]))
    assert station_png.status_code == 200 and station_png["Content-Type"] == "image/png"
    station_pdf = client.get(reverse("voice:station_poster_pdf", args=[world.station.pk]))
    assert station_pdf["Content-Type"] == "application/pdf"
    assert re.search(rb"Noto-?Sans-?CJK", pdf_font_names(station_pdf.content))


def test_poster_qr_opens_the_submit_page(world, client):
    from renda.core.qr import qr_image
    from renda.opinions.posters import Poster

    url = "http://testserver" + reverse("voice:submit_deputy", args=[world.deputy.pk])
    assert qr_image(url).size[0] > 100
    assert Poster(congress="x", name="y", url=url).url.endswith(f"/deputy/{world.deputy.pk}/write/")


def test_terminated_deputy_has_no_poster(world, client):
    assert client.get(reverse("voice:deputy_poster_png", args=[world.terminated_deputy.pk])).status_code == 404
    assert client.get(reverse("voice:deputy_poster_pdf", args=[world.terminated_deputy.pk])).status_code == 404
    assert client.get("/station/abc/poster.pdf").status_code == 404

"""The citizen's pages (no account): submit an opinion, track it, rate the reply, read published
opinions, print a deputy's or station's QR poster.

Views parse input, call one service or selector, render. Access to one's own item is a grant in
the session, given after the tracking code (and the phone's last 4 digits) were proven or right
after submitting; without it the tracking page asks for the code again, whether the code exists
or not. Forms that write are rate limited per IP (django-ratelimit, settings below) and carry the
anti-bot check of antibot.py.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from renda.core.masking import mask_free_text, mask_name, mask_phone
from renda.core.search.segmentation import cut, is_han
from renda.core.workflow import ConflictError, InvalidTransition
from renda.deputies.models import Deputy, LiaisonStation
from renda.org.selectors import towns_public
from renda.portal import selectors as portal
from renda.portal.views import public_page

from . import selectors, selectors_public, services
from .actors import Citizen
from .forms_public import ERR_TRACK, OpinionSubmitForm, RateForm, TrackForm
from .models import Opinion
from .posters import Poster, poster_pdf, poster_png

MAX_ID = 2**63 - 1
GRANTS_KEY = "voice_grants"
MAX_GRANTS = 20
PUBLISHED_PAGE_SIZE = 20
SIMILAR_LIMIT = 5

# Per IP. A station's Wi-Fi at a 民声茶坊 evening puts many people behind one address: the limits
# stop scripts, not a crowd; raise them in settings if an event needs it. None switches one off.
DEFAULT_RATES = {"submit": "10/h", "track": "20/h", "similar": "120/m"}

DEPUTY_NOT_FOUND = _("未找到该代表。代表信息可能已更新，请通过“找代表”重新查找。")
STATION_NOT_FOUND = _("未找到该联络站。请通过“找代表”重新查找。")
PUBLISHED_NOT_FOUND = _("未找到该公开意见，可能已撤回公开。")
ERR_RATE_STATE = _("该意见当前不能评价（可能已经评价过）。")


# --- helpers -----------------------------------------------------------------------------------
def _parse_id(value) -> int | None:
    value = str(value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def _rate(group: str) -> str | None:
    rates = {**DEFAULT_RATES, **getattr(settings, "RENDA_PUBLIC_RATES", {})}
    return rates.get(group)


def _limited(request, group: str) -> bool:
    rate = _rate(group)
    if not rate:
        return False
    return is_ratelimited(request, group=f"voice:{group}", key="ip", rate=rate, method=ALL, increment=True)


def _too_many(request, message: str):
    return render(request, "opinions/public/limited.html", {"message": message}, status=429)


def _not_found(request, message):
    return render(request, "portal/not_found.html", {"message": message}, status=404)


def _grant(request, opinion: Opinion) -> None:
    grants = [pk for pk in request.session.get(GRANTS_KEY, []) if pk != opinion.pk]
    request.session[GRANTS_KEY] = [*grants, opinion.pk][-MAX_GRANTS:]


def _granted(request, opinion: Opinion | None) -> bool:
    return opinion is not None and opinion.pk in request.session.get(GRANTS_KEY, [])


def _opinion_by_code(code: str) -> Opinion | None:
    """Only ever used together with a session grant (which proves the code was already checked)."""
    return selectors_public.opinion_for_code(code=services.tracking_code_normalize(code))


# --- submit ---------------------------------------------------------------------------------------
def _active_deputy(deputy_id) -> Deputy:
    pk = _parse_id(deputy_id)
    if pk is None:
        raise Deputy.DoesNotExist
    return portal.deputy_public_get(deputy_id=pk)


def _station(station_id) -> LiaisonStation:
    pk = _parse_id(station_id)
    if pk is None:
        raise LiaisonStation.DoesNotExist
    return portal.station_public_get(station_id=pk)


@never_cache
@require_http_methods(["GET", "POST"])
def submit_deputy(request, deputy_id: str):
    try:
        deputy = _active_deputy(deputy_id)
    except Deputy.DoesNotExist:
        return _not_found(request, DEPUTY_NOT_FOUND)
    return _submit(request, target={"deputy_id": deputy.pk},
                   communities=list(selectors_public.communities_for_deputy(deputy=deputy)),
                   context={"deputy": deputy, "addressee": deputy.person.name,
                            "addressee_title": portal.congress_deputy_title(congress=deputy.congress),
                            "back_url": reverse("portal:deputy", args=[deputy.pk])})


@never_cache
@require_http_methods(["GET", "POST"])
def submit_station(request, station_id: str):
    try:
        station = _station(station_id)
    except LiaisonStation.DoesNotExist:
        return _not_found(request, STATION_NOT_FOUND)
    return _submit(request, target={"station_id": station.pk},
                   communities=list(selectors_public.communities_for_station(station=station)),
                   context={"station": station, "addressee": station.name,
                            "addressee_title": station.get_kind_display(),
                            "back_url": reverse("portal:station", args=[station.pk])})


def _submit(request, *, target: dict, communities: list, context: dict):
    categories = list(selectors.categories_active())
    kwargs = {"categories": categories, "communities": communities}
    if request.method == "POST":
        if _limited(request, "submit"):
            return _too_many(request, _("提交次数过多，请一小时后再试。如有急事，请拨打联络站电话。"))
        form = OpinionSubmitForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                opinion, _created = services.opinion_submit(
                    category_id=cd["category"], title=cd["title"], text=cd["text"], community_id=cd["community"],
                    citizen_name=cd["citizen_name"], citizen_phone=cd["citizen_phone"], photos=cd["photos"],
                    idempotency_key=str(cd["idempotency_key"]), **target)
            except ValidationError as e:
                for field, errors in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                # A retried POST (same idempotency key) lands here too, with the first opinion.
                _grant(request, opinion)
                return redirect("voice:receipt", code=opinion.tracking_code)
        if form.antibot_code:
            form.renew_token()
        photos_lost = bool(request.FILES)
    else:
        community = _parse_id(request.GET.get("community"))
        initial = {"community": community} if community in {c.pk for c in communities} else {}
        form = OpinionSubmitForm(initial=OpinionSubmitForm.fresh_initial(**initial), **kwargs)
        photos_lost = False
    return render(request, "opinions/public/submit.html", {
        **context, "form": form, "photos_lost": photos_lost, "action": request.path,
    })


@require_GET
def similar(request):
    """Open opinions in the same community that look like the draft (htmx partial, public)."""
    items: list[Opinion] = []
    if not _limited(request, "similar"):
        community = _parse_id(request.GET.get("community"))
        draft = " ".join(request.GET.get(k, "")[:200] for k in ("title", "text")).strip()
        if community and len(draft) >= 2:
            # The search ANDs its terms, so a whole draft rarely matches: ask for the title first,
            # then for its longest words one by one. At most four queries.
            queries = [request.GET.get("title", "")[:100] or draft[:60]]
            words = sorted({w for w in cut(draft[:200]) if len(w) >= 2 and all(is_han(ch) for ch in w)},
                           key=len, reverse=True)
            queries += words[:3]
            seen = set()
            for q in queries:
                for o in selectors.similar_open_opinions(community_id=community, text=q, limit=SIMILAR_LIMIT):
                    if o.pk not in seen and len(items) < SIMILAR_LIMIT:
                        seen.add(o.pk)
                        items.append(o)
                if len(items) >= SIMILAR_LIMIT:
                    break
    rows = [{"title": mask_free_text(o.title), "category": o.category.name, "status": o.get_status_display(),
             "date": o.submitted_at} for o in items]
    response = render(request, "opinions/public/similar.html", {"rows": rows})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def receipt(request, code: str):
    opinion = _opinion_by_code(code)
    if not _granted(request, opinion):
        raise Http404
    opinion = selectors_public.opinion_public_get(opinion_id=opinion.pk)
    return render(request, "opinions/public/receipt.html", {"opinion": opinion})


# --- track and rate ---------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "POST":
        if _limited(request, "track"):
            return _too_many(request, _("查询次数过多，请一小时后再试。"))
        form = TrackForm(request.POST)
        if form.is_valid():
            opinion = selectors.opinion_track(code=form.cleaned_data["code"],
                                              phone_last4=form.cleaned_data["digits"])
            if opinion is not None:
                _grant(request, opinion)
                return redirect("voice:track_detail", code=opinion.tracking_code)
            form.add_error(None, ERR_TRACK)
    else:
        form = TrackForm(initial={"code": services.tracking_code_normalize(request.GET.get("code", ""))})
    return render(request, "opinions/public/track.html", {"form": form})


@never_cache
@require_GET
def track_detail(request, code: str):
    opinion = _opinion_by_code(code)
    if not _granted(request, opinion):
        # Same answer whether the code exists or not: go and prove it.
        return redirect(reverse("voice:track") + "?" + urlencode({"code": services.tracking_code_normalize(code)}))
    return _render_tracked(request, selectors_public.opinion_public_get(opinion_id=opinion.pk), RateForm())


def _render_tracked(request, opinion: Opinion, rate_form, status: int = 200):
    return render(request, "opinions/public/track_detail.html", {
        "opinion": opinion,
        "steps": selectors.opinion_public_timeline(opinion),
        "units": selectors_public.opinion_public_units(opinion=opinion),
        "rate_form": rate_form,
        "can_rate": opinion.status == Opinion.Status.REPLIED,
        "reopen_left": opinion.rehandle_count == 0,
        # The citizen's own details, masked anyway: a phone left on a shared screen shows no more.
        "contact": " ".join(x for x in (mask_name(opinion.citizen_name), mask_phone(opinion.citizen_phone)) if x),
    }, status=status)


@never_cache
@require_POST
def rate(request, code: str):
    opinion = _opinion_by_code(code)
    if not _granted(request, opinion):
        raise Http404
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.opinion_rate(opinion_id=opinion.pk, citizen=Citizen(opinion.pk),
                                  rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (ConflictError, InvalidTransition, PermissionDenied):
            form.add_error(None, ERR_RATE_STATE)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("voice:track_detail", code=opinion.tracking_code)
    return _render_tracked(request, selectors_public.opinion_public_get(opinion_id=opinion.pk), form)


# --- published ----------------------------------------------------------------------------------------
@public_page
@require_GET
def published(request):
    category = _parse_id(request.GET.get("category"))
    town = _parse_id(request.GET.get("town"))
    page = Paginator(selectors.published_list(category=category, town=town).only(
        "id", "published_title", "published_at", "category__name", "town__name"),
        PUBLISHED_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("category", category), ("town", town)) if v})
    return render(request, "opinions/public/published_list.html", {
        "page": page, "category": category, "town": town, "query": query,
        "categories": selectors.categories_active(), "towns": towns_public().only("id", "name"),
    })


@public_page
@require_GET
def published_detail(request, opinion_id: str):
    try:
        opinion = selectors.published_get(opinion_id=_parse_id(opinion_id))
    except Opinion.DoesNotExist:
        return _not_found(request, PUBLISHED_NOT_FOUND)
    return render(request, "opinions/public/published_detail.html", {"opinion": opinion})


# --- QR posters ------------------------------------------------------------------------------------------
def _poster_response(poster: Poster, fmt: str, filename: str) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(poster_pdf(poster), content_type="application/pdf")
    else:
        response = HttpResponse(poster_png(poster), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    return response


def _deputy_poster(request, deputy_id: str, fmt: str):
    try:
        deputy = _active_deputy(deputy_id)
    except Deputy.DoesNotExist:
        return _not_found(request, DEPUTY_NOT_FOUND)
    lines = [_("选区：%(d)s") % {"d": deputy.district.name}] if deputy.district_id else []
    poster = Poster(congress=portal.congress_deputy_title(congress=deputy.congress), name=deputy.person.name,
                    lines=lines, call=_("扫码向代表反映意见"),
                    url=request.build_absolute_uri(reverse("voice:submit_deputy", args=[deputy.pk])))
    return _poster_response(poster, fmt, f"deputy-{deputy.pk}-poster")


def _station_poster(request, station_id: str, fmt: str):
    try:
        station = _station(station_id)
    except LiaisonStation.DoesNotExist:
        return _not_found(request, STATION_NOT_FOUND)
    lines = [_("地址：%(a)s") % {"a": station.address}]
    if station.reception_days:
        lines.append(_("接待日：%(d)s") % {"d": station.reception_days})
    if station.phone:
        lines.append(_("电话：%(p)s") % {"p": station.phone})
    poster = Poster(congress=station.congress.name, name=station.name, lines=lines, call=_("扫码向代表反映意见"),
                    url=request.build_absolute_uri(reverse("voice:submit_station", args=[station.pk])))
    return _poster_response(poster, fmt, f"station-{station.pk}-poster")


@public_page
@require_GET
def deputy_poster_png(request, deputy_id: str):
    return _deputy_poster(request, deputy_id, "png")


@public_page
@require_GET
def deputy_poster_pdf(request, deputy_id: str):
    return _deputy_poster(request, deputy_id, "pdf")


@public_page
@require_GET
def station_poster_png(request, station_id: str):
    return _station_poster(request, station_id, "png")


@public_page
@require_GET
def station_poster_pdf(request, station_id: str):
    return _station_poster(request, station_id, "pdf")

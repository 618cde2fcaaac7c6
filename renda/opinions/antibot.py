"""A light anti-bot check for the public forms, with no external service (no captcha provider).

Two signals, both invisible to a person:

* a honeypot: a text field hidden with CSS (and from screen readers and the tab order) that a
  person never fills and a form-filling bot usually does;
* a signed timestamp rendered into the form (`django.core.signing`): a POST must carry a token we
  issued, not forged, at least RENDA_ANTIBOT_MIN_SECONDS old (a person needs more than 3 seconds
  to write an opinion; a bot posts at once) and at most RENDA_ANTIBOT_MAX_SECONDS old (a token
  cannot be harvested once and replayed for days).

A rejected form keeps what the person typed and says plainly what to do (wait and send again,
or reload the page). Tests and the browser test set RENDA_ANTIBOT_MIN_SECONDS to 0.
"""

import time

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"
SALT = "renda.opinions.antibot"

ERR_TOO_FAST = _("提交太快了。请检查一下内容，几秒钟后再点“提交”。您填写的内容都还在。")
ERR_EXPIRED = _("页面打开时间过长，已失效。请再点一次“提交”（您填写的内容都还在）。")
ERR_BOT = _("提交未通过安全检查。请检查内容后再点一次“提交”（您填写的内容都还在）。")


def min_seconds() -> float:
    return float(getattr(settings, "RENDA_ANTIBOT_MIN_SECONDS", 3))


def max_seconds() -> float:
    return float(getattr(settings, "RENDA_ANTIBOT_MAX_SECONDS", 2 * 60 * 60))


def antibot_token(*, now: float | None = None) -> str:
    """A token saying "this form was rendered at <now>", signed with SECRET_KEY."""
    return signing.dumps({"t": round(now if now is not None else time.time(), 3)}, salt=SALT, compress=False)


def antibot_check(data, *, now: float | None = None) -> tuple[str, object] | None:
    """None when the POST looks human; otherwise (code, message).

    Codes: "honeypot", "token_missing", "token_invalid", "too_fast", "expired". A stale token
    is answered with a fresh one by the view, so the person only has to press the button again.
    """
    now = now if now is not None else time.time()
    if (data.get(HONEYPOT_FIELD) or "").strip():
        return "honeypot", ERR_BOT
    token = data.get(TOKEN_FIELD) or ""
    if not token:
        return "token_missing", ERR_BOT
    try:
        issued = float(signing.loads(token, salt=SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "token_invalid", ERR_BOT
    age = now - issued
    if age < min_seconds():
        return "too_fast", ERR_TOO_FAST
    if age > max_seconds():
        return "expired", ERR_EXPIRED
    return None

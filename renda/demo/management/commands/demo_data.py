"""`manage.py demo_data [--reset]`: load the Taicang demo and print the demo accounts."""

import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from renda.demo.meetings import demo_meetings_delete, load_demo_meetings
from renda.demo.opinions import demo_opinions_delete, load_demo_opinions
from renda.demo.selectors import demo_account_rows
from renda.demo.services import DemoResetBlocked, load_demo
from renda.demo.suggestions import demo_suggestions_delete, load_demo_suggestions

URL = "http://127.0.0.1:8000/"


def _width(text: str) -> int:
    # CJK characters take two terminal columns; without this the table's columns drift.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "载入太仓演示数据（已存在则跳过），并列出演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="删除已有演示数据后重新载入")

    def handle(self, *args, reset: bool = False, **options):
        try:
            if reset:
                demo_opinions_delete()  # they point at the demo's deputies, stations and units
                demo_suggestions_delete()  # so do the suggestions (and their units' liaison accounts)
                demo_meetings_delete()  # and the meetings' seats, votes and documents
            counts = load_demo(stdout=self.stdout, reset=reset)
        except DemoResetBlocked as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("市人大代表 %(city)s 名，镇人大代表 %(town)s 名，街道议政代表 %(street)s 名，"
                            "承办单位 %(units)s 个，代表联络站 %(stations)s 个。") % {
            "city": counts["city_deputies"], "town": counts["town_deputies"], "street": counts["street_deputies"],
            "units": counts["units"], "stations": counts["stations"]})
        load_demo_opinions(stdout=self.stdout)
        load_demo_suggestions(stdout=self.stdout)
        load_demo_meetings(stdout=self.stdout)
        self._print_accounts()

    def _print_accounts(self) -> None:
        header = (_("用户名"), _("密码"), _("角色"), _("范围"))
        rows = [header] + [(r.username, r.password, r.role, r.scope) for r in demo_account_rows()]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("演示账号（密码仅用于演示，切勿用于生产环境）")))
        for n, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(_("请打开 %(url)s 登录。") % {"url": URL})

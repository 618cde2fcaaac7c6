"""manage.py api_token_create <username> <name>: print a new API token once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.api.services import token_create

ERR_NO_USER = gettext_lazy("没有这个用户：%s")
ERR_NO_NAME = gettext_lazy("请给令牌起个名称（用途）。")


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 数据大屏")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(str(ERR_NO_USER) % username)
        if not name.strip():
            raise CommandError(str(ERR_NO_NAME))
        token, key = token_create(user=user, name=name)
        self.stderr.write(_("令牌 %(prefix)s… 已创建（%(name)s）。它只显示这一次，请妥善保存：")
                          % {"prefix": token.prefix, "name": token.name})
        self.stdout.write(key)

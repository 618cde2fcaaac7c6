"""manage.py open311_demo_key [--congress ID] [--name NAME]: create or rotate the demo Open311 key.

Revokes the congress's earlier active keys of the same name, creates a new one and prints the raw
key on stdout (only this once; the database keeps a hash). `make run` calls it to show a demo key.
"""

from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from renda.opinions import services
from renda.opinions.models import ApiKey

DEFAULT_NAME = "演示：12345 政务服务便民热线"


@dataclass(frozen=True)
class Console:
    """Whoever runs manage.py on the server: may issue and revoke keys, nothing else."""

    pk = None
    active_role = "console"
    is_authenticated = False

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm == "opinions.manage"


class Command(BaseCommand):
    help = "Create (or rotate) the demo Open311 API key of the city congress and print it."

    def add_arguments(self, parser):
        parser.add_argument("--congress", type=int, help="congress id (default: the top-level city congress)")
        parser.add_argument("--name", default=DEFAULT_NAME)

    def handle(self, *args, congress: int | None = None, name: str = DEFAULT_NAME, **options):
        from renda.org.models import Congress

        qs = Congress.objects.filter(pk=congress) if congress else Congress.objects.filter(
            parent__isnull=True).order_by("path", "id")
        target = qs.first()
        if target is None:
            raise CommandError(_("没有找到人大（请先运行 manage.py demo_data）。"))
        actor = Console()
        for old in ApiKey.objects.filter(congress=target, name=name, revoked_at__isnull=True):
            services.api_key_revoke(actor=actor, key_id=old.pk)
        key, raw = services.api_key_create(actor=actor, congress=target, name=name)
        self.stderr.write(_("%(congress)s 的 Open311 演示密钥（%(prefix)s…，旧的同名密钥已吊销）：")
                          % {"congress": target.short_name, "prefix": key.prefix})
        self.stdout.write(raw)

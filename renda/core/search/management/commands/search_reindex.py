"""Rebuild the search index of registered models, with a progress bar per model.

    manage.py search_reindex                      # every registered model
    manage.py search_reindex suggestions.Suggestion --batch-size 1000
    manage.py search_reindex --rebuild-fulltext   # SQLite: also rebuild FTS5 from the table

Run it after bulk writes (QuerySet.update, bulk_create, imports, loaddata): they send no
signal, so automatic indexing does not see them.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from renda.core.search import registry, services

ERROR_UNKNOWN_MODEL = "未知模型：%s（格式 app_label.ModelName）"
ERROR_NOT_REGISTERED = "模型 %s 未注册检索"


class Command(BaseCommand):
    help = "重建检索索引（全部已注册模型，或指定的 app_label.ModelName）"

    def add_arguments(self, parser):
        parser.add_argument("models", nargs="*", help="app_label.ModelName")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--rebuild-fulltext", action="store_true",
                            help="SQLite: rebuild the FTS5 table from search_searchdocument")

    def handle(self, *args, models: list[str], batch_size: int, rebuild_fulltext: bool, **options):
        models = [self._model(label) for label in models] or registry.registered_models()
        if not models:
            self.stdout.write(_("没有已注册检索的模型。"))
        for model in models:
            registration = registry.get(model)
            total = registration.get_queryset().count()
            with tqdm(total=total, desc=model._meta.label, unit=_("条"), file=self.stderr._out,
                      disable=options["verbosity"] == 0) as bar:
                indexed = services.reindex(
                    model, batch_size=max(1, batch_size), progress=bar.update
                )
            if options["verbosity"]:
                self.stdout.write(
                    _("%(model)s：已索引 %(count)d 条") % {"model": model._meta.label, "count": indexed}
                )
        if rebuild_fulltext:
            services.fulltext_rebuild()
            self.stdout.write(_("全文索引已重建。"))

    def _model(self, label: str):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            raise CommandError(ERROR_UNKNOWN_MODEL % label) from None
        if not registry.is_registered(model):
            raise CommandError(ERROR_NOT_REGISTERED % label)
        return model

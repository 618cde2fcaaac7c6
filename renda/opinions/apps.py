from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "renda.opinions"
    verbose_name = _("民意高速通道")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import hooks, rules  # noqa: F401  (permissions; search, attachment and deadline hooks)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "renda.ballots"
    verbose_name = _("表决")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import rules_perms  # noqa: F401  (permissions)

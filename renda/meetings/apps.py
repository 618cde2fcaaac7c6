from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "renda.meetings"
    verbose_name = _("会议")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import hooks, rules  # noqa: F401  (permissions; document downloads)

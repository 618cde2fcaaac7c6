from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "renda.suggestions"
    verbose_name = _("代表建议办理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import hooks, rules  # noqa: F401  (permissions; search, attachment and deadline hooks)

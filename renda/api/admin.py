from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked here; they are created with `manage.py api_token_create`, which
    can show the plaintext once (the admin never sees it)."""

    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        done = 0
        for token in queryset:
            try:
                token_revoke(token_id=token.pk, actor=request.user)
                done += 1
            except ApiToken.DoesNotExist:
                messages.error(request, _("只能吊销自己的令牌：%s") % token)
        if done:
            messages.success(request, _("已吊销 %d 个令牌。") % done)

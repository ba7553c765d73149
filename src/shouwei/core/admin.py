from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ApiToken,
    Notification,
    PeerGroup,
    PeerGroupMembership,
    RoleAssignment,
    ScheduledJob,
    Unit,
)

admin.site.site_header = "首位 · 系统管理"
admin.site.site_title = "首位"

_admin_login = admin.site.login


def _platform_login(request, extra_context=None):
    """Nobody logs in through the admin's own form: it would skip the second factor
    (core.twofactor). Anonymous visitors and every POST go to the platform's login; a
    logged-in person still sees the admin's page (which says whether they may go further)."""
    from django.contrib.auth.views import redirect_to_login

    if request.method != "GET" or not request.user.is_authenticated:
        return redirect_to_login(request.GET.get("next") or "/admin/")
    return _admin_login(request, extra_context)


admin.site.login = _platform_login

_admin_view = admin.site.admin_view


def _admin_view_with_reauth(view, cacheable=False):
    """Every page of the admin (role changes among them) asks for the password again when it
    was last given more than SHOUWEI_REAUTH_MINUTES ago (core.reauth); after the admin's own
    check, so that a person who is no staff meets the admin's login, not a password prompt.
    Logging out is never held up."""
    from .reauth import reauth_required

    if view == admin.site.logout:
        return _admin_view(view, cacheable)
    return _admin_view(reauth_required(view), cacheable)


admin.site.admin_view = _admin_view_with_reauth


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "short_name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent",)


class MembershipInline(admin.TabularInline):
    model = PeerGroupMembership
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(PeerGroup)
class PeerGroupAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    inlines = [MembershipInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name")
    autocomplete_fields = ("unit",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("name", "user__username")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "level", "created_at", "read_at")
    list_filter = ("level",)
    search_fields = ("title", "key", "recipient__username")
    raw_id_fields = ("recipient",)


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Operators see when each periodic job last ran and why it last failed."""

    list_display = ("name", "next_run_at", "last_enqueued_at", "last_finished_at")
    readonly_fields = ("name", "last_enqueued_at", "last_finished_at", "last_error")


# An account an administrator creates, or whose password they reset, changes its password at
# its first login (core.passwords): the administrator never knows the password in use.
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import UserAdmin  # noqa: E402

from .passwords import require_change  # noqa: E402

_User = get_user_model()


class ShouweiUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.pk != request.user.pk:
            require_change(obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if (
            request.method == "POST"
            and response.status_code == 302
            and str(id) != str(request.user.pk)
        ):
            require_change(_User.objects.get(pk=id))
        return response


if admin.site.is_registered(_User):
    admin.site.unregister(_User)
admin.site.register(_User, ShouweiUserAdmin)


# django-otp's own admin pages show a device's secret and its QR code to any staff member who
# may view devices: a second factor is enrolled only by its owner (/accounts/2fa/).
def _hide_totp_admin() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)


_hide_totp_admin()

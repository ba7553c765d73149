from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .generic import ScopedModelForm
from .models import PeerGroup, Unit


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续输错多次后账号将被临时锁定。"),
        "inactive": _("该账号已停用。"),
    }


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "kind", "parent", "sort_order"]


class PeerGroupForm(ScopedModelForm):
    class Meta:
        model = PeerGroup
        fields = ["code", "name", "description"]

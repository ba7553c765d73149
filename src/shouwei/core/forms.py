from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .generic import ScopedModelForm
from .models import PeerGroup, Unit
from .uploads import IMAGE_TYPES


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


class ReauthForm(forms.Form):
    """The password again, and the authenticator's code when the person has a device
    (core.reauth); the view checks both and drops ``code`` for those without one."""

    password = forms.CharField(
        label=_("密码"),
        strip=False,
        max_length=4096,
        help_text=_("您登录时使用的密码。"),
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password", "autofocus": True}
        ),
    )
    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        help_text=_("认证器应用显示的 6 位数字，或一个恢复码。"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, needs_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_code:
            del self.fields["code"]


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "kind", "parent", "sort_order"]


class PeerGroupForm(ScopedModelForm):
    class Meta:
        model = PeerGroup
        fields = ["code", "name", "description"]


class ImageUploadField(forms.FileField):
    """A file input whose picker offers only the image types ``uploads.check_image`` accepts;
    the check itself is done there, on the bytes, whatever the picker let through."""

    def __init__(self, **kwargs):
        accept = ",".join(IMAGE_TYPES.values())
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)


class SecondFactorCodeForm(forms.Form):
    """The code of the login's second step, or of an enrolment's confirmation."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        help_text=_("认证器应用显示的 6 位数字；登录时也可填写一个恢复码。"),
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

"""The model form every view set's add/edit page uses, and how a service's refusal lands on it."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ..permissions import ADD, CHANGE, ScopedQuerySet, visible_users, writable_units


class ScopedModelForm(forms.ModelForm):
    """A model form that only offers choices the user may see: units the record may be placed
    at (each of its contract's unit fields), records the user may read, people of the user's
    own units. The whole record is checked against the contract again when it is saved."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None:
            return
        model = self._meta.model
        contract = getattr(model, "contract", None)
        unit_fields = set(contract.unit_fields) if contract else set()
        action = CHANGE if self.instance.pk else ADD
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            qs = field.queryset
            if name in unit_fields:
                field.queryset = writable_units(user, model, action, name).order_by("path")
            elif isinstance(qs, ScopedQuerySet):
                field.queryset = qs.visible_to(user)
            elif qs.model is get_user_model():
                field.queryset = qs.filter(pk__in=visible_users(user).values("pk"))


def errors_for(form: forms.BaseForm, exc: ValidationError) -> ValidationError:
    """A service's error with its fields mapped onto the form: a field the form does not
    have (``status``) becomes an error of the whole form instead of a crash."""
    if not hasattr(exc, "error_dict"):
        return exc
    mapped: dict[str, list] = {}
    for field, errors in exc.error_dict.items():
        key = field if field in form.fields else NON_FIELD_ERRORS
        mapped.setdefault(key, []).extend(errors)
    return ValidationError(mapped)

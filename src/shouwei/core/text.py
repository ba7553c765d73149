"""Limits on free text (notes, narratives, descriptions): no control characters, bounded length.

A 1 MB note was once accepted, and NUL and other control characters came in from .xlsx notes.
Imports strip the control characters (a spreadsheet carries them invisibly) and refuse text
over the limit; forms and the API refuse both, through ``check_text_fields`` in the models'
validation (full_clean), so every way in gives the same answer.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_limit() -> int:
    return settings.SHOUWEI_TEXT_MAX_CHARS


def strip_control(text: str) -> str:
    return CONTROL.sub("", text)


def text_problem(text: str, *, limit: int | None = None) -> str | None:
    limit = limit or text_limit()
    if CONTROL.search(text):
        return "含有不可见的控制字符，请删除后再提交"
    if len(text) > limit:
        return f"不能超过 {limit} 字（现有 {len(text)} 字）"
    return None


def check_text_fields(instance: models.Model) -> None:
    """Every unbounded text field of the record (TextField), except those the model names in
    ``long_text_fields`` (a portal article's rich-text body), against the limit."""
    long_fields = getattr(instance, "long_text_fields", ())
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.TextField) or field.name in long_fields:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and (problem := text_problem(value)):
            errors[field.name] = f"{field.verbose_name}{problem}"
    if errors:
        raise ValidationError(errors)

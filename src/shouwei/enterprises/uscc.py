"""统一社会信用代码 (unified social credit code), GB 32100-2015.

Eighteen characters from a 31-character alphabet (the digits and the capitals without I, O,
S, V, Z): registration authority (1), organisation kind (1), administrative division (6),
organisation code (9) and a check character computed over the first seventeen: each
character's value times 3^i mod 31 (i = 0…16), summed; the check is 31 − (sum mod 31), with
31 written as 0 (GB 32100-2015, 附录 A/B).
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18


def normalise(value: str) -> str:
    """Full-width characters to half-width, spaces dropped, letters in capitals: a code typed
    as ｇ91… or 91350100m000100y43 is the same code."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def check_character(first17: str) -> str:
    """The check character GB 32100 gives the first seventeen characters."""
    total = sum(VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """The normalised code, or a ValidationError saying what is wrong (the expected check
    character named when only the check fails)."""
    code = normalise(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，现为 %(n)s 位") % {"n": len(code)}, code="length"
        )
    bad = sorted({ch for ch in code if ch not in VALUE})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、S、V、Z）")
            % {"chars": "、".join(bad)},
            code="characters",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：第 18 位应为 %(expected)s，而不是 %(given)s")
            % {"expected": expected, "given": code[17]},
            code="check",
        )
    return code

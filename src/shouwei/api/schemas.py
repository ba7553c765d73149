"""Types and small schemas every router shares.

Decimals travel as JSON strings ("6.9", "499.65"), never as JSON numbers: a number goes through
a binary float in most clients and 0.1 + 0.2 stops being 0.3, while statistics are stored and
compared exactly. Trailing zeros the database pads on (6.900) are dropped; the value is the same.
Input accepts the same strings (a JSON number is accepted too, and read as its decimal text).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

from shouwei.core.periods import Period


def decimal_text(value: Decimal) -> str:
    # normalize() turns 100.0000 into 1E+2; the "f" format writes it back as 100.
    return format(value.normalize(), "f")


DecimalStr = Annotated[
    Decimal,
    PlainSerializer(decimal_text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "format": "decimal",
            "pattern": r"^-?\d+(\.\d+)?$",
            "examples": ["6.9"],
            "description": "十进制数，以字符串传递以免精度损失",
        }
    ),
]


def decimal_pattern(*, whole: int, places: int, signed: bool) -> str:
    # [0-9], not \d: \d also matches other scripts' digits, which a generator following the
    # schema would then send.
    sign = "-?" if signed else ""
    return rf"^{sign}[0-9]{{1,{whole}}}(\.[0-9]{{1,{places}}})?$"


def decimal_in(
    *, whole: int, places: int, signed: bool, description: str, example: str
) -> type[Decimal]:
    """A decimal the API takes, as the model stores it (``whole`` digits before the point,
    ``places`` after). pydantic's own Decimal parsing also takes "", " 5", "1e3" and "12.345"
    — the first is refused later, the rest are not what the schema documents. A string must be
    the pattern the schema states, so that every string the schema admits is one this API
    takes; a JSON number is read as its decimal text and meets the model's own limits."""
    pattern = decimal_pattern(whole=whole, places=places, signed=signed)

    def exact_text(value: object) -> object:
        if isinstance(value, str) and not re.fullmatch(pattern, value):
            # Translated when the request is refused, in the caller's language.
            if signed:
                message = _(
                    "应为数字，整数部分最多 %(whole)s 位，最多 %(places)s 位小数，如 “%(example)s”"
                )
            else:
                message = _(
                    "应为不小于 0 的数字，整数部分最多 %(whole)s 位，最多 %(places)s 位小数，"
                    "如 “%(example)s”"
                )
            raise ValueError(message % {"whole": whole, "places": places, "example": example})
        return value

    return Annotated[
        Decimal,
        BeforeValidator(exact_text),
        # No serializer: routers hand ``payload.dict()`` to services, which want the Decimal.
        WithJsonSchema(
            {
                "type": "string",
                "pattern": pattern,
                "examples": [example],
                "description": description,
            }
        ),
    ]


# A money amount in 亿元 as the models store it (max_digits=12, decimal_places=2), never negative.
AmountIn = decimal_in(
    whole=10,
    places=2,
    signed=False,
    description="金额（亿元），十进制数字符串，不为负，最多两位小数",
    example="12.5",
)


def _period_code(text: str) -> str:
    # PeriodError is a ValueError: pydantic reports its Chinese message as the field's error.
    return Period.parse(text).code


# The schema states the canonical spellings; Period.parse also reads 2022年6月 and 2022.06, as
# Excel sheets write them, so the API accepts those too.
PERIOD_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)(-(0?[1-9]|1[0-2])|[Qq][1-4]|[Hh][12])?$"

PeriodCode = Annotated[
    str,
    AfterValidator(_period_code),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": PERIOD_PATTERN,
            "examples": ["2022H1"],
            "description": "期间：2022-06（月）、2022Q2（季）、2022H1（半年）、2022（年）",
        }
    ),
]


class ErrorOut(Schema):
    """Every error the API returns: ``detail`` is one Chinese sentence; ``errors`` names the
    fields at fault (request field name → messages) when there are any."""

    detail: str
    errors: dict[str, list[str]] | None = None


class UnitRef(Schema):
    code: str
    name: str
    short_name: str


class GroupRef(Schema):
    code: str
    name: str


class IndicatorRef(Schema):
    code: str
    name: str
    short_name: str
    measure: str


# The error statuses any operation may answer with, so that the schema documents them.
# 429: over SHOUWEI_API_RATE_PER_MINUTE (with Retry-After).
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
# Operations with a JSON body also answer 400 when the body is not JSON.
BODY_ERRORS = {**ERRORS, 400: ErrorOut}
# Actions on a record (submit, approve) also answer 409 when its status does not allow them.
ACTION_ERRORS = {**ERRORS, 409: ErrorOut}

MONTH_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])$"

# A month only (monthly project progress): the schema says so, so clients are not surprised.
MonthCode = Annotated[
    str,
    AfterValidator(_period_code),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONTH_PATTERN,
            "examples": ["2022-06"],
            "description": "月份，如 2022-06",
        }
    ),
]

"""Synthetic enterprises, their cadres' assignments and their requests (企业服务 at scale).

The rows go under 衡阳高新区 (the demo zone): its departments serve them and its streets
hold them, so the demo accounts (the leader, the 产业发展局 clerk) read them through the
same ``visible_to`` paths as the demo's own 312 enterprises. Every USCC is valid under GB
32100 (the enterprises app's own check character). The requests are spread over 2021-01 …
2022-07 (the demo's "today" is 2022-07-29) in every state, the time limits per category.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
from django.contrib.auth import get_user_model

from shouwei.core.models import Unit
from shouwei.demo.bulk import RowWriter, existing
from shouwei.demo.registry import ScaleContext, register_scale_generator
from shouwei.enterprises import tallies
from shouwei.enterprises.choices import SLA_DAYS, RequestStatus
from shouwei.enterprises.models import Enterprise, LiaisonAssignment, Request
from shouwei.enterprises.uscc import check_character

NAME_PREFIX = "模拟企业"
REQUEST_PREFIX = "模拟诉求"
INDUSTRIES = ("C39", "C38", "C35", "C26", "C34", "I65", "M73", "C27")
FIRST_DAY = date(2021, 1, 1)
DAYS = (date(2022, 7, 20) - FIRST_DAY).days
ANSWERED = (RequestStatus.ANSWERED, RequestStatus.REVISITED, RequestStatus.RATED)
REQUEST_CHUNK = 50_000
# Every date a request can carry: filed up to DAYS in, answered at most a time limit and a
# week later, rated four days after that.
_DAYS = [FIRST_DAY + timedelta(days=n) for n in range(DAYS + 40)]
day = _DAYS.__getitem__


def uscc(n: int) -> str:
    """The n-th synthetic code: 9 (工商) 1 (企业) 430400 (衡阳市) MB + seven digits + check."""
    body = f"91430400MB{n:07d}"
    return body + check_character(body)


@register_scale_generator("enterprises")
def generate_at_scale(ctx: ScaleContext) -> dict[str, int]:
    return generate(
        enterprises=ctx.size.enterprises, requests=ctx.size.requests, seed=ctx.seed, tick=ctx.tick
    )


def generate(*, enterprises: int, requests: int, seed: int, tick=None) -> dict[str, int]:
    tick = tick or (lambda *_a: None)
    units = {u.code: u for u in Unit.objects.filter(code__startswith="hy-gxq")}
    departments = sorted(
        (u for u in units.values() if u.kind == "department"), key=lambda u: u.code
    )
    cadres = list(
        get_user_model().objects.filter(username__startswith="cadre").order_by("username")
    )
    if not departments or not cadres or "hy-gxq-hx" not in units:
        raise ValueError("模拟企业挂在衡阳高新区的部门和街道下：请先加载衡阳演示数据")
    streets = [units["hy-gxq-hx"].pk, units["hy-gxq-tms"].pk, None]
    dept_ids = [u.pk for u in departments]
    rng = random.Random(f"{seed}:enterprises")
    out = {"enterprises": 0, "assignments": 0, "requests": 0}

    mine = Enterprise.objects.filter(name__startswith=NAME_PREFIX)
    if not existing("企业", mine.count(), enterprises):
        writer = RowWriter(
            Enterprise,
            varying=("uscc", "name", "industry", "scale", "is_key", "street", "liaison_unit"),
        )

        def rows():
            for n in range(enterprises):
                key = rng.random() < 0.25
                yield (
                    uscc(n),
                    f"{NAME_PREFIX}{n:06d}",
                    rng.choice(INDUSTRIES),
                    "above" if key or rng.random() < 0.2 else "below",
                    key,
                    streets[0] if key else rng.choice(streets),
                    rng.choice(dept_ids),
                )
                if n % 20_000 == 19_999:
                    tick("enterprises", n + 1, enterprises)

        out["enterprises"] = writer.write(rows())
        tick("enterprises", enterprises, enterprises)
        keyed = mine.filter(is_key=True).order_by("pk").values_list("pk", "liaison_unit_id")
        out["assignments"] = RowWriter(
            LiaisonAssignment, varying=("cadre", "unit", "enterprise", "starts_on")
        ).write(
            (cadres[n % len(cadres)].pk, unit_id, pk, date(2022, 1, 1))
            for n, (pk, unit_id) in enumerate(keyed)
        )

    ids = list(mine.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return out
    filed = Request.objects.filter(description__startswith=REQUEST_PREFIX)
    if existing("诉求", filed.count(), requests):
        return out
    categories = [str(c) for c in SLA_DAYS]
    states = [s for s, _label in RequestStatus.choices]
    writer = RowWriter(
        Request,
        varying=(
            "enterprise",
            "category",
            "description",
            "channel",
            "filed_on",
            "status",
            "assigned_department",
            "accepted_on",
            "due_on",
            "answer",
            "answered_on",
            "revisited_on",
            "satisfaction",
            "rated_on",
        ),
    )

    def request_rows():
        # Drawn a column at a time (numpy, seeded from the seed): a million requests drawn
        # one value at a time with ``random`` were most of this generator's CPU.
        draw = np.random.default_rng(random.Random(f"{seed}:requests").getrandbits(64))
        for start in range(0, requests, REQUEST_CHUNK):
            n = min(REQUEST_CHUNK, requests - start)
            filed = draw.integers(0, DAYS, n)
            category = draw.integers(0, len(categories), n)
            status = draw.integers(0, len(states), n)
            # Most answered in time, a sixth late by up to a week.
            late = draw.random(n) < 1 / 6
            shift = np.where(late, draw.integers(1, 8, n), -draw.integers(0, 4, n))
            enterprise = draw.integers(0, len(ids), n)
            department = draw.integers(0, len(dept_ids), n)
            satisfaction = draw.integers(3, 6, n)
            due = filed + 1 + np.array([SLA_DAYS[c] for c in categories])[category]
            answered = np.maximum(due + shift, filed + 1)
            for k, (f, c, st, d, a, e, dep, sat) in enumerate(
                zip(
                    filed.tolist(),
                    category.tolist(),
                    status.tolist(),
                    due.tolist(),
                    answered.tolist(),
                    enterprise.tolist(),
                    department.tolist(),
                    satisfaction.tolist(),
                    strict=True,
                )
            ):
                state = states[st]
                accepted = state != RequestStatus.PENDING
                done = state in ANSWERED
                revisited = done and state != RequestStatus.ANSWERED
                rated = state == RequestStatus.RATED
                yield (
                    ids[e],
                    categories[c],
                    f"{REQUEST_PREFIX}{start + k}",
                    "phone",
                    day(f),
                    state,
                    dept_ids[dep] if accepted else None,
                    day(f + 1) if accepted else None,
                    day(d) if accepted else None,
                    "已按政策答复" if done else "",
                    day(a) if done else None,
                    day(a + 3) if revisited else None,
                    sat if rated else None,
                    day(a + 4) if rated else None,
                )
            tick("requests", start + n, requests)

    out["requests"] = writer.write(request_rows())
    tick("requests", requests, requests)
    # The writer sends no signal: the tallies are recomputed from the requests, once.
    tallies.rebuild()
    return out

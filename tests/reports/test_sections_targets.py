"""The 下阶段目标 section: the year's goals with their lights and the indicator targets
(FACTS.md, "Targets for 2022")."""

from datetime import date

import pytest

from shouwei.core.models import Unit
from shouwei.core.periods import Period
from shouwei.indicators.models import Target
from shouwei.supervision import selectors
from shouwei.supervision.models import Goal
from shouwei.supervision.report_sections import COLOUR_WORDS, phase_of

from .sections import build, figures, plain, sources_resolve

pytestmark = pytest.mark.django_db
H1 = Period.parse("2022H1")


@pytest.fixture
def section(demo):
    return build("targets", user=demo["leader"], unit=Unit.objects.get(code="hy-gxq"), period=H1)


def test_every_goal_and_target_of_the_year_is_stated_with_its_light(section, demo):
    gxq = Unit.objects.get(code="hy-gxq")
    goals = Goal.objects.filter(year=2022, unit__path__startswith=gxq.path)
    unbound = Target.objects.filter(year=2022, unit__path__startswith=gxq.path).exclude(
        pk__in=goals.values("target_id")
    )
    f = figures(section)
    assert f["targets.count"] == goals.count() + unbound.count()
    rows = selectors.goals_with_lights(demo["leader"], year=2022, today=date(2022, 6, 30))
    expected = {}
    for r in rows:
        expected[r.light.colour] = expected.get(r.light.colour, 0) + 1
    for _target, light in selectors.unbound_targets_with_lights(
        demo["leader"], gxq, year=2022, today=date(2022, 6, 30)
    ):
        colour = light.colour if light else "grey"
        expected[colour] = expected.get(colour, 0) + 1
    assert {k.split(".")[1]: v for k, v in f.items() if k.split(".")[1] in COLOUR_WORDS} == expected
    text = plain(section)
    for label in ("前70", "前20", "保二争一"):
        assert label in text
    assert text.startswith("下半年")
    assert "国家级高新区综合排名进入全国前70" in text


def test_the_phase_follows_the_period():
    assert phase_of(Period.parse("2022H1")) == "下半年"
    assert phase_of(Period.parse("2022-06")) == "下半年"
    assert phase_of(Period.parse("2022Q3")) == "下阶段"


def test_every_source_of_the_targets_section_opens_for_the_reader(section, client_for):
    sources_resolve(section, client_for("leader"))


def test_the_brief_has_no_table(demo):
    s = build(
        "targets",
        user=demo["leader"],
        unit=Unit.objects.get(code="hy-gxq"),
        period=H1,
        kind="brief",
    )
    assert not [b for b in s.blocks if b.__class__.__name__ == "Table"]

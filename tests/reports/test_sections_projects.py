"""The 重点项目 part of the half-year analysis, from project records (FACTS.md, "Key projects")."""

from decimal import Decimal

import pytest

from shouwei.core.models import Unit
from shouwei.core.periods import Period
from shouwei.core.reporting import report_sections

from .sections import build, figures, plain, sources_resolve

pytestmark = pytest.mark.django_db
H1 = Period.parse("2022H1")


def test_the_projects_part_states_every_figure_of_the_article(demo):
    section = build(
        "projects", user=demo["leader"], unit=Unit.objects.get(code="hy-gxq"), period=H1
    )
    f = figures(section)
    assert f["projects.count"] == 49
    assert f["projects.total_investment"] == Decimal("499.65")
    assert f["projects.planned"] == Decimal("124.26")
    assert f["projects.provincial.count"] == 2
    assert f["projects.provincial.total_investment"] == Decimal("180")
    assert f["projects.provincial.planned"] == Decimal("50")
    assert f["projects.provincial.rate"] == Decimal("84.3")
    assert f["projects.municipal.count"] == 47
    assert f["projects.municipal.total_investment"] == Decimal("319.65")
    assert f["projects.municipal.planned"] == Decimal("74.26")
    assert f["projects.municipal.rate"] == Decimal("75.1")
    # The 2 区重点 in a sentence of their own, outside the 49 and the 499.65亿元.
    assert f["projects.district.count"] == 2
    assert f["projects.district.total_investment"] == Decimal("2.05")
    text = plain(section)
    assert "（衡山科学城信息技术产业园、衡州大道数字经济走廊）" in text
    # Prose prints amounts as the article does: 180亿元 and 50亿元, not 180.00亿元.
    assert "总投资180亿元" in text and "50亿元" in text and ".00亿元" not in text
    assert text.startswith("1—6月")
    charts = [b for b in section.blocks if b.__class__.__name__ == "Chart"]
    assert charts and charts[0].series[0].values == [84.3, 75.1]


def test_every_source_of_the_projects_part_opens_for_the_reader(demo, client_for):
    section = build(
        "projects", user=demo["leader"], unit=Unit.objects.get(code="hy-gxq"), period=H1
    )
    sources_resolve(section, client_for("leader"))


def test_the_brief_gives_only_the_totals(demo):
    section = build(
        "projects",
        user=demo["leader"],
        unit=Unit.objects.get(code="hy-gxq"),
        period=H1,
        kind="brief",
    )
    f = figures(section)
    assert f["projects.count"] == 49
    assert "projects.provincial.count" not in f


def test_the_projects_part_is_registered_under_the_indicator_heading():
    entry = next(
        s for s in report_sections("half-year") if s.key == "projects" and s.part == "records"
    )
    assert (str(entry.title), entry.weight, entry.part_weight) == ("重点项目", 20, 20)
    assert "brief" in entry.kinds


def test_a_department_reader_gets_only_the_projects_it_may_read(demo):
    from shouwei.projects.choices import HEADLINE_LEVELS
    from shouwei.projects.models import Project

    seen = 0
    for name in ("staff_cyfz", "staff_jjhz"):
        clerk = demo[name]
        readable = Project.objects.visible_to(clerk).filter(level__in=HEADLINE_LEVELS).count()
        section = build("projects", user=clerk, unit=Unit.objects.get(code="hy-gxq"), period=H1)
        if readable == 0:
            assert section is None, name
        else:
            assert figures(section)["projects.count"] == readable < 49, name
        seen += readable
    assert seen  # at least one department holds projects

"""The demo's 2022 首位目标 (FACTS.md), as the supervision office sees them on 2022-07-29."""

from datetime import date

from shouwei.supervision import selectors
from shouwei.supervision.choices import LightColour
from shouwei.supervision.models import Goal, PerformanceScheme

SOURCE = "7月29日上半年经济形势分析暨下半年经济工作部署会"


def test_the_demo_holds_the_articles_2022_goals(demo):
    titles = set(Goal.objects.filter(year=2022).values_list("title", flat=True))
    for words in (
        "前70",
        "五好",
        "保二争一",
        "三量",
        "地区生产总值",
        "规模工业",
        "文明城市",
        "较大及以上事故零发生",
        "进出口总额1亿元",
        "电子信息产业高峰论坛",
    ):
        assert any(words in t for t in titles), words
    assert set(Goal.objects.values_list("source", flat=True)) == {SOURCE}


def test_the_demo_goals_are_bound_to_the_foundations_targets(demo):
    unbound = Goal.objects.filter(year=2022, target__isnull=True)
    assert list(unbound.values_list("title", flat=True)) == ["11月办好中国电子信息产业高峰论坛"]


def test_the_foreign_trade_milestone_is_due_in_august(demo):
    goal = Goal.objects.get(title="综保区全年进出口总额1亿元")
    assert goal.milestones.get(title__contains="破零").due == date(2022, 8, 31)


def test_on_the_meeting_day_the_five_good_self_assessment_is_overdue(demo):
    rows = selectors.goals_with_lights(demo["supervisor"], year=2022, today=date(2022, 7, 29))
    five_good = next(r for r in rows if "五好" in r.goal.title)
    lights = {m.title: lt.colour for m, lt in five_good.milestones}
    assert lights["完成“五好”园区自评材料"] == LightColour.RED


def test_the_demo_scheme_weights_sum_to_100(demo):
    from shouwei.supervision import scoring

    scheme = PerformanceScheme.objects.get(year=2022)
    scoring.check_scheme(scheme)
    assert scheme.participants.count() == 9

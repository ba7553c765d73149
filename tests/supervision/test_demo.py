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


def test_the_demo_holds_one_platform_run_of_the_years_scheme(demo):
    """Loaded before any account exists, the scheme is run by the platform itself: no person
    as its author, the note says it is the demo's, every participant scored and ranked."""
    scheme = PerformanceScheme.objects.get(year=2022)
    run = scheme.runs.get()
    assert run.created_by is None
    assert run.note.startswith("演示数据")
    assert run.as_of == date(2022, 7, 29)
    scores = list(run.scores.order_by("rank"))
    assert len(scores) == scheme.participants.count() == 9
    assert scores[0].rank == 1 and all(s.breakdown for s in scores)
    # The indicator-rank item found its approved figure and rank (the platform reads them).
    ranked = [
        line
        for s in scores
        for line in s.breakdown
        if line["rule"] == "indicator_rank" and line["applies"]
    ]
    assert ranked and all(line["fraction"] is not None and line["facts"] for line in ranked)


def test_the_leaders_cockpit_shows_the_demo_ranking(client_for, demo):
    run = PerformanceScheme.objects.get(year=2022).runs.get()
    first = run.scores.order_by("rank").first()
    page = client_for("leader").get("/indicators/cockpit/?period=2022-06").content.decode()
    assert first.get_absolute_url() in page
    assert first.unit.display_name in page


def test_the_platform_scores_only_without_a_user():
    import pytest

    from shouwei.supervision import scoring

    with pytest.raises(ValueError):
        scoring.compute(scheme=None, as_of=date(2022, 7, 29), by=None)

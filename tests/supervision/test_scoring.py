"""绩效考评: a score worked by hand, veto, versions, 奖优罚劣, and the scheme's bad inputs."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shouwei.supervision import scoring, services, sources
from shouwei.supervision.models import (
    Arrears,
    DepartmentScore,
    SafetyIncident,
    SchemeItem,
    ScoreAdjustment,
)
from tests.factories import (
    MilestoneFactory,
    PerformanceSchemeFactory,
    SchemeItemFactory,
    SupervisionNoticeFactory,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2022, 9, 30)


def _moment(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@pytest.fixture
def kjcx():
    from shouwei.core.models import Unit

    return Unit.objects.get(code="hy-gxq-kjcx")


@pytest.fixture
def worked(people, kjcx):
    """The hand-worked example. Items: A 节点按时完成率 (score, 60), B 清收完成率 (score, 40),
    C 表彰 (bonus, manual, up to 5), D 督办单逾期 (penalty, 1 per notice, up to 3),
    E 较大及以上事故 (veto)."""
    scheme = PerformanceSchemeFactory(reward_count=1, penalise_count=1)
    scheme.participants.set([people.cyfz, people.jjhz, kjcx])
    item = SchemeItem.objects.create
    a = item(
        scheme=scheme,
        kind="score",
        rule="milestone_on_time",
        name="节点按时完成率",
        weight=60,
        order=1,
    )
    item(
        scheme=scheme,
        kind="score",
        rule="arrears_collection",
        name="清收完成率",
        weight=40,
        order=2,
    )
    c = item(scheme=scheme, kind="bonus", rule="manual", name="表彰", weight=5, order=3)
    item(
        scheme=scheme,
        kind="penalty",
        rule="notice_overdue",
        name="督办单逾期",
        weight=3,
        unit_points=1,
        order=4,
    )
    item(scheme=scheme, kind="veto", rule="serious_incident", name="较大及以上事故", order=5)

    # 产业发展局: weights 1 + 3 on time, 1 overdue and open → A = 60 × 4/5 = 48.00;
    # no arrears → B does not apply; base = 48 / 60 × 100 = 80.00; bonus C = 2;
    # total = 80.00 + 2 = 82.00.
    MilestoneFactory(lead_unit=people.cyfz, due=date(2022, 7, 31), completed_on=date(2022, 7, 30))
    MilestoneFactory(
        lead_unit=people.cyfz, due=date(2022, 8, 31), completed_on=date(2022, 8, 31), weight=3
    )
    late = MilestoneFactory(lead_unit=people.cyfz, due=date(2022, 9, 15), title="逾期节点")
    MilestoneFactory(lead_unit=people.cyfz, due=date(2022, 10, 31))  # not yet due: not counted
    ScoreAdjustment.objects.create(item=c, unit=people.cyfz, points=2, reason="获省真抓实干表彰")

    # 经济合作局: weight 2 done late, 2 on time → A = 60 × 2/4 = 30.00; arrears 900 of 1000
    # collected → B = 40 × 0.9 = 36.00; base = (30 + 36) / 100 × 100 = 66.00; two notices
    # not answered by their deadline (one never, one late) → D = 2; total = 66.00 − 2 = 64.00.
    MilestoneFactory(
        lead_unit=people.jjhz, due=date(2022, 8, 31), completed_on=date(2022, 9, 3), weight=2
    )
    MilestoneFactory(
        lead_unit=people.jjhz, due=date(2022, 9, 1), completed_on=date(2022, 9, 1), weight=2
    )
    Arrears.objects.create(
        debtor="某公司",
        amount_due=1000,
        collected=900,
        deadline=date(2022, 12, 31),
        owner_unit=people.jjhz,
        owner="甲",
    )
    for answered in (None, date(2022, 9, 15), date(2022, 9, 9)):  # the last one is in time
        SupervisionNoticeFactory(
            unit=people.jjhz,
            number=f"督办〔2022〕{answered or 0}号",
            status="issued",
            issued_at=_moment(date(2022, 9, 1)),
            deadline=date(2022, 9, 10),
            answered_at=_moment(answered) if answered else None,
        )

    # 科技创新与人才服务局: everything on time, arrears all collected → base 100.00, but a
    # 较大 accident → vetoed: last whatever its points.
    MilestoneFactory(lead_unit=kjcx, due=date(2022, 8, 1), completed_on=date(2022, 8, 1))
    Arrears.objects.create(
        debtor="某所",
        amount_due=500,
        collected=500,
        deadline=date(2022, 6, 30),
        owner_unit=kjcx,
        owner="乙",
    )
    SafetyIncident.objects.create(
        unit=kjcx,
        occurred_on=date(2022, 6, 1),
        level="larger",
        place="某实验室",
        description="火灾",
    )
    return scheme, a, late


def _scores(run):
    return {s.unit.code: s for s in DepartmentScore.objects.filter(run=run).select_related("unit")}


def test_the_hand_worked_example(people, worked):
    scheme, _a, _late = worked
    run = services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF)
    s = _scores(run)
    assert (s["hy-gxq-cyfz"].base, s["hy-gxq-cyfz"].bonus, s["hy-gxq-cyfz"].total) == (
        Decimal("80.00"),
        Decimal("2.00"),
        Decimal("82.00"),
    )
    assert (s["hy-gxq-jjhz"].base, s["hy-gxq-jjhz"].penalty, s["hy-gxq-jjhz"].total) == (
        Decimal("66.00"),
        Decimal("2.00"),
        Decimal("64.00"),
    )
    assert s["hy-gxq-kjcx"].total == Decimal("100.00")
    assert [s[c].rank for c in ("hy-gxq-cyfz", "hy-gxq-jjhz", "hy-gxq-kjcx")] == [1, 2, 3]


def test_a_veto_puts_the_department_last_whatever_its_points(people, worked):
    scheme, *_ = worked
    run = services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF)
    kjcx = _scores(run)["hy-gxq-kjcx"]
    assert kjcx.vetoed and kjcx.rank == 3
    assert kjcx.total > max(s.total for s in DepartmentScore.objects.filter(run=run, vetoed=False))


def test_each_point_names_its_facts(people, worked):
    scheme, _a, late = worked
    run = services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF)
    breakdown = {i["name"]: i for i in _scores(run)["hy-gxq-cyfz"].breakdown}
    assert breakdown["节点按时完成率"]["points"] == "48.00"
    assert any(
        f["url"] == late.get_absolute_url() and "逾期未完成" in f["label"]
        for f in breakdown["节点按时完成率"]["facts"]
    )
    assert breakdown["清收完成率"]["applies"] is False
    assert "获省真抓实干表彰" in breakdown["表彰"]["facts"][0]["label"]


@pytest.mark.urls("shouwei.urls_portal")
def test_a_portal_only_process_scores_with_the_platforms_links(people, worked):
    """loaddemo on a portal-only instance (SHOUWEI_SITE=portal) scores the demo: the facts'
    links are stored and shown on the platform, so they are the platform's addresses even
    where this process serves none of its pages (they raised NoReverseMatch before)."""
    from django.urls import NoReverseMatch, reverse

    scheme, _a, late = worked
    with pytest.raises(NoReverseMatch):
        late.get_absolute_url()  # this site serves no milestone page
    run = services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF)
    breakdown = {i["name"]: i for i in _scores(run)["hy-gxq-cyfz"].breakdown}
    platform = reverse("supervision:milestone_detail", urlconf="shouwei.urls", args=[late.pk])
    assert platform in [f["url"] for f in breakdown["节点按时完成率"]["facts"]]


def test_a_rerun_keeps_the_earlier_version_and_says_what_changed(people, worked):
    scheme, _a, late = worked
    first = services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF)
    late.completed_on = late.due  # a correction: it was done on its due day after all
    late.save()
    # A = 60 × 5/5 = 60.00 → base 100.00, total 102.00.
    second = services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF, note="更正")
    assert (first.version, second.version) == (1, 2)
    assert _scores(first)["hy-gxq-cyfz"].total == Decimal("82.00")
    assert _scores(second)["hy-gxq-cyfz"].total == Decimal("102.00")
    assert {
        "unit": "hy-gxq-cyfz",
        "name": people.cyfz.short_name or people.cyfz.name,
        "what": "total",
        "before": "82.00",
        "after": "102.00",
    } in second.changes
    assert any(
        c["what"] == "item"
        and c["item"] == "节点按时完成率"
        and (c["before"], c["after"]) == ("48.00", "60.00")
        for c in second.changes
    )
    assert all(c["unit"] == "hy-gxq-cyfz" for c in second.changes)


def test_the_reward_and_penalty_list(people, worked):
    scheme, *_ = worked
    run = services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF)
    lists = services.reward_list(run)
    assert [s.unit.code for s in lists["reward"]] == ["hy-gxq-cyfz"]
    assert [s.unit.code for s in lists["penalise"]] == ["hy-gxq-kjcx"]


def test_only_the_office_runs_a_scheme(people, worked):
    scheme, *_ = worked
    with pytest.raises(PermissionDenied):
        services.scheme_run(by=people.clerk, scheme=scheme, as_of=AS_OF)


def test_weights_not_summing_to_100_say_by_how_much(people):
    scheme = PerformanceSchemeFactory()
    scheme.participants.set([people.cyfz])
    SchemeItemFactory(scheme=scheme, weight=60)
    SchemeItemFactory(scheme=scheme, weight=30, rule="arrears_collection")
    with pytest.raises(ValidationError) as exc:
        services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF)
    assert "考核项权重合计为 90，须为 100（少 10）" in exc.value.messages[0]
    assert not scheme.runs.exists()
    SchemeItemFactory(scheme=scheme, weight=Decimal("12.5"), rule="target_attainment")
    with pytest.raises(ValidationError) as exc:
        scoring.check_scheme(scheme)
    assert "（多 2.5）" in exc.value.messages[0]


def test_a_scheme_naming_an_unknown_indicator_is_refused(people):
    item = SchemeItem(
        scheme=PerformanceSchemeFactory(),
        kind="score",
        rule="indicator_rank",
        name="x",
        weight=10,
        indicator="no_such_indicator",
    )
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "未知指标代码“no_such_indicator”" in str(exc.value.message_dict["indicator"])


def test_a_veto_item_scored_as_points_is_refused(people):
    item = SchemeItem(
        scheme=PerformanceSchemeFactory(),
        kind="veto",
        rule="serious_incident",
        name="较大事故",
        weight=5,
    )
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "一票否决项不计分值" in str(exc.value.message_dict["weight"])


def test_a_manual_veto_carries_no_points(people):
    item = SchemeItemFactory(kind="veto", rule="manual", weight=0)
    adjustment = ScoreAdjustment(item=item, unit=people.cyfz, points=3, reason="x")
    with pytest.raises(ValidationError) as exc:
        adjustment.full_clean()
    assert "一票否决项不计分值" in str(exc.value.message_dict["points"])


def test_a_source_no_app_provides_scores_no_data(people):
    scheme = PerformanceSchemeFactory()
    scheme.participants.set([people.cyfz])
    SchemeItemFactory(scheme=scheme, weight=50)
    SchemeItemFactory(scheme=scheme, weight=50, rule="source", source="nobody.provides_this")
    MilestoneFactory(lead_unit=people.cyfz, due=date(2022, 8, 1), completed_on=date(2022, 8, 1))
    run = services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF)
    score = DepartmentScore.objects.get(run=run)
    source_item = next(i for i in score.breakdown if i["rule"] == "source")
    assert source_item["applies"] is False and "无数据" in source_item["note"]
    assert score.base == Decimal("100.00")  # 50 of 50 applying weight


def test_a_source_another_app_registers_is_scored(people, monkeypatch):
    monkeypatch.setattr(sources, "_registry", {})
    monkeypatch.setattr(sources, "_discovered", True)
    sources.register_score_source(
        "enterprises.satisfaction",
        "诉求满意率",
        lambda *, unit, year, as_of: {
            "fraction": "0.75",
            "facts": [{"label": f"{unit.code} 满意 3 / 4", "url": ""}],
        },
    )
    scheme = PerformanceSchemeFactory()
    scheme.participants.set([people.cyfz])
    SchemeItemFactory(scheme=scheme, weight=100, rule="source", source="enterprises.satisfaction")
    run = services.scheme_run(by=people.office, scheme=scheme, as_of=AS_OF)
    score = DepartmentScore.objects.get(run=run)
    assert score.total == Decimal("75.00")  # 100 × 0.75
    assert score.breakdown[0]["facts"][0]["label"] == "hy-gxq-cyfz 满意 3 / 4"


def test_an_indicator_rank_item_scores_the_owning_department(demo):
    """规模工业增加值 is 产业发展局's; the zone ranks 2nd of the 7 五区两园 in 2022H1 (published)
    → 10 × (7 − 2 + 1) / 7 = 8.57; the other departments own no such indicator."""
    from shouwei.core.models import Unit

    cyfz, jjhz = Unit.objects.get(code="hy-gxq-cyfz"), Unit.objects.get(code="hy-gxq-jjhz")
    scheme = PerformanceSchemeFactory()
    scheme.participants.set([cyfz, jjhz])
    SchemeItemFactory(scheme=scheme, weight=10, rule="indicator_rank", indicator="industrial_va")
    SchemeItemFactory(scheme=scheme, weight=90, rule="arrears_collection")
    run = services.scheme_run(by=demo["supervisor"], scheme=scheme, as_of=date(2022, 7, 29))
    scores = _scores(run)
    [rank_item] = [i for i in scores["hy-gxq-cyfz"].breakdown if i["rule"] == "indicator_rank"]
    assert rank_item["applies"], rank_item
    assert "排第 2 名" in rank_item["facts"][0]["label"]
    n = int(rank_item["facts"][0]["label"].split("（")[1].split(" ")[0])
    assert rank_item["points"] == str((Decimal(10) * (n - 1) / n).quantize(Decimal("0.01")))
    [other] = [i for i in scores["hy-gxq-jjhz"].breakdown if i["rule"] == "indicator_rank"]
    assert other["applies"] is False

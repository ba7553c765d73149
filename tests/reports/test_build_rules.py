"""The builder's rules: bad input refused with a clear message and nothing stored, unapproved
figures excluded and listed, the data version and the flags of figures changed since the
previous build, a dead worker's report marked failed, the monthly sheet and the brief."""

from decimal import Decimal

import pytest

from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Observation
from shouwei.reports.models import Report
from shouwei.reports.renderers.txt import plain_text
from shouwei.reports.services import ReportError, recover_stale, request_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "unit", "period", "message"),
    [
        ("half-year", "no-such-unit", "2022H1", "没有代码为“no-such-unit”的单位"),
        ("half-year", "hy-gxq", "2022H9", "无法识别的期间"),
        ("half-year", "hy-gxq", "2099H1", "2099"),
        ("half-year", "hy-gxq", "2015H1", "没有已审核的指标数据"),
        ("quarterly", "hy-gxq", "2022H1", "未知的报告类型"),
    ],
)
def test_bad_input_is_refused_clearly_and_stores_nothing(demo, kind, unit, period, message):
    before = Report.objects.count()
    with pytest.raises(ReportError) as exc:
        request_report(kind=kind, unit=unit, period=period, by=demo["admin"], inline=True)
    assert message in str(exc.value)
    assert Report.objects.count() == before


def test_a_unit_out_of_sight_is_refused_like_an_unknown_one(demo):
    from shouwei.core.choices import Role
    from tests.factories import UnitFactory, user_with_role

    other = UnitFactory(code="far-zone", name="远方开发区")
    user = user_with_role(Role.STATISTICIAN, other, username="far-stat")
    with pytest.raises(ReportError) as hidden:
        request_report(kind="half-year", unit="hy-gxq", period="2022H1", by=user, inline=True)
    with pytest.raises(ReportError) as unknown:
        request_report(kind="half-year", unit="nowhere", period="2022H1", by=user, inline=True)
    assert str(hidden.value).replace("hy-gxq", "X") == str(unknown.value).replace("nowhere", "X")


def test_unapproved_figures_are_excluded_and_listed_never_printed(demo, build):
    from shouwei.core.models import Unit
    from tests.factories import IndicatorFactory, ObservationFactory

    zone = Unit.objects.get(code="hy-gxq")
    ind = IndicatorFactory(code="draft_only", name="草稿指标", measure="家", category="innovation")
    ObservationFactory(
        unit=zone,
        indicator=ind,
        period="2022H1",
        value=Decimal("777"),
        status=ObservationStatus.DRAFT,
    )
    report = build()
    doc = report.as_document()
    assert not [f for f in doc.figures() if f.key.startswith("draft_only")]
    assert "777" not in plain_text(doc)
    assert any(line.startswith("草稿指标（2022H1，草稿") for line in doc.excluded)


def test_a_correction_changes_the_data_version_and_flags_the_figure(demo, build):
    first = build()
    again = build()
    assert again.data_version == first.data_version
    assert again.previous_id == first.pk and again.changed_figures == []
    obs = Observation.objects.get(
        unit__code="hy-gxq", indicator__code="rd_expenditure", period="2022H1"
    )
    obs.value = Decimal("5.5")
    obs.save()
    third = build()
    assert third.data_version != first.data_version
    assert third.previous_id == again.pk
    assert third.changed_figures == ["rd_expenditure.value"]


def test_a_worker_killed_mid_build_leaves_the_report_failed_with_the_reason(demo, build):
    report = build()
    Report.objects.filter(pk=report.pk).update(
        status="building", worker="localhost-that-died 999999 1", document=None
    )
    import socket

    Report.objects.filter(pk=report.pk).update(worker=f"{socket.gethostname()} 999999999 1")
    assert recover_stale(report_pk=report.pk) == 1
    report.refresh_from_db()
    assert report.status == "failed"
    assert "意外终止" in report.error


def test_the_monthly_sheet_tables_every_indicator_with_its_light_and_charts(build):
    report = build(kind="monthly", period="2022-06")
    assert report.status == "built", report.error
    doc = report.as_document()
    section = doc.sections[0]
    from shouwei.core.reporting import Chart, Table

    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.headers == ["类别", "指标", "数值", "同比增长", "排名", "目标灯", "较上月"]
    names = [row[1] for row in table.rows]
    assert "地区生产总值" in names and "科技型中小企业入库" in names
    charts = [b for b in section.blocks if isinstance(b, Chart)]
    assert {c.key for c in charts} == {"growth", "ranks"}
    assert report.title.endswith("1—6月主要指标月度分析")


def test_the_brief_leads_with_the_headline_and_keeps_sections_short(build):
    report = build(kind="brief")
    assert report.status == "built", report.error
    doc = report.as_document()
    assert doc.sections[0].key == "brief-headline"
    assert "GDP增长6.9%" in doc.sections[0].blocks[0].plain()
    livelihood = next(s for s in doc.sections if s.key == "livelihood")
    assert plain_text(doc).count("；") < 40
    assert livelihood.blocks[0].plain().count("；") == 2  # three items

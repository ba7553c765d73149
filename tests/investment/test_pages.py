"""The pages: lists scoped and exported as shown, the lead's timeline, the board (moving a card
without dragging), the fulfilment tracker, the funnel, what a source brought, the cockpit panel."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from shouwei.core.periods import Period
from shouwei.investment.models import Event, Lead, Office
from shouwei.investment.panels import investment_panel

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_leader_lists_the_departments_leads(client_for):
    response = client_for("leader").get(reverse("investment:lead_list"), {"q": "虎牙"})
    assert response.status_code == 200
    assert "虎牙直播孵化基地项目" in response.content.decode()


def test_another_department_lists_none_and_exports_none(client_for):
    c = client_for("staff_cyfz")
    assert "虎牙直播孵化基地项目" not in c.get(reverse("investment:lead_list")).content.decode()
    rows = _csv(c.get(reverse("investment:lead_list"), {"export": "csv"}))
    assert len(rows) == 1  # the header only


def test_the_export_is_the_filtered_list(client_for):
    rows = _csv(
        client_for("staff_jjhz").get(
            reverse("investment:lead_list"), {"signed_year": 2022, "fortune": 1, "export": "csv"}
        )
    )
    names = sorted(r[0] for r in rows[1:])
    assert names == ["虎牙直播孵化基地项目", "阿里巴巴集团数字经济产业园"]


def test_the_lead_page_shows_its_timeline(client_for):
    lead = Lead.objects.get(short_name="虎牙直播")
    body = client_for("staff_jjhz").get(lead.get_absolute_url()).content.decode()
    assert "阶段时间线" in body and "签约" in body and "注册" in body
    assert reverse("investment:lead_move", args=[lead.pk]) in body


def test_the_board_has_a_column_per_stage_and_a_move_form_per_card(client_for):
    body = client_for("staff_jjhz").get(reverse("investment:board")).content.decode()
    for label in ("线索", "接洽", "意向", "洽谈", "签约", "注册", "开工", "投产"):
        assert label in body
    lead = Lead.objects.get(short_name="杭州铂科电子")
    assert reverse("investment:lead_move", args=[lead.pk]) in body


def test_the_leader_sees_the_board_without_move_forms(client_for):
    body = client_for("leader").get(reverse("investment:board")).content.decode()
    lead = Lead.objects.get(short_name="杭州铂科电子")
    assert "杭州铂科电子" in body
    assert reverse("investment:lead_move", args=[lead.pk]) not in body


def test_moving_a_card_asks_the_date_and_returns_to_the_board(client_for):
    lead = Lead.objects.get(short_name="杭州铂科电子")
    c = client_for("staff_jjhz")
    url = reverse("investment:lead_move", args=[lead.pk])
    assert c.get(url, {"to": "negotiation"}).status_code == 200
    response = c.post(
        url, {"to_stage": "negotiation", "on": "2022-07-20", "next": reverse("investment:board")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("investment:board")
    lead.refresh_from_db()
    assert lead.stage == "negotiation" and lead.negotiation_on == date(2022, 7, 20)


def test_moving_back_without_a_reason_is_refused_on_the_page(client_for):
    lead = Lead.objects.get(short_name="杭州铂科电子")
    response = client_for("staff_jjhz").post(
        reverse("investment:lead_move", args=[lead.pk]), {"to_stage": "contact", "on": "2022-07-20"}
    )
    assert response.status_code == 400
    assert "须说明原因" in response.content.decode()
    lead.refresh_from_db()
    assert lead.stage == "intent"


def test_the_move_does_not_redirect_off_site(client_for):
    lead = Lead.objects.get(short_name="杭州铂科电子")
    response = client_for("staff_jjhz").post(
        reverse("investment:lead_move", args=[lead.pk]),
        {"to_stage": "negotiation", "on": "2022-07-20", "next": "https://evil.example/"},
    )
    assert response["Location"] == lead.get_absolute_url()


def test_the_fulfilment_tracker_shows_overdue_milestones_and_the_rate(client_for):
    body = client_for("leader").get(reverse("investment:fulfilment")).content.decode()
    assert "阿里巴巴数字经济产业园" in body and "履约率" in body
    assert "逾期" in body or "bg-red-lt" in body


def test_the_funnel_draws_the_channels(client_for):
    body = client_for("leader").get(reverse("investment:funnel")).content.decode()
    assert "chart-investment-funnel" in body
    assert "驻地招商" in body and "重大活动签约" in body


def test_an_event_page_shows_what_it_brought(client_for):
    event = Event.objects.get(held_on=date(2022, 6, 28))
    body = client_for("leader").get(event.get_absolute_url()).content.decode()
    assert "虎牙直播孵化基地项目" in body and "阿里巴巴集团数字经济产业园" in body


def test_the_office_page_shows_its_leads(client_for):
    office = Office.objects.get(name="粤港澳大湾区招商办事处")
    body = client_for("leader").get(office.get_absolute_url()).content.decode()
    assert "数字经济人才(衡阳)实训基地" in body


def test_the_cockpit_panel_links_every_figure_to_its_leads(demo):
    from shouwei.core.models import Unit

    data = investment_panel(
        user=demo["leader"], unit=Unit.objects.get(code="hy-gxq"), period=Period.parse("2022H1")
    )
    s = data["summary"]
    assert (s.signed_count, s.event_count, s.fortune_count, s.intended_count) == (20, 5, 2, 16)
    assert data["links"]["events"] == reverse("investment:lead_list") + "?signed_year=2022&event=1"


def test_the_panels_links_open_lists_of_the_same_counts(client_for, demo):
    from shouwei.core.models import Unit

    data = investment_panel(
        user=demo["leader"], unit=Unit.objects.get(code="hy-gxq"), period=Period.parse("2022H1")
    )
    c = client_for("leader")
    for key, n in (("signed", 20), ("events", 5), ("fortune", 2), ("intended", 16)):
        rows = _csv(c.get(data["links"][key] + "&export=csv"))
        assert len(rows) - 1 == n, key


def test_the_panel_is_hidden_from_another_department(demo):
    from shouwei.core.models import Unit

    assert (
        investment_panel(
            user=demo["staff_cyfz"],
            unit=Unit.objects.get(code="hy-gxq"),
            period=Period.parse("2022H1"),
        )
        is None
    )


def test_the_cockpit_shows_the_panel(client_for):
    body = client_for("leader").get(reverse("indicators:cockpit")).content.decode()
    assert "本年签约" in body and "虎牙直播" in body


def test_chain_gaps_show_the_empty_links_with_their_leads_and_targets(client_for):
    body = client_for("leader").get(reverse("investment:chain_gaps")).content.decode()
    assert "电子信息" in body and "空缺" in body
    assert "智能网联汽车终端企业" in body and "智慧安防终端项目" in body


def test_the_funnel_of_a_quarter_with_median_days(client_for):
    c = client_for("leader")
    body = c.get(reverse("investment:funnel"), {"quarter": "2022Q2"}).content.decode()
    assert "各阶段用时（中位数）" in body
    assert c.get(reverse("investment:funnel"), {"quarter": "bad"}).status_code == 200


def test_median_days_per_stage_come_from_the_stage_dates(demo):
    from shouwei.investment import selectors

    durations = selectors.stage_durations(selectors.leads(demo["leader"]))
    first = durations[0]
    assert first.frm == "lead" and first.to == "contact"
    assert first.median_days == 15  # the demo: 60 → 45 days before signing, 15 per open stage


def test_adding_a_near_same_lead_on_the_page_names_it_and_saves_nothing(client_for):
    existing = Lead.objects.get(short_name="杭州铂科电子")
    data = {
        "project_name": "杭州铂科电子（二期）项目",
        "investor": "全新投资有限公司",
        "channel": "business",
        "industry": "C39",
        "planned_investment": "1000",
        "owner_unit": existing.owner_unit_id,
        "lead_on": "2022-07-01",
    }
    c = client_for("staff_jjhz")
    response = c.post(reverse("investment:lead_add"), data)
    assert response.status_code == 400 and f"#{existing.pk}" in response.content.decode()
    assert not Lead.objects.filter(investor="全新投资有限公司").exists()
    assert c.post(reverse("investment:lead_add"), data | {"not_duplicate": "on"}).status_code == 302


def test_a_board_column_shows_its_newest_cards_and_links_to_the_rest(client_for, monkeypatch):
    from shouwei.investment import selectors

    monkeypatch.setattr(selectors, "BOARD_CARDS", 3)
    body = client_for("leader").get(reverse("investment:board")).content.decode()
    assert "还有 13 条" in body  # 16 intended, 3 shown
    assert reverse("investment:lead_list") + "?stage=intent&amp;lost=false" in body


def test_the_fulfilment_tracker_filters_the_overdue(client_for):
    c = client_for("leader")
    everything = c.get(reverse("investment:fulfilment")).context
    overdue = c.get(reverse("investment:fulfilment"), {"overdue": "1"}).context
    assert overdue["page"].paginator.count == everything["data"]["overdue"]
    assert all(milestones for _c, milestones in overdue["rows"])


def test_an_impossible_year_in_the_filters_is_no_error_page(client_for):
    c = client_for("leader")
    assert c.get(reverse("investment:lead_list"), {"signed_year": -4096}).status_code == 200
    assert c.get(reverse("investment:contract_list"), {"year": 99999}).status_code == 200


def test_the_funnel_puts_the_four_quarters_of_a_year_side_by_side(demo, client_for):
    from datetime import date

    from shouwei.investment import selectors
    from tests.factories import LeadFactory

    def business(user):
        rows = {r.channel: r for r in selectors.funnel_by_quarter(user, year=2021)}
        return [(c.leads, c.signed) for c in rows["business"].cells], rows[""].cells

    before, _ = business(demo["leader"])
    other_before, _ = business(demo["staff_cyfz"])
    LeadFactory(lead_on=date(2021, 2, 1), channel="business")
    LeadFactory(lead_on=date(2021, 3, 31), channel="business", stage="signed")
    LeadFactory(lead_on=date(2021, 8, 15), channel="business", stage="producing")

    after, total = business(demo["leader"])
    added = [(a[0] - b[0], a[1] - b[1]) for a, b in zip(after, before, strict=True)]
    assert added == [(2, 1), (0, 0), (1, 1), (0, 0)]
    assert total[0].leads >= 2 and total[2].signed >= 1
    # 产业发展局's staff do not read 经济合作局's leads.
    assert business(demo["staff_cyfz"])[0] == other_before

    c = client_for("leader")
    body = c.get(reverse("investment:funnel"), {"year": "2021"}).content.decode()
    assert 'id="funnel-quarters"' in body and "2021 年各季度对比" in body
    assert "第4季度" in body
    # The quarter filter stays, and picks the year of the comparison when no year is given.
    body = c.get(reverse("investment:funnel"), {"quarter": "2021Q3"}).content.decode()
    assert "2021 年各季度对比" in body and "各阶段用时（中位数）" in body
    bad = c.get(reverse("investment:funnel"), {"year": "21"})
    assert bad.status_code == 200 and "年度应写成四位数字" in bad.content.decode()

"""Investment attraction and enterprise service in a real browser: a card moved on the 招商看板
with its form (no dragging), and a request answered from the 诉求办理台."""

import pytest
from playwright.sync_api import expect

from .conftest import log_in
from .test_cockpit import collect_problems

pytestmark = pytest.mark.browser


def test_a_card_moves_on_the_investment_board_with_its_form(new_context, live_server, live_demo):
    from shouwei.investment.models import Lead, LeadStep

    page = new_context().new_page()
    problems = collect_problems(page)
    log_in(page, live_server, "staff_jjhz")
    page.goto(live_server.url + "/investment/board/")
    card = page.locator('section[aria-labelledby="col-lead"] article').first
    select = card.locator("select")
    pk = int(select.get_attribute("id").removeprefix("to-"))
    lead = Lead.objects.get(pk=pk)
    assert lead.stage == "lead"

    select.select_option("contact")
    card.get_by_role("button", name="移动").click()
    # The move page: the stage is chosen, the date is today; saving moves the card.
    expect(page.locator("#id_to_stage")).to_have_value("contact")
    page.get_by_role("button", name="保存").click()

    expect(page.locator(".alert-success")).to_contain_text("接洽")
    assert page.url.endswith("/investment/board/")
    lead.refresh_from_db()
    assert lead.stage == "contact" and lead.contact_on is not None
    assert LeadStep.objects.filter(lead=lead, from_stage="lead", to_stage="contact").exists()
    moved = page.locator('section[aria-labelledby="col-contact"]').locator(f"#to-{pk}")
    if moved.count():  # the column shows its first cards only
        expect(moved).to_have_value("contact")
    assert problems == []


def test_a_department_answers_a_request_from_its_desk(new_context, live_server, live_demo):
    from shouwei.enterprises.models import Request

    # The demo's staff accounts: 产业发展局 and 经济合作局 clerks.
    clerks = {"hy-gxq-cyfz": "staff_cyfz", "hy-gxq-jjhz": "staff_jjhz"}
    req = (
        Request.objects.filter(
            assigned_department__code__in=clerks, status__in=("accepted", "in_progress")
        )
        .select_related("assigned_department")
        .order_by("due_on", "pk")
        .first()
    )
    assert req is not None, "the demo holds open requests of the departments with a clerk"
    page = new_context().new_page()
    problems = collect_problems(page)
    log_in(page, live_server, clerks[req.assigned_department.code])
    page.goto(live_server.url + "/enterprises/desk/")
    row = page.locator('section[aria-labelledby="desk-open"]').locator(
        f'a[href="{req.get_absolute_url()}"]'
    )
    expect(row).to_be_visible()
    row.click()

    if req.status == "accepted":
        page.get_by_role("button", name="开始办理").click()
    # An empty answer is refused with the field's error, and nothing changes.
    page.get_by_role("button", name="答复").click()
    expect(page.locator(".alert-danger").first).to_be_visible()
    req.refresh_from_db()
    assert req.status == "in_progress"

    page.fill("#id_answer", "已协调办理，请企业按通知办理手续。")
    page.get_by_role("button", name="答复").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    req.refresh_from_db()
    assert req.status == "answered"

    page.goto(live_server.url + "/enterprises/desk/")
    expect(page.locator(f'a[href="{req.get_absolute_url()}"]')).to_have_count(0)
    assert problems == []

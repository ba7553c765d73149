"""The seed's key-project figures (FACTS.md) come out of the demo's records."""

from decimal import Decimal

from shouwei.core.formatting import format_measure, format_percent
from shouwei.core.models import Unit
from shouwei.demo.loader import load_hengyang
from shouwei.projects.choices import HEADLINE_LEVELS
from shouwei.projects.models import ProgressReport, Project
from shouwei.projects.selectors import project_summary


def _summary(demo, username="leader"):
    return project_summary(
        unit=Unit.objects.get(code="hy-gxq"), year=2022, month=6, user=demo[username]
    )


def test_it_derives_the_facts_totals_from_project_records(demo):
    s = _summary(demo)
    assert s.overall.count == 49
    assert s.overall.total_investment == Decimal("499.65")
    assert s.overall.planned == Decimal("124.26")


def test_the_two_district_projects_are_counted_apart_from_the_49(demo):
    s = _summary(demo)
    assert [f.label for f in s.levels] == ["省重点", "市重点"]
    assert (s.district.label, s.district.count) == ("区重点", 2)
    assert s.district.total_investment == Decimal("2.05")
    assert s.district.planned == Decimal("1.10")
    assert s.overall.count + s.district.count == Project.objects.count() == 51


def test_the_api_summary_gives_the_49_and_the_district_projects_apart(demo, api_for):
    body = api_for("leader").get("/api/projects-summary?unit=hy-gxq&period=2022-06").json()
    assert (body["overall"]["count"], body["overall"]["total_investment"]) == (49, "499.65")
    assert [f["count"] for f in body["levels"]] == [2, 47]
    assert (body["district"]["label"], body["district"]["count"]) == ("区重点", 2)


def test_it_derives_the_per_level_facts(demo):
    provincial, municipal = _summary(demo).levels
    assert (provincial.label, provincial.count) == ("省重点", 2)
    assert provincial.total_investment == Decimal("180.00")
    assert provincial.planned == Decimal("50.00")
    assert format_percent(provincial.rate) == "84.3%"
    assert (municipal.label, municipal.count) == ("市重点", 47)
    assert format_measure(municipal.total_investment) == "319.65"
    assert municipal.planned == Decimal("74.26")
    assert format_percent(municipal.rate) == "75.1%"


def test_it_names_the_two_provincial_projects(demo):
    names = set(Project.objects.filter(level="provincial").values_list("name", flat=True))
    assert names == {"衡山科学城信息技术产业园", "衡州大道数字经济走廊"}


def test_the_figures_link_to_the_projects_behind_them(demo, client_for):
    from django.urls import reverse

    s = _summary(demo)
    provincial = s.levels[0]
    page = client_for("leader").get(provincial.url)
    assert page.status_code == 200
    assert page.context["table"].paginator.count == 2
    behind = client_for("leader").get(s.overall.behind_url)
    assert behind.context["table"].paginator.count == s.overall.behind > 0
    # The list holds every project; its level filter gives the 49, the 2 区重点, or one level.
    for url, count in (
        (s.overall.url, 49),
        (s.district.url, 2),
        (reverse("projects:project_list"), 51),
    ):
        assert client_for("leader").get(url).context["table"].paginator.count == count, url
    bad = client_for("leader").get(reverse("projects:project_list"), {"level": "county"})
    assert bad.status_code == 200
    assert "level" in bad.context["filterset"].errors
    assert bad.context["table"].paginator.count == 0


def test_loading_the_demo_twice_creates_nothing_twice(demo):
    before = (Project.objects.count(), ProgressReport.objects.count())
    again = load_hengyang()
    assert again.created["key projects"] == 0
    assert (Project.objects.count(), ProgressReport.objects.count()) == before


def test_a_department_sees_only_its_own_projects_in_the_summary(demo):
    s = _summary(demo, "staff_cyfz")
    own = Project.objects.filter(
        responsible_unit__code="hy-gxq-cyfz", level__in=HEADLINE_LEVELS
    ).count()
    assert 0 < s.overall.count == own < 49


def test_the_cockpit_shows_the_key_projects_panel_linked_to_the_list(demo, client_for):
    from django.urls import reverse

    response = client_for("leader").get(
        reverse("indicators:cockpit"), {"unit": "hy-gxq", "period": "2022-06"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "重点项目" in body
    for figure in ("499.65亿元", "124.26亿元", "84.3%", "75.1%"):
        assert figure in body
    assert "区重点" in body and "（不计入合计）" in body  # the 2 区重点 apart, 2.05亿元
    [panel] = [p for p in response.context["panels"] if p.key == "projects"]
    assert panel.data["summary"].overall.url in body.replace("&amp;", "&")


def test_every_project_page_renders_for_the_leader(demo, client_for):
    from django.urls import reverse

    c = client_for("leader")
    project = Project.objects.get(code="gxq-sz-001")
    for url in (
        reverse("projects:project_list"),
        project.get_absolute_url(),
        reverse("projects:problem_board"),
        reverse("projects:progressreport_list"),
        reverse("projects:annualplan_list"),
        reverse("projects:problem_list"),
    ):
        assert c.get(url).status_code == 200, url
    entry = client_for("staff_cyfz").get(reverse("projects:progress_entry"), {"period": "2022-06"})
    assert entry.status_code == 200
    assert (
        len(entry.context["rows"])
        == Project.objects.filter(responsible_unit__code="hy-gxq-cyfz").count()
    )

"""The department's one-screen monthly entry: a new month starts where the last one ended,
and only the rows typed into are checked and saved."""

from datetime import date

from django.urls import reverse

from shouwei.projects.choices import Stage
from shouwei.projects.models import ProgressReport

from .conftest import login, make_project, make_report

URL = reverse("projects:progress_entry") + "?period=2022-07"


def _row(project, ytd, **extra):
    p = f"p{project.pk}-"
    return {
        p + "invested_this_month": "1",
        p + "invested_ytd": ytd,
        **{p + k: v for k, v in extra.items()},
    }


def test_a_new_month_starts_from_last_months_stage_and_entry_date(zone, project):
    make_report(project, "2022-06", "6", entered=date(2022, 5, 20))  # 在建, 入库 2022-05-20
    never = make_project(zone.cyfz, code="test-002")  # no report yet: its own stage, 前期
    response = login(zone.staff_cyfz).get(URL)
    forms = {p.pk: f for p, f in response.context["rows"]}
    assert forms[project.pk]["stage"].value() == Stage.CONSTRUCTION
    assert str(forms[project.pk]["entered_statistics_on"].value()) == "2022-05-20"
    assert forms[never.pk]["stage"].value() == Stage.PRELIMINARY
    assert forms[never.pk]["entered_statistics_on"].value() is None


def test_a_row_saved_with_the_prefilled_stage_is_not_a_stage_regression(zone, project):
    make_report(project, "2022-06", "6", entered=date(2022, 5, 20))
    c = login(zone.staff_cyfz)
    forms = {p.pk: f for p, f in c.get(URL).context["rows"]}
    form = forms[project.pk]
    # What the browser sends back: every field as the page filled it, plus the two amounts.
    posted = {form[name].html_name: form[name].value() or "" for name in form.fields}
    posted.pop(form["is_correction"].html_name)
    response = c.post(URL, {**posted, **_row(project, "7")})
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=project, period="2022-07")
    assert report.stage == Stage.CONSTRUCTION
    assert report.entered_statistics_on == date(2022, 5, 20)


def test_untouched_rows_show_no_errors_when_a_typed_row_is_refused(zone, project):
    make_report(project, "2022-06", "6")
    other = make_project(zone.cyfz, code="test-002")
    c = login(zone.staff_cyfz)
    # The project's row goes below June's 6 亿元; the other row is left as the page showed it.
    response = c.post(
        URL,
        {**_row(project, "5", stage=Stage.CONSTRUCTION), f"p{other.pk}-stage": Stage.PRELIMINARY},
    )
    assert response.status_code == 400
    forms = {p.pk: f for p, f in response.context["rows"]}
    assert "invested_ytd" in forms[project.pk].errors
    assert not forms[other.pk].errors
    assert "这个字段是必填项" not in response.content.decode()
    # What the user typed stays in the refused row, the untouched row keeps its stage.
    assert forms[project.pk]["invested_ytd"].value() == "5"
    assert forms[other.pk]["stage"].value() == Stage.PRELIMINARY
    assert not ProgressReport.objects.filter(period="2022-07").exists()

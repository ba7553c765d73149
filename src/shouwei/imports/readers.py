"""Read an uploaded .xlsx, .xls or .csv into rows, refusing unsafe or unreadable files first.

Everything here happens before a single row is interpreted: size limit, zip-bomb check (the
zip's central directory, before calamine inflates anything), workbook structure, formula cells
(calamine only returns a formula's cached value, which may be stale or empty), CSV encoding.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

import python_calamine
from django.conf import settings

SUFFIXES = (".xlsx", ".xls", ".csv")
# However small the size limit, a workbook may inflate to this before it looks like a bomb;
# real sheets compress 5–15×, 100,000 rows of ten columns inflate to about 40 MB.
INFLATE_FACTOR = 20
INFLATE_CEILING = 200 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SCAN_CHUNK = 1024 * 1024
# A cell whose first child is a formula: <c r="D12" ...><f>…; prefixes (x:c) from .NET writers.
_FORMULA_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*>\s*'
    rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]"
)
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class FileRejected(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


@dataclass
class Sheet:
    """Rows as the user sees them: ``rows[i]`` is spreadsheet row ``i + 1``."""

    rows: list[list[Any]]
    # Formula cells as (row number, column index from 0); ``formula_unlocated`` when the file
    # has formulas but does not say where (cells without an r="" reference).
    formulas: list[tuple[int, int]] = field(default_factory=list)
    formula_unlocated: bool = False


def max_bytes() -> int:
    return settings.SHOUWEI_IMPORT_MAX_BYTES


def size_label(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def check_name_and_size(filename: str, size: int) -> None:
    if not filename.lower().endswith(SUFFIXES):
        raise FileRejected(
            f"不支持的文件类型“{posixpath.basename(filename)}”：请上传 .xlsx、.xls 或 .csv 文件"
        )
    if size > max_bytes():
        raise FileRejected(
            f"文件大小 {size_label(size)} 超过上限 {size_label(max_bytes())}，请拆分后分批导入"
        )
    if size == 0:
        raise FileRejected("文件是空的（0 字节）")


def read_sheet(content: bytes, filename: str, *, sheet_name: str | None = None) -> Sheet:
    check_name_and_size(filename, len(content))
    suffix = filename.lower().rsplit(".", 1)[-1]
    if suffix == "csv":
        return Sheet(rows=_read_csv(content))
    if suffix == "xls":
        if not content.startswith(OLE_MAGIC):
            raise FileRejected(
                "文件不是有效的 .xls 工作簿（内容与扩展名不符），请用 Excel 另存后再上传"
            )
        return Sheet(rows=_read_with_calamine(content, sheet_name))
    return _read_xlsx(content, sheet_name)


# --- CSV ------------------------------------------------------------------------------------
def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without BOM) first, strictly; then GB18030, which WPS and Excel on
    Chinese Windows write ("CSV (逗号分隔)"). GB18030 maps nearly every byte pair, so strict
    UTF-8 must come first or UTF-8 files would be misread."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("无法识别 CSV 文件的编码：请另存为“CSV UTF-8”或 GB18030（GBK）编码")


def _read_csv(content: bytes) -> list[list[Any]]:
    text = decode_csv(content)
    if "\x00" in text:
        raise FileRejected("CSV 文件含有二进制内容，不是文本表格：请确认上传的是 CSV 文件")
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise FileRejected(f"CSV 文件格式有误：{exc}") from None


# --- Excel ----------------------------------------------------------------------------------
def _read_with_calamine(content: bytes, sheet_name: str | None) -> list[list[Any]]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = book.sheet_names
        if not names:
            raise FileRejected("工作簿里没有工作表")
        name = sheet_name if sheet_name in names else names[0]
        return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except python_calamine.PasswordError:
        raise FileRejected("工作簿设置了密码：请取消密码后再上传") from None
    except python_calamine.CalamineError as exc:
        raise FileRejected(f"无法读取工作簿，文件可能已损坏：{exc}") from None


def _read_xlsx(content: bytes, sheet_name: str | None) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        if content.startswith(OLE_MAGIC):
            raise FileRejected(
                "文件不是有效的 .xlsx：它是旧版 .xls 或设置了密码的工作簿，"
                "请取消密码或另存为 .xlsx 后再上传"
            ) from None
        raise FileRejected(
            "文件不是有效的 .xlsx 工作簿（内容与扩展名不符），请用 Excel 另存为 .xlsx 后再上传"
        ) from None
    with archive:
        inflated = sum(info.file_size for info in archive.infolist())
        ceiling = min(INFLATE_FACTOR * max_bytes(), INFLATE_CEILING)
        if inflated > ceiling:
            raise FileRejected(
                f"文件解压后达 {size_label(inflated)}，超过安全上限 {size_label(ceiling)}"
                "（疑似压缩炸弹），已拒绝"
            )
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise FileRejected("文件是压缩包而不是 Excel 工作簿，请上传 .xlsx 文件")
        name, member = _sheet_member(archive, sheet_name)
        formulas, unlocated = _scan_formulas(archive, member) if member else ([], False)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = book.get_sheet_by_name(name) if name else book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except python_calamine.CalamineError as exc:
        raise FileRejected(f"无法读取工作簿，文件可能已损坏：{exc}") from None
    return Sheet(rows=rows, formulas=formulas, formula_unlocated=unlocated)


def _sheet_member(archive: zipfile.ZipFile, wanted: str | None) -> tuple[str | None, str | None]:
    """The chosen sheet's name and its XML part: the sheet called ``wanted``, else the first."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels_xml = archive.read("xl/_rels/workbook.xml.rels")
        rels = ElementTree.fromstring(rels_xml)
    except (KeyError, ElementTree.ParseError):
        raise FileRejected("工作簿结构不完整，文件可能已损坏，请用 Excel 另存后再上传") from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    sheets = [(s.get("name"), s.get(f"{_NS_REL}id")) for s in book.iter(f"{_NS_MAIN}sheet")]
    if not sheets:
        raise FileRejected("工作簿里没有工作表")
    name, rid = next(((n, r) for n, r in sheets if n == wanted), sheets[0])
    target = targets.get(rid)
    if not target:
        return name, None
    member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    member = posixpath.normpath(member)
    return name, member if member in archive.namelist() else None


def _scan_formulas(archive: zipfile.ZipFile, member: str) -> tuple[list[tuple[int, int]], bool]:
    """Stream the sheet XML looking for <f> elements: openpyxl would parse 100,000 rows into
    objects; a byte scan of the inflated stream takes a fraction of a second."""
    found: set[tuple[int, int]] = set()
    tagged = False
    tail = b""
    with archive.open(member) as fh:
        while chunk := fh.read(SCAN_CHUNK):
            buf = tail + chunk
            # Cheap test first: most sheets have no formula at all.
            if (b"<f" in buf or b":f" in buf) and _FORMULA_TAG.search(buf):
                tagged = True
                for m in _FORMULA_CELL.finditer(buf):
                    found.add((int(m.group(2)), _column_index(m.group(1).decode())))
            # Keep the end of the chunk: a cell's tag may straddle two reads.
            tail = buf[-4096:]
    return sorted(found), tagged and not found


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters

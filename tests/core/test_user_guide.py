"""The user guide (docs/user-guide.md) describes the product as it is: every role, and what
the periodic jobs need."""

import re
from pathlib import Path

from django.utils import translation

from shouwei.core.choices import Role

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"


def _section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M).group(1)


def test_the_role_table_names_every_role():
    rows = re.findall(r"^\| ([^|]+) \|", _section("角色与可见范围"), re.M)
    names = [r.strip() for r in rows if r.strip() not in ("角色", "---")]
    with translation.override("zh-hans"):
        missing = [str(r.label) for r in Role if not any(str(r.label) in n for n in names)]
    assert missing == []


def test_escalation_says_it_needs_the_worker():
    section = _section("重点项目：形象进度照片与逾期问题提级")
    escalation = section[section.index("逾期问题自动提级") :]
    assert "`shouwei worker`" in escalation
    assert "`shouwei worker`" in _section("通知（右上角铃铛）")

"""What changed between two versions of an article, for a person to read: the fields that
differ, and the body paragraph by paragraph (its text, one line per paragraph), with the
changed characters marked inside a changed paragraph — Chinese has no spaces, so a word-level
diff would mark whole sentences."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import ArticleStatus
from .models import ArticleVersion
from .sanitize import body_text, clean_body

# Two paragraphs this alike are shown as one changed paragraph; below, as removed and added.
SIMILAR = 0.4
# Unchanged paragraphs kept around a change; longer unchanged stretches are folded.
CONTEXT = 1


@dataclass(frozen=True)
class Segment:
    kind: str  # "same" | "ins" | "del"
    text: str


@dataclass(frozen=True)
class Line:
    kind: str  # "same" | "ins" | "del" | "change" | "fold"
    segments: tuple[Segment, ...] = ()
    folded: int = 0  # for "fold": how many unchanged paragraphs are not shown


def _chars(old: str, new: str) -> tuple[Segment, ...]:
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(Segment("same", old[i1:i2]))
            continue
        if i2 > i1:
            out.append(Segment("del", old[i1:i2]))
        if j2 > j1:
            out.append(Segment("ins", new[j1:j2]))
    return tuple(out)


def _replaced(old: list[str], new: list[str]) -> list[Line]:
    lines: list[Line] = []
    for a, b in zip(old, new, strict=False):
        if difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR:
            lines.append(Line("change", _chars(a, b)))
        else:
            lines += [Line("del", (Segment("del", a),)), Line("ins", (Segment("ins", b),))]
    lines += [Line("del", (Segment("del", a),)) for a in old[len(new) :]]
    lines += [Line("ins", (Segment("ins", b),)) for b in new[len(old) :]]
    return lines


def text_diff(old: str, new: str) -> list[Line]:
    """Paragraph lines of ``old`` against ``new``; unchanged stretches folded."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[Line] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [Line("same", (Segment("same", t),)) for t in a[i1:i2]]
        elif tag == "delete":
            lines += [Line("del", (Segment("del", t),)) for t in a[i1:i2]]
        elif tag == "insert":
            lines += [Line("ins", (Segment("ins", t),)) for t in b[j1:j2]]
        else:
            lines += _replaced(a[i1:i2], b[j1:j2])
    return _fold(lines)


def _fold(lines: list[Line]) -> list[Line]:
    changed = [i for i, line in enumerate(lines) if line.kind != "same"]
    keep = {j for i in changed for j in range(i - CONTEXT, i + CONTEXT + 1)}
    out: list[Line] = []
    run = 0
    for i, line in enumerate(lines):
        if line.kind == "same" and i not in keep:
            run += 1
            continue
        if run:
            out.append(Line("fold", folded=run))
            run = 0
        out.append(line)
    if run:
        out.append(Line("fold", folded=run))
    return out


@dataclass(frozen=True)
class VersionDiff:
    version: ArticleVersion
    previous: ArticleVersion | None
    fields: list[tuple[str, str, str]]  # (label, before, after) of the fields that changed
    body: list[Line]

    @property
    def body_changed(self) -> bool:
        return any(line.kind not in ("same", "fold") for line in self.body)


_IMG = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r'\balt="([^"]*)"')
_SRC = re.compile(r'\bsrc="([^"]*)"')


def diff_text(body: str) -> str:
    """The body's text, one line per paragraph, with each image as a line of its own
    (``[图片：说明]``): a picture added or removed is a change a reviewer must see."""

    def image(match: re.Match) -> str:
        tag = match.group(0)
        label = _ALT.search(tag) or _SRC.search(tag)
        return f"<p>[{_('图片')}：{html.unescape(label.group(1)) if label else ''}]</p>"

    return body_text(_IMG.sub(image, clean_body(body)))


def version_diff(version: ArticleVersion) -> VersionDiff:
    """``version`` against the one saved before it (the first against an empty article)."""
    previous = (
        ArticleVersion.objects.filter(article_id=version.article_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    labels = {
        "title": _("标题"),
        "subtitle": _("副标题"),
        "tags": _("标签"),
        "status": _("状态"),
    }
    fields = []
    for name, label in labels.items():
        before = getattr(previous, name) if previous else ""
        after = getattr(version, name)
        if before != after:
            if name == "status":
                before = ArticleStatus(before).label if before else ""
                after = ArticleStatus(after).label
            fields.append((label, str(before), str(after)))
    old_text = diff_text(previous.body) if previous else ""
    return VersionDiff(version, previous, fields, text_diff(old_text, diff_text(version.body)))

"""HTML pasted from Word, cleaned by the server whatever the editor did with it first: the
sample is Word 2016's clipboard (CF_HTML) for a short Chinese report with a heading, a numbered
list, an empty line, a picture, a ▲ caption, a table and a link."""

from pathlib import Path

import pytest

from shouwei.portal.models import Article
from shouwei.portal.sanitize import body_text, clean_body, is_word_html

WORD = (Path(__file__).parent / "data" / "word_clipboard.html").read_text(encoding="utf-8")

JUNK = (
    "Mso", "mso-", "<o:p", "o:p>", "style=", "<span", "lang=", "class=\"\"", "file:///",
    "<!--", "<xml", "<w:", "<v:", "<meta", "<link", "<title", "font-family", "<img",
    "&nbsp;", "\xa0",
)  # fmt: skip


@pytest.fixture(scope="module")
def cleaned() -> str:
    return clean_body(WORD)


def test_the_sample_is_recognised_as_word_html():
    assert is_word_html(WORD)
    assert not is_word_html("<p>编辑器写的正文</p>")


@pytest.mark.parametrize("junk", JUNK)
def test_word_markup_is_gone(cleaned, junk):
    assert junk not in cleaned


def test_word_settings_and_document_title_leave_no_text(cleaned):
    text = body_text(cleaned)
    for leftover in ("Normal", "false", "7.8 磅", "上半年经济运行情况", "panose", "@font-face"):
        assert leftover not in text


def test_the_text_and_its_structure_survive(cleaned):
    assert cleaned.startswith("<h2>衡阳高新区召开上半年经济形势分析会</h2>")  # Word's 标题 1
    assert (
        "<p>7月29日，高新区召开上半年经济形势分析会。1-6月，全区实现地区生产总值同比增长6.9%。</p>"
        in cleaned
    )
    assert "<p>1. 规模工业增加值增长11.5%；</p>" in cleaned  # the bullet without its padding
    assert "<b>重点</b>" in cleaned
    assert '<a href="https://www.hyggx.gov.cn/" rel="noopener noreferrer nofollow">' in cleaned
    assert "<td>\n  <p>地区生产总值</p>\n  </td>" in cleaned


def test_a_triangle_paragraph_becomes_a_photo_caption(cleaned):
    assert '<p class="photo-caption">▲会议现场</p>' in cleaned


def test_empty_paragraphs_and_pictures_left_on_the_authors_disk_are_dropped(cleaned):
    assert "<p></p>" not in cleaned
    assert "<p> </p>" not in cleaned
    assert "clip_image" not in cleaned


def test_cleaning_twice_changes_nothing(cleaned):
    assert clean_body(cleaned) == cleaned


def test_word_html_with_scripts_is_still_sanitised():
    attack = WORD.replace(
        "<!--EndFragment-->",
        '<p class=MsoNormal onclick="alert(1)"><a href="javascript:alert(1)">x</a></p>'
        "<script>alert(1)</script><iframe src=https://365.example/></iframe><!--EndFragment-->",
    )
    out = clean_body(attack).lower()
    for token in ("onclick", "javascript:", "<script", "<iframe", "alert"):
        assert token not in out


def test_published_bodies_are_unchanged_by_the_cleaner(portal_demo):
    # The Word pass must not touch a body cleaned before: a published page's sealed body hash
    # would no longer match, and `shouwei portal verify` would cry wolf after an upgrade.
    for article in Article.objects.all():
        assert clean_body(article.body) == article.body, article.title


@pytest.mark.parametrize(
    "html,expected",
    [
        ("<h1>标题</h1>", "<h2>标题</h2>"),
        ('<H1 class="x">标题</H1>', "<h2>标题</h2>"),
        ("<h5>小</h5><h6>更小</h6>", "<h4>小</h4><h4>更小</h4>"),
        ("<p>&lt;h1&gt;是文字</p>", "<p>&lt;h1&gt;是文字</p>"),
    ],
)
def test_heading_1_is_the_pages_own_so_a_body_heading_starts_at_2(html, expected):
    assert clean_body(html) == expected
    assert clean_body(expected) == expected

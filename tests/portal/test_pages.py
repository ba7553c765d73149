"""The public pages: the seed article as published, home, search, feeds, sitemap, open data."""

import csv
import html as html_lib
import io
import re

import pytest
from django.test import Client

from shouwei.portal import qr
from shouwei.portal.demo import SEED_FILE

pytestmark = pytest.mark.django_db

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"


def visitor(ip="10.0.0.1", ua=BROWSER_UA) -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)


def page_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_seed_article_shows_every_paragraph_of_the_article_in_order(seed):
    html = visitor().get(seed.get_absolute_url()).content.decode()
    lines = SEED_FILE.read_text(encoding="utf-8").splitlines()
    start = lines.index("字体:") + 1
    end = lines.index("相关阅读:")
    # The three ▲ lines captioned photos the saved page did not keep: not shown (below).
    paragraphs = [ln.strip() for ln in lines[start:end] if ln.strip() and ln[0] != "▲"]
    assert len(paragraphs) == 25
    text = html_lib.unescape(page_text(html))
    pos = 0
    for p in paragraphs:
        found = text.find(p, pos)
        assert found >= 0, p
        pos = found + len(p)


def test_seed_article_page_carries_no_injected_title(seed):
    html = visitor().get(seed.get_absolute_url()).content.decode()
    assert "365体育官网" not in html
    assert "<title>衡阳高新区全方位践行“首位”理念——上半年亮点频闪,下半年奋楫争先 -" in html


def test_seed_article_has_breadcrumb_meta_line_captions_and_related_reading(seed):
    html = visitor().get(seed.get_absolute_url()).content.decode()
    crumbs = re.findall(r'<nav class="breadcrumb".*?</nav>', html, re.S)[0]
    assert [c for c in re.findall(r">([^<>]+)</a>", crumbs)] == [
        "首页",
        "信息公开",
        "动态信息",
        "部门动态",
    ]
    assert "2022-08-05 08:43" in html
    assert "来源：衡阳高新区" in html
    assert re.search(r"浏览量：<span data-views>1</span>次", html)
    related = re.findall(r'<section class="related".*?</section>', html, re.S)[0]
    assert "高新区在深圳设立粤港澳大湾区招商办事处" in related
    assert "2022年上半年衡阳高新区主要经济指标" in related
    assert "扫一扫在手机打开当前页" in html


def test_the_seed_article_shows_no_caption_without_its_picture(seed):
    html = visitor().get(seed.get_absolute_url()).content.decode()
    body = re.findall(r'<div class="article-body".*?</div>', html, re.S)[0]
    assert "<img" not in body  # the saved page kept no photo ...
    assert "photo-caption" not in body and "▲" not in body  # ... so no caption either


def test_the_home_pages_open_data_shows_ranks_and_readable_periods(demo):
    html = visitor().get("/portal/").content.decode()
    table = re.findall(r'<section class="panel" aria-labelledby="data-h">.*?</section>', html, re.S)
    rows = re.findall(r"<tr>(<td>.*?)</tr>", table[0])
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in rows]
    assert cells and all(c[2].strip() for c in cells), cells  # no blank figure
    assert any(re.fullmatch(r"第\d+名", c[2]) for c in cells), cells  # a rank-only figure
    assert "2022H1" not in table[0] and "2022年上半年" in table[0]


def test_open_data_names_periods_and_ranks_as_a_reader_says_them(demo):
    html = visitor().get("/portal/open-data/").content.decode()
    assert "2022H1" not in html and "2022年上半年" in html
    assert re.search(r"<td>第\d+名</td>", html)


def test_article_page_needs_no_script_to_read_and_has_no_inline_script_or_style(seed):
    html = visitor().get(seed.get_absolute_url()).content.decode()
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/shouwei/portal.js" defer>',
        '<script src="/static/shouwei/scroll-cues.js" defer>',
    ]
    assert " style=" not in html
    assert "<style" not in html


def test_qr_code_encodes_the_page_url(seed):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    url = "http://testserver" + seed.get_absolute_url()
    html = visitor().get(seed.get_absolute_url()).content.decode()
    assert qr.svg(url) in html
    buf = io.BytesIO()
    qr.make(url).save(buf, kind="png", scale=6, border=4)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(buf.getvalue())))
    assert [d.text for d in decoded] == [url]


def test_anonymous_visitor_at_root_gets_the_portal_home(seed):
    resp = visitor().get("/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert seed.title in html
    assert "信息公开" in html
    assert 'href="/accounts/login/"' in html


def test_logged_in_user_at_root_still_gets_the_cockpit(client_for):
    resp = client_for("leader").get("/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/indicators/")


def test_platform_pages_still_need_login(demo):
    resp = visitor().get("/indicators/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/")


def test_channel_page_lists_articles_of_its_subchannels(seed):
    html = visitor().get("/portal/channel/xxgk/").content.decode()
    assert seed.title in html
    assert "2022年上半年衡阳高新区主要经济指标" in html


def test_search_finds_chinese_words_in_body_and_marks_them(seed):
    html = visitor().get("/portal/search/", {"q": "光纤陀螺"}).content.decode()
    assert seed.title in html
    assert "<mark>光纤陀螺</mark>" in html


def test_search_finds_words_in_any_order_typed_without_spaces(seed):
    # jieba cuts 首位理念衡阳 into 首位 / 理念 / 衡阳: each must appear, in any order.
    html = visitor().get("/portal/search/", {"q": "首位理念衡阳"}).content.decode()
    assert f'href="{seed.get_absolute_url()}"' in html
    assert "共找到 1 条结果" in html
    assert "“<mark>首位</mark>”<mark>理念</mark>" in html


def test_search_needs_every_word(seed):
    html = visitor().get("/portal/search/", {"q": "光纤陀螺 火星基地"}).content.decode()
    assert "共找到 0 条结果" in html


def test_search_puts_articles_with_the_words_in_their_title_first(seed):
    from shouwei.portal.selectors import search, search_terms

    found = [a.title for a in search(search_terms("招商办事处"))]
    assert found[0] == "高新区在深圳设立粤港澳大湾区招商办事处"
    assert seed.title in found[1:]  # the seed mentions 招商 and 办事处 in its body only


def test_search_of_a_word_found_in_parts_marks_the_parts():
    from shouwei.portal.selectors import highlight, search_terms

    word = search_terms("经济运行")
    assert highlight("经济平稳运行", word) == "<mark>经济</mark>平稳<mark>运行</mark>"
    # Where the word itself is there, it alone is marked.
    assert highlight("经济平稳运行，经济运行良好", word) == (
        "经济平稳运行，<mark>经济运行</mark>良好"
    )


def test_search_of_punctuation_alone_finds_nothing_without_error(seed):
    resp = visitor().get("/portal/search/", {"q": "！！%_%"})
    assert resp.status_code == 200
    assert "共找到 0 条结果" in resp.content.decode()


def test_search_escapes_the_query(seed):
    html = visitor().get("/portal/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_search_with_no_match_says_so(seed):
    html = visitor().get("/portal/search/", {"q": "不存在的词语xyz"}).content.decode()
    assert "共找到 0 条结果" in html


def test_rss_and_atom_feeds_list_published_articles(seed):
    rss = visitor().get("/portal/feed/rss/")
    atom = visitor().get("/portal/feed/atom/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert seed.title in rss.content.decode()
    assert seed.title in atom.content.decode()


def test_sitemap_lists_published_articles(seed):
    xml = visitor().get("/sitemap.xml").content.decode()
    assert f"http://testserver{seed.get_absolute_url()}" in xml


def test_open_data_lists_approved_published_figures_only(demo):
    html = visitor().get("/portal/open-data/").content.decode()
    assert "地区生产总值" in html
    assert "6.9%" in html
    assert "模拟数据" not in html


def test_open_data_csv_and_xlsx_download(demo):
    resp = visitor().get("/portal/open-data/export.csv")
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0] == ["指标", "期间", "数值", "计量单位", "同比增长(%)", "公布排名", "来源"]
    assert any(r[0] == "地区生产总值" and r[4] == "6.9" for r in rows[1:])
    assert all("模拟" not in r[6] for r in rows[1:])
    xlsx = visitor().get("/portal/open-data/export.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert visitor().get("/portal/open-data/export.html").status_code == 404


def test_draft_and_withdrawn_articles_are_not_public(seed):
    from shouwei.portal.choices import ArticleStatus
    from shouwei.portal.models import Article

    Article.objects.filter(pk=seed.pk).update(status=ArticleStatus.WITHDRAWN)
    assert visitor().get(seed.get_absolute_url()).status_code == 404
    assert seed.title not in visitor().get("/portal/").content.decode()

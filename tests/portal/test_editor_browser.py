"""The article editor in Debian's chromium: typing, uploading an image with its ▲ caption,
pasting from Word, saving — and what reaches the database; no CSP violation on the way."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import (  # noqa: F401  (fast logins for the live server)
    DESKTOP,
    PASSWORD,
    fast_password_hashing,
    log_in,
)
from tests.browser.test_cockpit import collect_problems

pytestmark = pytest.mark.browser


# What Word 2016 puts on the clipboard for two paragraphs and a picture (shortened).
WORD_CLIPBOARD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta name=ProgId content=Word.Document>
<style>p.MsoNormal{mso-style-unhide:no;font-family:等线;}</style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><!--StartFragment-->
<h1><span style='font-family:方正小标宋简体'>下半年工作安排<span
lang=EN-US><o:p></o:p></span></span></h1>
<p class=MsoNormal style='text-indent:32.0pt'><span
style='font-size:16.0pt;font-family:仿宋_GB2312;color:red'>下半年，高新区将奋楫争先。<span
lang=EN-US><o:p></o:p></span></span></p>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US><img width=400 height=267
src="file:///C:/Users/zhang/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg"></span></p>
<p class=MsoNormal align=center style='text-align:center'><span>▲签约仪式现场</span></p>
<!--EndFragment--></body></html>"""


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 200), (30, 110, 200)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def editor_page(new_context, live_server, transactional_db):
    from shouwei.core.choices import Role
    from shouwei.portal.demo import load_portal_demo
    from tests.factories import UnitFactory, user_with_role

    load_portal_demo()
    user = user_with_role(Role.EDITOR, UnitFactory(code="hy-gxq-b"), username="editor-b")
    user.set_password(PASSWORD)
    user.save()
    page = new_context(viewport=DESKTOP).new_page()
    problems = collect_problems(page)
    log_in(page, live_server, "editor-b")
    return page, problems


def _paste_html(page, html: str) -> None:
    page.eval_on_selector(
        ".ql-editor",
        """(el, html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', '');
            el.dispatchEvent(new ClipboardEvent('paste', {
                clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


def test_an_editor_types_uploads_an_image_pastes_from_word_and_saves(
    editor_page, live_server, screenshots
):
    from shouwei.portal.models import Article, Attachment

    page, problems = editor_page
    page.goto(f"{live_server.url}/content/articles/add/")
    expect(page.locator(".ql-editor")).to_be_visible()
    expect(page.locator("textarea[data-rich-editor]")).to_be_hidden()
    page.select_option("#id_channel", label="部门动态")
    page.fill("#id_title", "高新区重点项目集中开工")
    page.locator(".ql-editor").click()
    page.keyboard.type("上半年，高新区49个重点项目完成投资。")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url("**/content/articles/*/")
    article = Article.objects.get(title="高新区重点项目集中开工")
    assert article.body == "<p>上半年，高新区49个重点项目完成投资。</p>"

    page.goto(f"{live_server.url}/content/articles/{article.pk}/edit/")
    page.locator(".ql-editor p").last.click()
    page.keyboard.press("End")
    page.get_by_role("button", name="插入图片").first.click()
    expect(page.locator("#id_image-file")).to_be_focused()
    page.set_input_files(
        "#id_image-file", {"name": "现场.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.fill("#id_image-caption", "项目开工现场")
    page.get_by_role("button", name="上传并插入正文").click()
    expect(page.locator(".ql-editor img")).to_have_count(1)
    expect(page.locator(".ql-editor p.photo-caption")).to_have_text("▲项目开工现场")
    expect(page.locator("[data-editor-notice]")).to_contain_text("图片已插入正文")

    page.locator(".ql-editor p").last.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    _paste_html(page, WORD_CLIPBOARD)
    expect(page.locator(".ql-editor")).to_contain_text("下半年，高新区将奋楫争先。")
    expect(page.locator("[data-editor-notice]")).to_contain_text("1 张图片无法随文字粘贴")
    expect(page.locator(".ql-editor h2")).to_have_text("下半年工作安排")
    expect(page.locator(".ql-editor p.photo-caption")).to_have_count(2)
    page.screenshot(path=str(screenshots / "portal-editor.png"), full_page=True)

    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(f"**/content/articles/{article.pk}/")
    article.refresh_from_db()
    image = Attachment.objects.get(article=article, kind="image")
    assert f'<img src="/portal/attachment/{image.pk}/" alt="项目开工现场">' in article.body
    assert '<p class="photo-caption">▲项目开工现场</p>' in article.body
    assert "<p>上半年，高新区49个重点项目完成投资。</p>" in article.body
    assert "<h2>下半年工作安排</h2><p>下半年，高新区将奋楫争先。</p>" in article.body
    assert '<p class="photo-caption">▲签约仪式现场</p>' in article.body
    assert "<p></p>" not in article.body
    for junk in ("Mso", "mso-", "style=", "file:", "&nbsp;", "<span", "data:"):
        assert junk not in article.body
    assert article.versions.count() == 2

    # The saved body comes back into the editor as it was.
    page.goto(f"{live_server.url}/content/articles/{article.pk}/edit/")
    expect(page.locator(".ql-editor img")).to_have_attribute("alt", "项目开工现场")
    expect(page.locator(".ql-editor p.photo-caption")).to_have_text(
        ["▲项目开工现场", "▲签约仪式现场"]
    )
    assert problems == [], "\n".join(problems)


def test_an_oversized_or_svg_image_is_refused_with_a_chinese_error(
    editor_page, live_server, settings
):
    from django.contrib.auth import get_user_model

    from shouwei.portal.models import Attachment, Channel
    from shouwei.portal.services import save_article

    page, problems = editor_page
    settings.SHOUWEI_PORTAL_UPLOAD_MAX_BYTES = 1024 * 1024
    article = save_article(
        by=get_user_model().objects.get(username="editor-b"),
        channel=Channel.objects.get(slug="bmdt"),
        title="大图",
        body="<p>正文</p>",
    )
    page.goto(f"{live_server.url}/content/articles/{article.pk}/edit/")
    upload = page.get_by_role("button", name="上传并插入正文")
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024)
    page.set_input_files(
        "#id_image-file", {"name": "大.png", "mimeType": "image/png", "buffer": big}
    )
    upload.click()
    # Refused by the page itself, before the two megabytes are sent.
    expect(page.locator("[data-errors-for=file]")).to_have_text("文件过大：2.0 MB，上限 1 MB")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page.set_input_files(
        "#id_image-file", {"name": "a.svg", "mimeType": "image/svg+xml", "buffer": svg}
    )
    upload.click()
    expect(page.locator("[data-errors-for=file]")).to_contain_text("不是 PNG/JPEG/GIF/WebP 图片")
    assert not Attachment.objects.exists()
    expect(page.locator(".ql-editor img")).to_have_count(0)
    # Chromium logs the refused upload's 400 answer itself; nothing else may be there.
    unexpected = [p for p in problems if "status of 400" not in p or "/images/" not in p]
    assert unexpected == [], "\n".join(unexpected)


def test_without_javascript_the_body_is_a_plain_textarea(new_context, editor_page, live_server):
    page, _problems = editor_page
    no_js = new_context(
        viewport=DESKTOP, java_script_enabled=False, storage_state=page.context.storage_state()
    ).new_page()
    no_js.goto(f"{live_server.url}/content/articles/add/")
    expect(no_js.locator("textarea[data-rich-editor]")).to_be_visible()
    expect(no_js.locator("[data-editor-toolbar]")).to_be_hidden()


def test_editing_pages_have_no_serious_accessibility_violations(editor_page, live_server):
    from django.contrib.auth import get_user_model

    from shouwei.portal.models import Channel
    from shouwei.portal.services import save_article
    from tests.browser.axe import axe_violations, describe

    page, problems = editor_page
    user = get_user_model().objects.get(username="editor-b")
    bmdt = Channel.objects.get(slug="bmdt")
    article = save_article(by=user, channel=bmdt, title="无障碍", body="<p>第一稿</p>")
    save_article(by=user, channel=bmdt, title="无障碍", body="<p>第二稿</p>", instance=article)
    pages = {
        "list": "/content/articles/",
        "new article": "/content/articles/add/",
        "detail": f"/content/articles/{article.pk}/",
        "edit": f"/content/articles/{article.pk}/edit/",
        "version diff": f"/content/articles/{article.pk}/versions/2/",
        "preview": f"/content/articles/{article.pk}/preview/",
    }
    failures = []
    for name, path in pages.items():
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            failures.append(describe(name, violations))
    assert failures == [], "\n\n".join(failures)
    assert problems == [], "\n".join(problems)


def test_an_article_with_a_table_is_edited_as_source_not_flattened(editor_page, live_server):
    from django.contrib.auth import get_user_model

    from shouwei.portal.models import Article, Channel
    from shouwei.portal.services import save_article

    page, problems = editor_page
    table = "<table><tbody><tr><td>地区生产总值</td><td>6.9%</td></tr></tbody></table>"
    article = save_article(
        by=get_user_model().objects.get(username="editor-b"),
        channel=Channel.objects.get(slug="bmdt"),
        title="含表格的文章",
        body=f"<p>主要指标：</p>{table}",
    )
    page.goto(f"{live_server.url}/content/articles/{article.pk}/edit/")
    expect(page.locator("textarea[data-rich-editor]")).to_be_visible()
    expect(page.locator(".ql-editor")).to_have_count(0)
    expect(page.locator("[data-editor-notice]")).to_contain_text("表格")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(f"**/content/articles/{article.pk}/")
    article = Article.objects.get(pk=article.pk)
    assert table in article.body
    assert problems == [], "\n".join(problems)

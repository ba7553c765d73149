"""The portal's editing pages (/content/): who may open them, the editor form and its attacks,
uploads, the two-person workflow through the pages, versions and the preview."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from PIL import Image

from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.portal import services
from shouwei.portal.choices import ArticleStatus
from shouwei.portal.models import Article, Attachment, Channel

from .test_attacks import ATTACKS, _assert_clean
from .test_word_paste import WORD

BASELINE = Path(__file__).with_name("query_counts.json")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft(user, channel, title="测试文章", body="<p>第一段。</p><p>第二段。</p>") -> Article:
    return services.save_article(by=user, channel=channel, title=title, body=body)


def in_review(people, channel, **kw) -> Article:
    article = draft(people["editor"], channel, **kw)
    return services.submit_for_review(by=people["editor"], article=article)


def published(people, channel, **kw) -> Article:
    article = in_review(people, channel, **kw)
    return services.publish(by=people["reviewer"], article=article)


def url(name: str, *args) -> str:
    return reverse(f"portal_manage:{name}", args=args)


def form_data(channel, **overrides) -> dict:
    data = {
        "channel": channel.pk,
        "title": "高新区召开上半年经济形势分析会",
        "subtitle": "",
        "source_unit": "衡阳高新区",
        "author": "",
        "tags": "经济运行",
        "published_at": "",
        "body": "<p>上半年地区生产总值增长6.9%。</p>",
    }
    data.update(overrides)
    return data


def png(size=(40, 30), colour="red", exif: bool = False) -> bytes:
    img = Image.new("RGB", size, colour)
    buf = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x013B] = "张三"  # Artist
        img.save(buf, format="JPEG", exif=data)
    else:
        img.save(buf, format="PNG")
    return buf.getvalue()


def upload(client, article, name, data, *, kind="image", caption="", json=True):
    from django.core.files.uploadedfile import SimpleUploadedFile

    target = url("article_image" if kind == "image" else "article_file", article.pk)
    prefix = "image" if kind == "image" else "attachment"
    payload = {f"{prefix}-file": SimpleUploadedFile(name, data)}
    if kind == "image":
        payload["image-caption"] = caption
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(target, payload, **headers)


# --- who may open the pages ----------------------------------------------------------------


@pytest.fixture
def article(bmdt, people) -> Article:
    return draft(people["editor"], bmdt)


def _pages(article) -> list[str]:
    return [
        url("article_list"),
        url("article_add"),
        url("article_detail", article.pk),
        url("article_edit", article.pk),
        url("article_preview", article.pk),
        url("article_version", article.pk, 1),
    ]


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_editors_and_reviewers_open_every_page(article, people, role):
    client = login(people[role])
    for page in _pages(article):
        assert client.get(page).status_code == 200, page


def test_other_roles_are_refused_every_page_and_it_is_logged(article, people, security_log):
    client = login(people["staff"])
    for page in _pages(article):
        resp = client.get(page)
        assert resp.status_code == 403, page
        assert "您无权访问该页面" in resp.content.decode()
    refusals = [r for r in security_log.records if "refused article pages" in r.getMessage()]
    assert len(refusals) == len(_pages(article))


def test_other_roles_cannot_post_anything(article, people):
    client = login(people["staff"])
    posts = [
        url("article_add"),
        url("article_edit", article.pk),
        url("article_submit", article.pk),
        url("article_image", article.pk),
        url("article_file", article.pk),
    ]
    for target in posts:
        assert client.post(target, form_data(article.channel)).status_code == 403, target
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert article.versions.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(article):
    client = Client()
    for page in _pages(article):
        resp = client.get(page)
        assert resp.status_code == 302, page
        assert resp["Location"].startswith("/accounts/login/")
    assert client.post(url("article_publish", article.pk)).status_code == 302


def test_articles_belong_to_no_unit_and_are_read_by_portal_roles_anywhere(article, people):
    from django.contrib.auth.models import AnonymousUser

    everything = Article.objects.count()
    for role in ("editor", "editor2", "reviewer"):
        assert Article.objects.visible_to(people[role]).count() == everything
        assert Article.objects.editable_by(people[role]).filter(pk=article.pk).exists()
    assert not Article.objects.visible_to(people["staff"]).exists()
    assert not Article.objects.visible_to(AnonymousUser()).exists()
    # Published articles are not editable in place, for anyone.
    assert not Article.objects.editable_by(people["editor"]).filter(status="published").exists()


def test_the_menu_shows_article_management_to_editors_only(people, bmdt):
    assert "文章管理" in login(people["editor"]).get(url("article_list")).content.decode()
    home = login(people["staff"]).get("/indicators/cockpit/")
    assert "文章管理" not in home.content.decode()


# --- the list ----------------------------------------------------------------------------


def test_list_filters_by_channel_status_and_search(people, bmdt):
    tzgg = Channel.objects.get(slug="tzgg")
    a = draft(people["editor"], bmdt, title="部门动态里的草稿", body="<p>招商引资签约</p>")
    b = in_review(people, tzgg, title="通知公告待审", body="<p>经济运行</p>")
    client = login(people["reviewer"])

    def titles(**params) -> str:
        return client.get(url("article_list"), params).content.decode()

    dtxx = Channel.objects.get(slug="dtxx")  # 动态信息: the parent of both channels
    assert a.title in titles(channel=bmdt.pk) and b.title not in titles(channel=bmdt.pk)
    assert a.title in titles(channel=dtxx.pk) and b.title in titles(channel=dtxx.pk)
    assert b.title in titles(status="in_review") and a.title not in titles(status="in_review")
    assert a.title in titles(q="招商引资") and b.title not in titles(q="招商引资")


def test_list_exports_what_it_shows(people, bmdt):
    draft(people["editor"], bmdt, title="导出测试文章")
    client = login(people["editor"])
    resp = client.get(url("article_list"), {"status": "draft", "export": "csv"})
    assert resp.status_code == 200
    text = resp.content.decode("utf-8-sig")
    assert "导出测试文章" in text
    assert "草稿" in text
    assert "<span" not in text and "<a " not in text
    assert "衡阳高新区全方位践行" not in text  # published: filtered out
    xlsx = client.get(url("article_list"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    "name,page",
    [
        ("article_list", lambda a: url("article_list")),
        ("article_detail", lambda a: url("article_detail", a.pk)),
        ("article_edit", lambda a: url("article_edit", a.pk)),
    ],
)
def test_pages_run_the_same_queries_for_more_articles_and_versions(people, bmdt, name, page):
    article = draft(people["editor"], bmdt)
    client = login(people["editor"])

    def grow():
        for i in range(8):
            draft(people["editor2"], bmdt, title=f"更多文章{i}")
            services.save_article(
                by=people["editor2"],
                channel=bmdt,
                title=f"第{i}稿",
                body="<p>x</p>",
                instance=article,
            )
            services.add_attachment(
                by=people["editor"], article=article, name=f"{i}.png", data=png(), image=True
            )

    assert_queries_constant(lambda: client.get(page(article)), grow)
    with assert_query_count(f"{name}:editor", BASELINE):
        client.get(page(article))


# --- writing --------------------------------------------------------------------------------


def test_an_editor_writes_a_draft_through_the_page(people, bmdt):
    client = login(people["editor"])
    resp = client.post(url("article_add"), form_data(bmdt))
    article = Article.objects.get(title="高新区召开上半年经济形势分析会")
    assert resp.status_code == 302
    assert resp["Location"] == url("article_detail", article.pk)
    assert article.status == ArticleStatus.DRAFT
    assert article.created_by == people["editor"]
    assert article.body == "<p>上半年地区生产总值增长6.9%。</p>"
    assert article.versions.count() == 1


def test_the_edit_page_has_the_editor_and_a_textarea_that_works_without_it(article, people):
    html = login(people["editor"]).get(url("article_edit", article.pk)).content.decode()
    assert "vendor/quill/quill.js" in html
    assert "shouwei/js/article-editor.js" in html
    assert re.search(r"<textarea[^>]*data-rich-editor", html)
    assert "&lt;p&gt;第一段。&lt;/p&gt;" in html  # the stored body, escaped, in the textarea
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html
    for hint in ("纯文本，不能包含 HTML 标记", "文章所在栏目", "从 Word/WPS 粘贴", "去除"):
        assert hint in html


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_in_the_body_is_removed_when_saved_through_the_page(name, people, bmdt):
    client = login(people["editor"])
    resp = client.post(
        url("article_add"), form_data(bmdt, title=f"攻击 {name}", body=ATTACKS[name])
    )
    assert resp.status_code == 302
    article = Article.objects.get(title=f"攻击 {name}")
    _assert_clean(article.body)
    assert "正文" in article.body


def test_a_title_with_html_is_a_form_error_and_nothing_is_saved(people, bmdt):
    client = login(people["editor"])
    resp = client.post(url("article_add"), form_data(bmdt, title="365体育官网<b>x</b>"))
    assert resp.status_code == 400
    assert "标题只能是纯文本，不能包含 HTML 标记或实体" in resp.content.decode()
    assert not Article.objects.filter(title__contains="365").exists()


def test_a_body_that_is_only_script_is_a_form_error(people, bmdt):
    client = login(people["editor"])
    resp = client.post(url("article_add"), form_data(bmdt, body="<script>alert(1)</script>"))
    assert resp.status_code == 400
    assert "正文不能为空" in resp.content.decode()


def test_plain_text_typed_without_the_editor_becomes_paragraphs(people, bmdt):
    client = login(people["editor"])
    body = "上半年经济运行稳中有进。\n▲项目开工现场\n下半年奋楫争先。"
    client.post(url("article_add"), form_data(bmdt, body=body))
    article = Article.objects.get(title="高新区召开上半年经济形势分析会")
    assert article.body == (
        "<p>上半年经济运行稳中有进。</p>\n"
        '<p class="photo-caption">▲项目开工现场</p>\n'
        "<p>下半年奋楫争先。</p>"
    )


def test_word_html_posted_to_the_page_is_cleaned(people, bmdt):
    login(people["editor"]).post(url("article_add"), form_data(bmdt, body=WORD))
    body = Article.objects.get(title="高新区召开上半年经济形势分析会").body
    for junk in ("Mso", "<o:p", "style=", "<span", "file:///", "<xml", "Normal"):
        assert junk not in body
    assert '<p class="photo-caption">▲会议现场</p>' in body


def test_a_published_article_cannot_be_edited_through_the_page(people, bmdt):
    article = published(people, bmdt)
    client = login(people["editor"])
    assert client.get(url("article_edit", article.pk)).status_code == 403
    resp = client.post(url("article_edit", article.pk), form_data(bmdt, title="篡改"))
    assert resp.status_code == 403
    article.refresh_from_db()
    assert article.title == "测试文章"


def test_a_request_over_the_size_limit_gets_a_clear_message(people, bmdt):
    client = login(people["editor"])
    too_big = "<p>" + "长" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 10) + "</p>"
    resp = client.post(url("article_add"), form_data(bmdt, body=too_big))
    assert resp.status_code == 400
    assert "提交的内容过大" in resp.content.decode()
    assert not Article.objects.filter(title="高新区召开上半年经济形势分析会").exists()


# --- uploads ---------------------------------------------------------------------------------


def test_an_image_uploaded_from_the_editor_is_reencoded_and_its_address_returned(article, people):
    client = login(people["editor"])
    resp = upload(client, article, "现场.jpg", png(exif=True), caption="▲项目开工现场")
    assert resp.status_code == 201
    data = resp.json()
    att = Attachment.objects.get(article=article)
    assert data == {"url": att.get_absolute_url(), "caption": "▲项目开工现场", "name": "现场.jpg"}
    with att.file.open("rb") as fh:
        assert not Image.open(io.BytesIO(fh.read())).getexif()
    # The editor and the preview show it at the address the published page will use ...
    assert client.get(data["url"]).status_code == 200
    assert "private" in client.get(data["url"])["Cache-Control"]
    # ... which the public cannot open while the article is a draft.
    assert Client().get(data["url"]).status_code == 404
    assert login(people["staff"]).get(data["url"]).status_code == 404


@pytest.mark.parametrize(
    "name,data",
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("photo.png", b"<html><body><script>alert(1)</script></body></html>"),
        ("photo.png", b'<?xml version="1.0"?><svg onload="alert(1)"></svg>'),
    ],
)
def test_an_image_that_is_svg_or_html_is_refused_with_a_chinese_error(article, people, name, data):
    client = login(people["editor"])
    resp = upload(client, article, name, data)
    assert resp.status_code == 400
    assert "不是 PNG/JPEG/GIF/WebP 图片" in resp.json()["errors"]["file"][0]["message"]
    # Without JavaScript: the edit page again, the error beside the upload field.
    page = upload(client, article, name, data, json=False)
    assert page.status_code == 400
    assert "不是 PNG/JPEG/GIF/WebP 图片（SVG、HTML 等一律拒绝）" in page.content.decode()
    assert 'id="id_image-file"' in page.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("kind,name", [("image", "big.png"), ("file", "big.pdf")])
def test_a_50_mb_upload_is_refused_with_a_chinese_error(article, people, kind, name):
    client = login(people["editor"])
    data = (b"%PDF-" if kind == "file" else b"\x89PNG\r\n\x1a\n") + b"\0" * (50 * 1024 * 1024)
    resp = upload(client, article, name, data, kind=kind)
    assert resp.status_code == 400
    assert "文件过大：50.0 MB，上限 20 MB" in resp.json()["error"]
    page = upload(client, article, name, data, kind=kind, json=False)
    assert page.status_code == 400
    assert "文件过大：50.0 MB，上限 20 MB" in page.content.decode()
    assert not Attachment.objects.exists()


def _multipart(field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    # Written by hand: the test client would strip the path from the name before sending.
    boundary = "----shouwei-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_path_in_an_attachment_name_is_dropped(article, people):
    client = login(people["editor"])
    body, content_type = _multipart("attachment-file", "../../x.pdf", b"%PDF-1.4\n%%EOF")
    resp = client.post(url("article_file", article.pk), body, content_type=content_type)
    assert resp.status_code == 302
    att = Attachment.objects.get(article=article)
    assert att.original_name == "x.pdf"
    assert ".." not in att.file.name
    assert att.file.path.startswith(str(settings.MEDIA_ROOT))


def test_a_document_that_is_not_what_its_name_says_is_refused(article, people):
    resp = upload(login(people["editor"]), article, "报告.pdf", b"<html></html>", kind="file")
    assert resp.status_code == 400
    assert "类型不允许或与内容不符" in resp.json()["error"]


def test_attachments_are_uploaded_listed_and_deleted_on_the_edit_page(article, people):
    client = login(people["editor"])
    resp = upload(client, article, "统计表.pdf", b"%PDF-1.4\n%%EOF", kind="file", json=False)
    assert resp.status_code == 302
    page = client.get(url("article_edit", article.pk)).content.decode()
    att = Attachment.objects.get(article=article)
    assert "统计表.pdf" in page
    assert url("attachment_delete", att.pk) in page
    client.post(url("attachment_delete", att.pk))
    assert not Attachment.objects.filter(pk=att.pk).exists()


def test_an_image_still_in_the_body_is_not_deleted(article, people, bmdt):
    client = login(people["editor"])
    img = upload(client, article, "a.png", png()).json()
    services.save_article(
        by=people["editor"],
        channel=bmdt,
        title=article.title,
        body=f'<p><img src="{img["url"]}" alt="现场"></p><p>正文</p>',
        instance=article,
    )
    resp = client.post(url("attachment_delete", Attachment.objects.get().pk), follow=True)
    assert "正文中仍在使用" in resp.content.decode()
    assert Attachment.objects.count() == 1


def test_nothing_is_uploaded_to_a_published_article(people, bmdt):
    article = published(people, bmdt)
    client = login(people["editor"])
    resp = upload(client, article, "a.png", png())
    assert resp.status_code == 400
    assert "请先撤回" in resp.json()["error"]
    page = upload(client, article, "a.png", png(), json=False)
    assert page.status_code == 302  # to the article, where the message says why
    assert "请先撤回" in client.get(page["Location"]).content.decode()
    assert not Attachment.objects.exists()


# --- the workflow ----------------------------------------------------------------------------


def _post(client, name, article, **data):
    return client.post(url(name, article.pk), data, follow=True)


def test_submit_then_another_reviewer_publishes_through_the_pages(people, bmdt):
    article = draft(people["editor"], bmdt)
    editor, reviewer = login(people["editor"]), login(people["reviewer"])
    page = editor.get(url("article_detail", article.pk)).content.decode()
    assert "送审" in page and url("article_publish", article.pk) not in page
    assert "已送审" in _post(editor, "article_submit", article).content.decode()
    page = reviewer.get(url("article_detail", article.pk)).content.decode()
    assert url("article_publish", article.pk) in page
    assert "已发布" in _post(reviewer, "article_publish", article).content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.reviewed_by == people["reviewer"]
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_a_reviewer_cannot_publish_their_own_article_through_the_page(people, bmdt):
    client = login(people["reviewer"])
    client.post(url("article_add"), form_data(bmdt))
    article = Article.objects.get(title="高新区召开上半年经济形势分析会")
    _post(client, "article_submit", article)
    resp = _post(client, "article_publish", article)
    assert "不能审核发布自己撰写或修改过的文章（双人审核）" in resp.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_a_reviewer_who_edited_the_draft_cannot_publish_it(people, bmdt):
    article = draft(people["editor"], bmdt)
    reviewer = login(people["reviewer"])
    reviewer.post(url("article_edit", article.pk), form_data(bmdt, body="<p>审核人改过</p>"))
    _post(login(people["editor"]), "article_submit", article)
    resp = _post(reviewer, "article_publish", article)
    assert "双人审核" in resp.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    _post(login(people["reviewer2"]), "article_publish", article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED


def test_an_editor_cannot_publish_even_by_posting(people, bmdt):
    article = in_review(people, bmdt)
    resp = _post(login(people["editor2"]), "article_publish", article)
    assert resp.status_code == 200
    assert "没有门户网站的编辑或审核权限" in resp.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_withdraw_takes_the_page_offline_and_allows_editing_again(people, bmdt):
    article = published(people, bmdt)
    reviewer = login(people["reviewer"])
    assert (
        url("article_withdraw", article.pk)
        in reviewer.get(url("article_detail", article.pk)).content.decode()
    )
    _post(reviewer, "article_withdraw", article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.WITHDRAWN
    assert Client().get(article.get_absolute_url()).status_code == 404
    assert login(people["editor"]).get(url("article_edit", article.pk)).status_code == 200


def test_a_wrong_step_is_a_message_not_an_error_page(people, bmdt):
    article = draft(people["editor"], bmdt)
    resp = _post(login(people["reviewer"]), "article_withdraw", article)
    assert resp.status_code == 200
    assert "只有已发布的文章可以撤回" in resp.content.decode()


def test_a_reviewer_returns_an_article_with_a_reason_and_may_publish_the_corrected_text(
    people, bmdt
):
    article = in_review(people, bmdt)
    reviewer = login(people["reviewer"])
    resp = _post(reviewer, "article_return", article, reason="第二段数据口径与统计局不一致")
    assert "已退回修改" in resp.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    page = login(people["editor"]).get(url("article_detail", article.pk)).content.decode()
    assert "第二段数据口径与统计局不一致" in page  # in the 审核记录
    services.save_article(
        by=people["editor"], channel=bmdt, title="测试文章", body="<p>改好了</p>", instance=article
    )
    _post(login(people["editor"]), "article_submit", article)
    _post(reviewer, "article_publish", article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED


def test_a_return_reason_with_html_is_refused(people, bmdt):
    article = in_review(people, bmdt)
    resp = _post(login(people["reviewer"]), "article_return", article, reason="<b>x</b>")
    assert "退回理由只能是纯文本" in resp.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


# --- versions and preview --------------------------------------------------------------------


def test_every_version_is_listed_with_a_readable_diff(people, bmdt):
    article = draft(
        people["editor"], bmdt, body="<p>上半年地区生产总值增长6.9%。</p><p>第二段不变。</p>"
    )
    services.save_article(
        by=people["editor"],
        channel=bmdt,
        title="测试文章（修订）",
        body="<p>上半年地区生产总值增长7.2%。</p><p>第二段不变。</p><p>新增一段。</p>",
        instance=article,
    )
    client = login(people["reviewer"])
    detail = client.get(url("article_detail", article.pk)).content.decode()
    assert url("article_version", article.pk, 1) in detail
    assert url("article_version", article.pk, 2) in detail
    page = client.get(url("article_version", article.pk, 2)).content.decode()
    assert '<del class="diff-del">测试文章</del>' in page
    assert '<ins class="diff-ins">测试文章（修订）</ins>' in page
    assert (
        '上半年地区生产总值增长<del class="diff-del">6</del><ins class="diff-ins">7</ins>.'
        '<del class="diff-del">9</del><ins class="diff-ins">2</ins>%。' in page
    )
    assert '<ins class="diff-ins">新增一段。</ins>' in page
    first = client.get(url("article_version", article.pk, 1)).content.decode()
    assert "这是第一版" in first
    assert client.get(url("article_version", article.pk, 9)).status_code == 404


def test_an_image_added_or_removed_shows_in_the_diff(people, bmdt):
    article = draft(people["editor"], bmdt, body="<p>正文</p>")
    services.save_article(
        by=people["editor"],
        channel=bmdt,
        title=article.title,
        body='<p>正文</p><p><img src="/portal/attachment/7/" alt="开工现场"></p>',
        instance=article,
    )
    page = login(people["editor"]).get(url("article_version", article.pk, 2)).content.decode()
    assert '<ins class="diff-ins">[图片：开工现场]</ins>' in page


def test_long_unchanged_stretches_are_folded():
    from shouwei.portal.diffs import text_diff

    old = "\n".join(f"第{i}段" for i in range(10))
    new = old.replace("第5段", "第5段（改）")
    kinds = [(line.kind, line.folded) for line in text_diff(old, new)]
    assert kinds == [("fold", 4), ("same", 0), ("change", 0), ("same", 0), ("fold", 3)]


def test_the_preview_shows_a_draft_as_the_public_page_will(people, bmdt):
    article = draft(
        people["editor"], bmdt, body='<p>预览正文</p><p class="photo-caption">▲现场</p>'
    )
    resp = login(people["reviewer"]).get(url("article_preview", article.pk))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "预览（草稿）" in html
    assert '<h1 id="article-title">测试文章</h1>' in html
    assert '<p class="photo-caption">▲现场</p>' in html
    assert "扫一扫在手机打开当前页" in html
    assert "no-cache" in resp["Cache-Control"]
    assert resp["X-Robots-Tag"] == "noindex, nofollow"
    article.refresh_from_db()
    assert article.view_count == 0


def test_the_preview_renders_the_same_article_as_the_public_page(people, bmdt):
    article = published(people, bmdt, body="<p>一模一样</p>")

    def article_element(html: str) -> str:
        element = re.search(r'<article class="article".*?</article>', html, re.S).group(0)
        return re.sub(r"<span data-views>\d*</span>", "", element)

    public = Client(HTTP_USER_AGENT="Mozilla/5.0 test").get(article.get_absolute_url())
    preview = login(people["editor"]).get(url("article_preview", article.pk))
    assert article_element(preview.content.decode()) == article_element(public.content.decode())


def test_a_reviewer_is_not_offered_publish_on_their_own_article(people, bmdt):
    article = draft(people["reviewer"], bmdt)
    services.submit_for_review(by=people["reviewer"], article=article)
    page = login(people["reviewer"]).get(url("article_detail", article.pk)).content.decode()
    assert url("article_publish", article.pk) not in page
    assert "须由另一位审核人发布" in page
    other = login(people["reviewer2"]).get(url("article_detail", article.pk)).content.decode()
    assert url("article_publish", article.pk) in other


def test_a_reviewer_who_changed_the_text_is_not_offered_publish(people, bmdt):
    article = draft(people["editor"], bmdt)
    services.save_article(
        by=people["reviewer"], channel=bmdt, title="改过", body="<p>改过</p>", instance=article
    )
    services.submit_for_review(by=people["editor"], article=article)
    page = login(people["reviewer"]).get(url("article_detail", article.pk)).content.decode()
    assert url("article_publish", article.pk) not in page


def test_publish_is_offered_exactly_to_those_the_service_lets_publish(people, bmdt):
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    own = draft(people["reviewer"], bmdt, title="审核人自己写的")
    services.submit_for_review(by=people["reviewer"], article=own)
    changed = draft(people["editor"], bmdt, title="审核人改过的")
    services.save_article(
        by=people["reviewer"],
        channel=bmdt,
        title="审核人改过的",
        body="<p>改</p>",
        instance=changed,
    )
    services.submit_for_review(by=people["editor"], article=changed)
    plain = in_review(people, bmdt, title="编辑写的")
    for article in (own, changed, plain):
        for who in ("editor", "editor2", "reviewer", "reviewer2"):
            user = people[who]
            page = login(user).get(url("article_detail", article.pk)).content.decode()
            offered = url("article_publish", article.pk) in page
            try:
                with transaction.atomic():
                    services.publish(by=user, article=Article.objects.get(pk=article.pk))
                    transaction.set_rollback(True)
                allowed = True
            except PermissionDenied:
                allowed = False
            assert offered == allowed, (article.title, who)

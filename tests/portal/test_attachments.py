"""Uploads: images are real images (re-encoded, EXIF gone), files are what they claim, names
are harmless, size is bounded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import Image

from shouwei.core.uploads import safe_filename
from shouwei.portal.models import Attachment
from shouwei.portal.services import (
    add_attachment,
    publish,
    save_article,
    submit_for_review,
)


@pytest.fixture
def article(bmdt, people):
    return save_article(by=people["editor"], channel=bmdt, title="附件测试", body="<p>正文</p>")


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x013B] = "张三"  # Artist: a person's name the public page must not carry
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def _add(article, people, name, data, image=True):
    return add_attachment(by=people["editor"], article=article, name=name, data=data, image=image)


@pytest.mark.parametrize(
    "name,data",
    [
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"<!doctype html><body onload=alert(1)>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b'<?xml version="1.0"?><svg onload="alert(1)"></svg>'),
    ],
)
def test_image_upload_that_is_html_or_svg_is_refused(article, people, name, data):
    with pytest.raises(ValidationError) as exc:
        _add(article, people, name, data)
    assert "不是 PNG/JPEG/GIF/WebP 图片" in str(exc.value)
    assert not Attachment.objects.exists()


def test_truncated_image_is_refused(article, people):
    with pytest.raises(ValidationError) as exc:
        _add(article, people, "broken.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert "无法解码" in str(exc.value)


def test_upload_of_50_mb_is_refused(article, people):
    with pytest.raises(ValidationError) as exc:
        _add(article, people, "big.pdf", b"%PDF-" + b"\0" * (50 * 1024 * 1024), image=False)
    assert "文件过大" in str(exc.value)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\报告.pdf", "报告.pdf"),
        ("/abs/path/..pdf", "pdf"),
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("...", "file"),
    ],
)
def test_path_traversal_in_names_is_removed(name, expected):
    assert safe_filename(name) == expected


def test_attachment_with_traversal_name_is_stored_under_a_random_name(article, people, settings):
    att = _add(article, people, "../../../etc/cron.d/报告.pdf", b"%PDF-1.4\n%%EOF", image=False)
    assert att.original_name == "报告.pdf"
    assert ".." not in att.file.name
    assert att.file.name.startswith("portal/")
    assert att.file.path.startswith(str(settings.MEDIA_ROOT))


def test_file_whose_content_does_not_match_its_name_is_refused(article, people):
    with pytest.raises(ValidationError) as exc:
        _add(article, people, "report.pdf", b"<html></html>", image=False)
    assert "类型不允许或与内容不符" in str(exc.value)
    with pytest.raises(ValidationError):
        _add(article, people, "page.html", b"<html></html>", image=False)


def test_image_is_reencoded_without_exif(article, people):
    original = _jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()
    att = _add(article, people, "现场.jpg", original)
    with att.file.open("rb") as fh:
        stored = fh.read()
    img = Image.open(io.BytesIO(stored))
    assert img.format == "JPEG"
    assert not img.getexif()
    assert att.content_type == "image/jpeg"


def test_attachment_of_a_published_article_downloads_with_its_name(article, people):
    att = _add(article, people, "../报告.pdf", b"%PDF-1.4\n%%EOF", image=False)
    assert Client().get(att.get_absolute_url()).status_code == 404  # article not published yet
    submit_for_review(by=people["editor"], article=article)
    publish(by=people["reviewer"], article=article)
    resp = Client().get(att.get_absolute_url())
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert "attachment;" in resp["Content-Disposition"]
    assert resp["X-Content-Type-Options"] == "nosniff"

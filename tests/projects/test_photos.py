"""Site photos of monthly reports: cleaned on upload, shown by month, served only in scope."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from shouwei.core.models import ApiToken
from shouwei.core.testing import assert_queries_constant
from shouwei.projects import services
from shouwei.projects.models import ProgressPhoto, ProgressReport

from .conftest import login, make_project, make_report

GPS_IFD = ExifTags.IFD.GPSInfo
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def jpeg_with_gps(size=(2400, 1200)) -> bytes:
    """A photo as a phone writes it: camera make and the place it was taken, in EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    gps = exif.get_ifd(GPS_IFD)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (26.0, 53.0, 42.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (112.0, 34.0, 20.0)
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 140, 200)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def report(zone):
    return make_report(make_project(zone.cyfz, start=date(2021, 1, 1)))


def upload(client, report, data, name="site.jpg", **extra):
    return client.post(
        reverse("projects:photo_add", args=[report.project_id]),
        {"report": report.pk, "image": SimpleUploadedFile(name, data), **extra},
    )


def add(report, by, data=None, **extra) -> ProgressPhoto:
    return services.photo_add(
        by=by, report=report, name="site.jpg", data=data or jpeg_with_gps((64, 48)), **extra
    )


def test_an_uploaded_photo_keeps_no_exif_or_gps_and_is_shrunk(zone, report):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test carries GPS
    response = upload(login(zone.staff_cyfz), report, original, caption="1号厂房主体封顶")
    assert response.status_code == 302
    photo = ProgressPhoto.objects.get()
    with photo.image.open("rb") as fh:
        stored = fh.read()
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif().get_ifd(GPS_IFD)
    assert len(image.getexif()) == 0 and b"Exif" not in stored and b"TestPhone" not in stored
    assert max(image.size) == 1600
    assert max(Image.open(photo.thumbnail.path).size) == services.THUMBNAIL_SIDE
    # Stored under a random name, not the uploader's.
    assert "site" not in photo.image.name and photo.original_name == "site.jpg"
    assert photo.uploaded_by == zone.staff_cyfz and photo.caption == "1号厂房主体封顶"
    assert photo.history.count() == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [("plan.svg", SVG), ("page.html", HTML), ("disguised.jpg", HTML), ("x.jpg", b"\xff\xd8\xff")],
)
def test_svg_html_and_broken_images_are_refused_in_chinese(zone, report, media_root, name, data):
    response = upload(login(zone.staff_cyfz), report, data, name=name)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["image"])
    assert "不是 PNG/JPEG/GIF/WebP 图片" in errors or "图片文件无法解码" in errors
    assert not ProgressPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversize_photo_is_refused(zone, report, media_root, settings):
    settings.SHOUWEI_PHOTO_UPLOAD_MAX_BYTES = 1024
    response = upload(login(zone.staff_cyfz), report, jpeg_with_gps())
    assert response.status_code == 400
    assert "文件过大" in " ".join(response.context["form"].errors["image"])
    assert not ProgressPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_another_department_cannot_add_a_photo(zone, report, media_root, security_log):
    response = upload(login(zone.staff_jjhz), report, jpeg_with_gps((64, 48)))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        add(report, zone.staff_jjhz)
    # The leader sees the project but may not change it.
    assert upload(login(zone.leader), report, jpeg_with_gps((64, 48))).status_code == 403
    assert not ProgressPhoto.objects.exists()
    assert stored_files(media_root) == []
    assert security_log.text.count("refused") >= 3


def test_another_department_cannot_see_a_photo(zone, report, security_log):
    photo = add(report, zone.staff_cyfz)
    for url in (photo.get_absolute_url(), photo.thumbnail_url):
        assert login(zone.staff_jjhz).get(url).status_code == 404
        allowed = login(zone.leader).get(url)
        assert allowed.status_code == 200 and allowed["Content-Type"] == "image/jpeg"
        assert allowed["Cache-Control"].startswith("private")
    assert f"refused project photo #{photo.pk}" in security_log.text
    other_page = login(zone.staff_jjhz).get(report.project.get_absolute_url())
    assert other_page.status_code == 404


def test_a_photo_for_another_projects_report_is_refused(zone, report):
    other = make_report(make_project(zone.cyfz, code="test-002", start=date(2021, 1, 1)))
    response = login(zone.staff_cyfz).post(
        reverse("projects:photo_add", args=[report.project_id]),
        {"report": other.pk, "image": SimpleUploadedFile("a.jpg", jpeg_with_gps((64, 48)))},
    )
    assert response.status_code == 400 and "report" in response.context["form"].errors
    assert not ProgressPhoto.objects.exists()


def test_nothing_is_left_behind_when_the_row_cannot_be_written(
    zone, report, media_root, monkeypatch
):
    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(ProgressPhoto, "save", fail)
    with pytest.raises(DatabaseError):
        add(report, zone.staff_cyfz)
    assert not ProgressPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_a_caption_too_long_is_refused_before_anything_is_stored(zone, report, media_root):
    with pytest.raises(ValidationError) as exc:
        add(report, zone.staff_cyfz, caption="长" * 201)
    assert "caption" in exc.value.message_dict
    assert stored_files(media_root) == []


def test_the_project_page_groups_thumbnails_by_month(zone, report):
    may = make_report(report.project, "2022-05", "5")
    june_photo = add(report, zone.staff_cyfz, caption="六月主体封顶")
    may_photo = add(may, zone.staff_cyfz, caption="五月基础施工")
    page = login(zone.staff_cyfz).get(report.project.get_absolute_url()).content.decode()
    body = page.split('id="photos-title"')[1].split('id="plans-title"')[0]
    assert body.index("2022-06") < body.index("六月主体封顶") < body.index("2022-05")
    assert body.index("2022-05") < body.index("五月基础施工")
    assert june_photo.thumbnail_url in body and may_photo.thumbnail_url in body
    assert reverse("projects:photo_add", args=[report.project_id]) in body
    # The leader sees the photos but has no upload form.
    leader_body = login(zone.leader).get(report.project.get_absolute_url()).content.decode()
    assert june_photo.thumbnail_url in leader_body
    assert reverse("projects:photo_add", args=[report.project_id]) not in leader_body


def test_the_project_page_runs_the_same_queries_for_more_photos(zone, report):
    c = login(zone.staff_cyfz)
    add(report, zone.staff_cyfz)

    def grow():
        for _ in range(5):
            add(report, zone.staff_cyfz)

    assert_queries_constant(lambda: c.get(report.project.get_absolute_url()), grow)


def test_a_report_with_photos_cannot_be_deleted(zone, report):
    add(report, zone.staff_cyfz)
    response = login(zone.staff_cyfz).post(
        reverse("projects:progressreport_delete", args=[report.pk])
    )
    assert response.status_code == 302
    assert ProgressReport.objects.filter(pk=report.pk).exists()


def test_the_api_lists_a_reports_photos_in_scope(zone, report):
    photo = add(report, zone.staff_cyfz, caption="塔吊进场", taken_on=date(2022, 6, 20))

    def api(user):
        _token, key = ApiToken.issue(user=user, name="tests")
        return Client(headers={"authorization": f"Bearer {key}"})

    url = f"/api/project-progress/{report.pk}/photos"
    body = api(zone.leader).get(url).json()
    assert [(p["id"], p["period"], p["caption"], p["taken_on"]) for p in body] == [
        (photo.pk, "2022-06", "塔吊进场", "2022-06-20")
    ]
    assert body[0]["url"] == photo.get_absolute_url()
    assert api(zone.staff_jjhz).get(url).status_code == 404

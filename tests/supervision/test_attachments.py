"""Attachments on progress reports: checked by core.uploads, read behind the report's contract."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shouwei.supervision import services
from shouwei.supervision.models import ProgressReportAttachment
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def report(people, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    frozen(date(2022, 8, 1))
    return services.report_create(
        by=people.clerk,
        milestone=MilestoneFactory(lead_unit=people.cyfz),
        unit=people.cyfz,
        reported_on=date(2022, 8, 1),
        text="已完成自评材料初稿",
        percent=60,
    )


def _upload(client, user, report, name, data):
    client.force_login(user)
    return client.post(
        f"/supervision/progressreports/{report.pk}/attachments/",
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_a_pdf_is_attached_shown_on_the_report_and_downloaded(client, people, report):
    page = _upload(client, people.clerk, report, "自评材料.pdf", PDF).content.decode()
    att = ProgressReportAttachment.objects.get(report=report)
    assert (att.original_name, att.content_type, att.size) == (
        "自评材料.pdf",
        "application/pdf",
        len(PDF),
    )
    assert not att.file.name.endswith("自评材料.pdf")  # stored under a random name
    assert att.uploaded_by == people.clerk
    assert att.history.get().history_user == people.clerk
    assert "附件已上传" in page and "自评材料.pdf" in page
    assert f"/supervision/progressreportattachments/{att.pk}/" in page
    response = client.get(f"/supervision/progressreportattachments/{att.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_a_too_big_file_is_refused(client, people, report, settings):
    settings.SHOUWEI_SUPERVISION_UPLOAD_MAX_BYTES = 1024
    page = _upload(client, people.clerk, report, "a.pdf", PDF + b"0" * 2048).content.decode()
    assert "文件过大" in page
    assert not ProgressReportAttachment.objects.exists()


def test_a_file_whose_content_is_not_its_extension_is_refused(client, people, report):
    page = _upload(client, people.clerk, report, "报告.pdf", b"<html>not a pdf</html>")
    assert "与内容不符" in page.content.decode()
    assert not ProgressReportAttachment.objects.exists()


def test_another_department_can_neither_attach_nor_download(client, people, report):
    att = services.report_attachment_add(by=people.clerk, report=report, name="a.pdf", data=PDF)
    client.force_login(people.other)
    assert client.get(f"/supervision/progressreportattachments/{att.pk}/").status_code == 404
    response = client.post(
        f"/supervision/progressreports/{report.pk}/attachments/",
        {"file": SimpleUploadedFile("b.pdf", PDF)},
    )
    assert response.status_code == 404
    assert ProgressReportAttachment.objects.count() == 1
    # The office and the zone's leader read it, as they read the report.
    for reader in (people.office, people.leader):
        client.force_login(reader)
        assert client.get(f"/supervision/progressreportattachments/{att.pk}/").status_code == 200


def test_a_leader_reads_but_cannot_attach(client, people, report):
    client.force_login(people.leader)
    assert "上传附件" not in client.get(report.get_absolute_url()).content.decode()
    response = client.post(
        f"/supervision/progressreports/{report.pk}/attachments/",
        {"file": SimpleUploadedFile("b.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not ProgressReportAttachment.objects.exists()

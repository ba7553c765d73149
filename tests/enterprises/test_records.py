"""Assignments, attachments and who sees which request."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shouwei.enterprises import services
from shouwei.enterprises.models import LiaisonAssignment, RequestAttachment
from shouwei.enterprises.selectors import requests_for_contact

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _assignment(zone, starts, ends=None, **target):
    a = LiaisonAssignment(
        cadre=zone.cadre, unit=zone.cyfz, starts_on=starts, ends_on=ends, **target
    )
    a.full_clean()
    a.save()
    return a


def test_an_overlapping_assignment_for_the_same_cadre_and_enterprise_is_refused(zone):
    _assignment(zone, date(2022, 1, 1), date(2022, 6, 30), enterprise=zone.enterprise)
    with pytest.raises(ValidationError, match="时间不能重叠"):
        _assignment(zone, date(2022, 6, 30), enterprise=zone.enterprise)
    assert LiaisonAssignment.objects.filter(cadre=zone.cadre).count() == 1


def test_an_open_ended_assignment_overlaps_any_later_one(zone):
    _assignment(zone, date(2022, 1, 1), enterprise=zone.enterprise)
    with pytest.raises(ValidationError, match="至 今"):
        _assignment(zone, date(2023, 1, 1), date(2023, 2, 1), enterprise=zone.enterprise)


def test_consecutive_and_other_enterprise_assignments_are_fine(zone):
    _assignment(zone, date(2022, 1, 1), date(2022, 6, 30), enterprise=zone.enterprise)
    _assignment(zone, date(2022, 7, 1), enterprise=zone.enterprise)
    _assignment(zone, date(2022, 1, 1), enterprise=zone.other)
    assert LiaisonAssignment.objects.filter(cadre=zone.cadre).count() == 3


def test_an_assignment_names_an_enterprise_or_a_project_not_both(zone):
    with pytest.raises(ValidationError, match="只能填一个"):
        _assignment(zone, date(2022, 1, 1))


def _filed(zone):
    return services.request_file(
        by=zone.contact, enterprise=zone.enterprise, category="policy", description="政策咨询"
    )


def test_a_pdf_is_attached(zone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    att = services.attachment_add(
        by=zone.contact, request=_filed(zone), name="营业执照.pdf", data=PDF
    )
    assert (att.original_name, att.content_type, att.size) == (
        "营业执照.pdf",
        "application/pdf",
        len(PDF),
    )
    assert not att.file.name.endswith("营业执照.pdf")  # stored under a random name


def test_a_30_mb_attachment_is_refused(zone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    req = _filed(zone)
    with pytest.raises(ValidationError, match="文件过大"):
        services.check_upload_size(30 * 1024 * 1024)
    with pytest.raises(ValidationError, match="文件过大"):
        services.attachment_add(
            by=zone.contact, request=req, name="a.pdf", data=PDF + b"0" * (30 * 1024 * 1024)
        )
    assert not RequestAttachment.objects.exists()


def test_an_attachment_whose_content_is_not_its_extension_is_refused(zone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match="与内容不符"):
        services.attachment_add(
            by=zone.contact, request=_filed(zone), name="报告.pdf", data=b"<html>not a pdf</html>"
        )
    assert not RequestAttachment.objects.exists()


def test_another_enterprise_s_contact_cannot_attach(zone, settings, tmp_path):
    from django.core.exceptions import PermissionDenied

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(PermissionDenied):
        services.attachment_add(by=zone.other_contact, request=_filed(zone), name="a.pdf", data=PDF)


# --- isolation: an enterprise's contact sees its own requests only --------------------------
@pytest.fixture
def two_requests(zone):
    mine = _filed(zone)
    theirs = services.request_file(
        by=zone.other_contact, enterprise=zone.other, category="land", description="用地"
    )
    return mine, theirs


def _client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_a_contact_lists_only_its_own_requests(zone, two_requests):
    mine, theirs = two_requests
    assert list(requests_for_contact(zone.contact)) == [mine]
    page = _client(zone.contact).get(reverse("enterprises:contact_home"))
    assert page.status_code == 200
    assert mine.description in page.content.decode()
    assert theirs.description not in page.content.decode()


def test_another_enterprise_s_request_by_url_is_404_and_logged(zone, two_requests, security_log):
    _mine, theirs = two_requests
    c = _client(zone.contact)
    assert c.get(reverse("enterprises:contact_request", args=[theirs.pk])).status_code == 404
    assert any(f"#{theirs.pk}" in r.getMessage() for r in security_log.records)
    # Nor through the staff pages, or their export.
    assert c.get(reverse("enterprises:request_detail", args=[theirs.pk])).status_code in (403, 404)
    export = c.get(reverse("enterprises:request_list") + "?export=csv")
    assert export.status_code in (403, 404) or theirs.description not in export.content.decode()


def test_a_contact_rates_its_answered_request_from_its_page(zone, two_requests):
    mine, _ = two_requests
    mine = services.request_accept(by=zone.dispatcher, request=mine, department=zone.jjhz)
    services.request_answer(by=zone.clerk, request=mine, answer="已答复")
    c = _client(zone.contact)
    url = reverse("enterprises:contact_request", args=[mine.pk])
    assert "提交评价" in c.get(url).content.decode()
    assert c.post(url, {"satisfaction": "5"}).status_code == 302
    mine.refresh_from_db()
    assert mine.satisfaction == 5


def test_a_contact_files_with_a_file_or_not_at_all(zone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = _client(zone.contact)
    bad = io.BytesIO(b"MZ\x90\x00 not a document")
    bad.name = "说明.docx"
    page = c.post(
        reverse("enterprises:contact_new"),
        {"category": "finance", "description": "融资需求", "file": bad},
    )
    assert page.status_code == 200 and "与内容不符" in page.content.decode()
    assert not requests_for_contact(zone.contact).exists()
    good = io.BytesIO(PDF)
    good.name = "说明.pdf"
    done = c.post(
        reverse("enterprises:contact_new"),
        {"category": "finance", "description": "融资需求", "file": good},
    )
    assert done.status_code == 302
    req = requests_for_contact(zone.contact).get()
    assert req.attachments.count() == 1


def test_staff_pages_are_closed_to_contacts(zone):
    c = _client(zone.contact)
    assert c.get(reverse("enterprises:enterprise_list")).status_code == 403
    assert c.get(reverse("enterprises:desk")).status_code == 403


def test_a_staff_page_is_closed_to_someone_who_is_not_a_contact(zone):
    c = _client(zone.clerk)
    assert c.get(reverse("enterprises:contact_home")).status_code == 403


def test_the_service_department_registers_a_contact_who_then_files(zone):
    from shouwei.core.choices import Role
    from tests.factories import user_with_role

    c = _client(zone.dispatcher)
    response = c.post(
        reverse("enterprises:enterprisecontact_add"),
        {"enterprise": zone.other.pk, "username": "new-contact"},
    )
    assert response.status_code == 302
    newcomer = user_with_role(Role.ENTERPRISE, zone.gxq, username="new-contact")
    req = services.request_file(
        by=newcomer, enterprise=zone.other, category="policy", description="新联系人的诉求"
    )
    assert list(requests_for_contact(newcomer)) == [req]


def test_a_login_name_speaks_for_one_enterprise_only(zone):
    c = _client(zone.dispatcher)
    response = c.post(
        reverse("enterprises:enterprisecontact_add"),
        {"enterprise": zone.other.pk, "username": "t-contact"},
    )
    assert response.status_code == 400
    assert "已存在" in response.content.decode()
    from shouwei.enterprises.models import EnterpriseContact

    assert EnterpriseContact.objects.get(username="t-contact").enterprise == zone.enterprise

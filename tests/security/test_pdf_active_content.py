"""A PDF carrying /OpenAction JavaScript was accepted as a portal attachment: refused now,
whether the names are plain, #-escaped or inside a compressed object stream."""

import zlib

import pytest
from django.core.exceptions import ValidationError

from shouwei.core.uploads import check_document, pdf_active_content

PLAIN = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF"


def _with_stream(payload: bytes) -> bytes:
    body = zlib.compress(payload)
    head = f"%PDF-1.5\n3 0 obj<</Type/ObjStm/Filter/FlateDecode/Length {len(body)}>>stream\n"
    return head.encode() + body + b"\nendstream\nendobj\n%%EOF"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj",
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/#4FpenAction 5 0 R>>endobj",  # /OpenAction escaped
        b"%PDF-1.4\n1 0 obj<</S/Launch/F(cmd.exe)>>endobj",
        _with_stream(b"<</Type/Catalog/OpenAction<</S/JavaScript/JS(x)>>>>"),
    ],
)
def test_a_pdf_with_active_content_is_refused(data):
    assert pdf_active_content(data)
    with pytest.raises(ValidationError) as exc:
        check_document("通知.pdf", data, limit=10**6)
    assert "可执行内容" in str(exc.value)


def test_a_plain_pdf_is_accepted():
    assert pdf_active_content(PLAIN) == []
    assert check_document("通知.pdf", PLAIN, limit=10**6).extension == "pdf"
    assert pdf_active_content(_with_stream(b"BT /F1 12 Tf (JSON) Tj ET")) == []

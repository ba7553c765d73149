"""Uploaded files, checked the same way in every app: the real type is sniffed from the bytes,
images are decoded and encoded again (EXIF and trailing payloads dropped), names are reduced to
a safe last component, and sizes are capped. Apps call `check_image` / `check_document` and
store the returned bytes under a random name."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
_CONTAINER = {"pdf": "pdf", "docx": "zip", "xlsx": "zip", "doc": "ole", "xls": "ole"}
_SAFE_CHARS = re.compile(r"[^\w\u4e00-\u9fff（）()\-. ]+")


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    original_name: str  # safe for display and Content-Disposition
    extension: str  # without the dot: the name to store it under ends with this
    content_type: str


def safe_filename(name: str) -> str:
    """The last path component only, without control characters or leading dots:
    ``../../etc/passwd`` → ``passwd``, ``..\\..\\a.pdf`` → ``a.pdf``."""
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _SAFE_CHARS.sub("_", name).strip(" .")
    return name[-150:] or "file"


def sniff(data: bytes) -> str | None:
    """The real type from the first bytes, whatever the name or browser claims."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def check_size(data: bytes | int, limit: int, field: str = "file") -> None:
    """``data`` is the bytes, or the size an upload declares (checked before reading it)."""
    size = data if isinstance(data, int) else len(data)
    if size > limit:
        raise ValidationError(
            {field: f"文件过大：{size / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB"}
        )


def reencode_image(data: bytes, kind: str, *, max_side: int | None = None) -> bytes:
    """Decode and encode again: drops EXIF (GPS, camera) and anything smuggled after the
    image data; a file that does not decode is not an image. ``max_side`` shrinks large
    photos (a phone's 12-megapixel progress photo) to a size a page can show."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            if kind == "jpeg":
                # Honour the camera's rotation before the EXIF that carries it is dropped.
                img = ImageOps.exif_transpose(img)
            if max_side and max(img.size) > max_side:
                img.thumbnail((max_side, max_side))
            out = io.BytesIO()
            fmt = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}[kind]
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            img.save(out, format=fmt)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({"file": "图片文件无法解码，已拒绝"}) from exc
    return out.getvalue()


def check_image(
    name: str, data: bytes, *, limit: int, max_side: int | None = None, field: str = "file"
) -> CheckedFile:
    """PNG/JPEG/GIF/WebP only (SVG and HTML are refused), re-encoded."""
    check_size(data, limit, field)
    original = safe_filename(name)
    kind = sniff(data)
    if kind not in IMAGE_TYPES:
        raise ValidationError(
            {field: f"“{original}”不是 PNG/JPEG/GIF/WebP 图片（SVG、HTML 等一律拒绝）"}
        )
    try:
        clean = reencode_image(data, kind, max_side=max_side)
    except ValidationError as exc:
        raise ValidationError({field: exc.message_dict["file"]}) from exc
    return CheckedFile(clean, original, "jpg" if kind == "jpeg" else kind, IMAGE_TYPES[kind])


def check_document(name: str, data: bytes, *, limit: int, field: str = "file") -> CheckedFile:
    """PDF, Word or Excel whose bytes match the extension."""
    check_size(data, limit, field)
    original = safe_filename(name)
    ext = os.path.splitext(original)[1].lower().lstrip(".")
    if ext not in FILE_TYPES or _CONTAINER[ext] != sniff(data):
        raise ValidationError(
            {field: f"“{original}”的类型不允许或与内容不符；只接受 PDF、Word、Excel"}
        )
    if ext == "pdf" and (active := pdf_active_content(data)):
        raise ValidationError(
            {
                field: f"“{original}”含有可执行内容（{'、'.join(active)}），不能作为附件；"
                "请用“打印为 PDF”或“另存为 PDF”重新生成后上传"
            }
        )
    return CheckedFile(data, original, ext, FILE_TYPES[ext])


# PDF names that run something or reach out when the file is opened or clicked: scripts,
# open/page/field actions, launching programs, forms that submit, embedded files and media.
_PDF_ACTIVE = (
    b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/Launch", b"/SubmitForm",
    b"/ImportData", b"/RichMedia", b"/EmbeddedFile", b"/EmbeddedFiles", b"/XFA", b"/GoToE",
)  # fmt: skip
_PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _pdf_names(data: bytes) -> set[bytes]:
    # A name may spell letters as #xx escapes (/J#61vaScript is /JavaScript).
    return {
        _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), n)
        for n in _PDF_NAME.findall(data)
    }


def pdf_active_content(data: bytes) -> list[str]:
    """The active-content names a PDF holds, in its objects and in its compressed object
    streams (a dictionary hidden in a Flate stream is read the same way). Empty: a plain
    document."""
    import zlib

    names = _pdf_names(data)
    for body in _PDF_STREAM.findall(data):
        try:
            # Bounded: a stream that inflates past 50 MB is not a document's object stream.
            inflated = zlib.decompressobj().decompress(body, 50 * 1024 * 1024)
        except zlib.error:
            continue
        names |= _pdf_names(inflated)
    return sorted(n.decode("latin-1").lstrip("/") for n in names & set(_PDF_ACTIVE))

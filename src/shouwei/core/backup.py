"""``shouwei backup`` / ``shouwei restore``: the whole instance in one checksummed file.

The archive (tar, gzip) holds ``manifest.json`` (format version, time, database engine, the
applied migrations, a SHA-256 for every other member), ``data.json`` (every table, Django's
serialisation with natural keys for content types, so it loads into SQLite or PostgreSQL
alike) and ``media/`` (uploaded files: import originals, attachments, photos).

Consistency: the tables are read in one transaction — on PostgreSQL ``REPEATABLE READ READ
ONLY``, one snapshot for all of them while the site keeps running; on SQLite the transaction
holds the write lock for the dump, so nothing changes under it (writers wait, pages read on).
Media are copied after the data: a file uploaded meanwhile is in the archive without its row,
never a row without its file — except a file deleted meanwhile, which the platform never does
(attachments and import files are kept for the history).

Not in the archive: the secret key (``SHOUWEI_DATA_DIR/secret_key``; keep it with the
operators' secrets), sessions (everyone logs in again), content types and permissions (made
by ``migrate``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

FORMAT = 1
EXCLUDED = ("contenttypes.contenttype", "auth.permission", "sessions.session")


class BackupError(Exception):
    """The archive cannot be used; the message says why."""


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps the microseconds (the
    history's timestamps order its versions)."""

    def default(self, o):
        if isinstance(o, datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _models():
    return [
        m
        for m in apps.get_models()
        if m._meta.label_lower not in EXCLUDED and m._meta.managed and not m._meta.proxy
    ]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dump() -> bytes:
    """Every table, in one consistent read."""
    out = io.StringIO()
    # Called inside a transaction that has read already (a test, a caller's atomic block), the
    # snapshot is that transaction's: PostgreSQL refuses to change its isolation level then.
    outer = connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        objects = (obj for model in _models() for obj in model._base_manager.order_by("pk"))
        serializers.serialize(
            "json",
            objects,
            stream=out,
            use_natural_foreign_keys=True,
            indent=None,
            cls=_FullPrecisionEncoder,
        )
    return out.getvalue().encode("utf-8")


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def backup(path: Path) -> dict:
    """Write the archive to ``path`` (0600); returns its manifest."""
    data = _dump()
    root = Path(settings.MEDIA_ROOT)
    members: dict[str, bytes] = {"data.json": data}
    for f in _media_files():
        members[f"media/{f.relative_to(root).as_posix()}"] = f.read_bytes()
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "engine": connection.vendor,
        "migrations": sorted(
            f"{app}.{name}"
            for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
        ),
        "files": {name: _sha(content) for name, content in members.items()},
    }
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh, tarfile.open(fileobj=fh, mode="w:gz") as tar:
        for name, content in [
            ("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode()),
            *members.items(),
        ]:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(content), 0o600
            tar.addfile(info, io.BytesIO(content))
    tmp.replace(path)  # whole or not at all: no half-written backup under the real name
    return manifest


def read_archive(path: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and the members, every checksum verified."""
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            members = {}
            for info in tar.getmembers():
                if not info.isfile() or info.name.startswith("/") or ".." in info.name.split("/"):
                    raise BackupError(f"备份文件中有不安全的条目：{info.name}")
                members[info.name] = tar.extractfile(info).read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from exc
    try:
        manifest = json.loads(members.pop("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError("备份文件缺少有效的 manifest.json") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式版本：{manifest.get('format')}")
    expected = manifest.get("files", {})
    if set(expected) != set(members):
        raise BackupError("备份文件的内容与清单不一致（缺少或多出文件）")
    for name, content in members.items():
        if _sha(content) != expected[name]:
            raise BackupError(f"校验失败：{name} 的 SHA-256 与清单不符，备份已损坏或被改动")
    return manifest, members


def _is_empty() -> bool:
    from django.contrib.auth import get_user_model

    from .models import Unit

    return not get_user_model().objects.exists() and not Unit.objects.exists()


def restore(path: Path) -> dict:
    """Into an empty instance: migrate, load every table in one transaction, reset the
    sequences (PostgreSQL), then put the media files back."""
    manifest, members = read_archive(path)
    call_command("migrate", verbosity=0, interactive=False)
    applied = {
        f"{app}.{name}"
        for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
    }
    missing = set(manifest["migrations"]) - applied
    if missing:
        raise BackupError(
            "备份来自更新的版本（本实例缺少迁移："
            + "、".join(sorted(missing)[:5])
            + "），请先升级程序"
        )
    if not _is_empty():
        raise BackupError("目标实例已有数据：只能恢复到空实例（新的数据目录或空数据库）")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        fh.write(members.pop("data.json"))
    try:
        # The history tables come back from the archive as they were: loading the rows must not
        # write history of its own (simple_history records m2m changes even on a raw load).
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", fh.name, verbosity=0)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), _models()):
                    cursor.execute(sql)
    finally:
        os.unlink(fh.name)
    root = Path(settings.MEDIA_ROOT)
    for name, content in members.items():
        target = root / name.removeprefix("media/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return manifest


def table_digests() -> dict[str, str]:
    """One SHA-256 per table over all its rows (what a round trip must keep equal)."""
    out = {}
    for model in _models():
        stream = io.StringIO()
        serializers.serialize(
            "json",
            model._base_manager.order_by("pk"),
            stream=stream,
            use_natural_foreign_keys=True,
            cls=_FullPrecisionEncoder,
        )
        out[model._meta.label_lower] = _sha(stream.getvalue().encode())
    return out

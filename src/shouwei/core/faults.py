"""What a person is told when the machine, not the input, is at fault: the database cannot be
reached, or the disk the data directory is on is full. Said once here for the 503 page and for
the ``shouwei`` commands."""

from __future__ import annotations

import errno

# SQLite's words for a full disk: "database or disk is full" when a page cannot be added,
# "disk I/O error" when the WAL or its index cannot grow.
_DISK_FULL_WORDS = ("disk is full", "disk i/o error", "no space left")


def is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(error).lower()
    return any(words in text for words in _DISK_FULL_WORDS)


def explain(error: BaseException) -> str:
    """One sentence for the operator or the user, in Chinese, with the system's own words."""
    if is_disk_full(error):
        return (
            f"数据目录所在的磁盘空间已满或无法写入，本次操作没有写入任何数据；"
            f"请释放空间后重试。（{error}）"
        )
    return f"数据库暂时无法连接或不可用，本次操作没有写入任何数据；请稍后重试。（{error}）"

"""`shouwei loaddemo` works on a data directory nobody has used yet."""

import os
import sqlite3
import subprocess
import sys


def test_loaddemo_on_a_new_data_directory_migrates_first_and_loads(tmp_path):
    # A real process on a new SQLite file: the test database is migrated already, so only a
    # fresh data directory shows what a newcomer's first `shouwei loaddemo` meets.
    env = {k: v for k, v in os.environ.items() if k != "SHOUWEI_DATABASE_URL"}
    env["SHOUWEI_DATA_DIR"] = str(tmp_path)

    result = subprocess.run(
        [sys.executable, "-m", "shouwei.cli", "loaddemo", "--no-synthetic"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "数据库已迁移" in result.stdout
    assert "演示数据已就绪" in result.stdout
    (database,) = tmp_path.glob("*.sqlite3")
    with sqlite3.connect(database) as db:
        assert db.execute("select count(*) from core_unit where code = 'hy-gxq'").fetchone() == (1,)

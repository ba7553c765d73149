"""The internet-facing instance (SHOUWEI_SITE=portal) leaves out what only logged-in platform
users need, and still passes Django's system checks."""

import os
import subprocess
import sys

from tests.core.test_tls_settings import settings_under


def test_portal_instance_runs_without_platform_only_middleware(tmp_path):
    middleware = settings_under(
        {"SHOUWEI_DATA_DIR": str(tmp_path), "SHOUWEI_SITE": "portal"},
        "s.MIDDLEWARE",
    )
    assert "axes.middleware.AxesMiddleware" not in middleware
    assert "shouwei.core.middleware.LoginRequiredMiddleware" not in middleware
    assert "csp.middleware.CSPMiddleware" in middleware
    platform = settings_under({"SHOUWEI_DATA_DIR": str(tmp_path)}, "s.MIDDLEWARE")
    assert "axes.middleware.AxesMiddleware" in platform


def test_portal_instance_passes_the_system_checks(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHOUWEI_")}
    result = subprocess.run(
        [sys.executable, "-m", "shouwei.cli", "check", "--fail-level", "WARNING"],
        env={**clean, "SHOUWEI_DATA_DIR": str(tmp_path), "SHOUWEI_SITE": "portal"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr

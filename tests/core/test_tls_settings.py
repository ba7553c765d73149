"""Behind TLS the platform and portal send HSTS; without TLS they do not (it would lock out a
plain-HTTP intranet install)."""

import json
import os
import subprocess
import sys

import pytest


def settings_under(env: dict[str, str], expression: str | None = None):
    """Settings as a fresh process computes them from ``env`` (settings read the environment
    once, at import): ``expression`` over the module ``s``, or the TLS-related ones."""
    code = "import json, shouwei.settings as s; print(json.dumps(%s))" % (
        expression
        or "{'hsts': s.SECURE_HSTS_SECONDS,"
        " 'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None),"
        " 'secure_cookie': s.SESSION_COOKIE_SECURE}"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHOUWEI_")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_hsts_is_sent_only_behind_tls(tmp_path):
    plain = settings_under({"SHOUWEI_DATA_DIR": str(tmp_path)})
    tls = settings_under({"SHOUWEI_DATA_DIR": str(tmp_path), "SHOUWEI_SECURE_COOKIES": "1"})
    assert plain == {"hsts": 0, "proxy": None, "secure_cookie": False}
    assert tls["hsts"] >= 31536000 and tls["secure_cookie"] is True


def test_proxy_protocol_header_is_trusted_only_when_asked(tmp_path):
    env = {"SHOUWEI_DATA_DIR": str(tmp_path), "SHOUWEI_TRUST_PROXY_PROTO": "1"}
    assert settings_under(env)["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.django_db
def test_a_secure_request_gets_the_hsts_header(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/portal/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")

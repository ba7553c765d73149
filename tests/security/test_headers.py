"""Security headers on the platform and the portal."""

from django.test import Client


def test_the_platform_sends_the_security_headers(client_for):
    response = client_for("leader").get("/indicators/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_portal_keeps_its_manifest_readable_from_elsewhere(db):
    response = Client().get("/.well-known/shouwei-integrity.json")
    assert "Cross-Origin-Resource-Policy" not in response
    assert "geolocation=()" in response["Permissions-Policy"]


def test_hsts_is_sent_behind_tls(settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/healthz", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")

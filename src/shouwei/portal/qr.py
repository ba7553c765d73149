"""The 扫一扫 QR code, drawn on the server as SVG (no script, no third-party service)."""

import segno


def make(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def svg(url: str) -> str:
    return make(url).svg_inline(scale=3, border=2, dark="#000", light="#fff", title="二维码")

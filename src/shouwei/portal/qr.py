"""The 扫一扫 QR code, drawn on the server as SVG (no script, no third-party service)."""

from functools import lru_cache

import segno


def make(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


# Encoding tries all eight masks (~10 ms, a third of rendering an article page); an address
# always gives the same picture.
@lru_cache(maxsize=1024)
def svg(url: str) -> str:
    return make(url).svg_inline(scale=3, border=2, dark="#000", light="#fff", title="二维码")

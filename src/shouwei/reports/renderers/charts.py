"""A report's ``Chart`` as a PNG, for the .docx and the PDF (HTML draws ECharts, .xlsx a native
Excel chart).

Drawn with Pillow, already a runtime dependency, rather than matplotlib (pinned only through a
test dependency): three chart kinds of bars and lines need no plotting library, and Pillow
draws them in milliseconds without matplotlib's import time and font cache. Labels are set in
the CJK font the package ships (``static/vendor/fonts/NotoSansSC-Regular.ttf``, SIL OFL), so
the image reads the same on a machine without any Chinese font.

``bar``: vertical bars, one group per category, one colour per series (growth rates: the axis
crosses at zero, so a fall is a bar below the line). ``hbar``: horizontal bars, categories
top to bottom (ranks, project completion). ``line``: one line per series.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from shouwei.core.reporting import Chart

FONT_PATH = (
    Path(__file__).resolve().parents[2] / "static" / "vendor" / "fonts" / "NotoSansSC-Regular.ttf"
)
COLOURS = ["#206bc4", "#f76707", "#2fb344", "#d63939", "#ae3ec9", "#17a2b8"]
WIDTH, HEIGHT = 1200, 720  # 2× a 150 mm figure at 100 dpi: sharp in print
INK, GRID, AXIS = "#1d273b", "#e6e7e9", "#626976"


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def _number(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _scale(values: list[float]) -> tuple[float, float]:
    low = min([0.0, *values])
    high = max([0.0, *values])
    if high == low:
        high = low + 1
    pad = (high - low) * 0.12
    return (low - pad if low < 0 else low), high + pad


def chart_png(chart: Chart) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    title = chart.title + (f"（{chart.unit}）" if chart.unit else "")
    draw.text((WIDTH // 2, 24), title, font=font(34), fill=INK, anchor="mt")
    legend_y = 78
    if len(chart.series) > 1 or chart.kind == "line":
        x = 60
        for i, series in enumerate(chart.series):
            colour = COLOURS[i % len(COLOURS)]
            draw.rectangle((x, legend_y, x + 26, legend_y + 20), fill=colour)
            draw.text((x + 34, legend_y + 10), series.name, font=font(22), fill=INK, anchor="lm")
            x += 60 + int(draw.textlength(series.name, font=font(22)))
    values = [float(v) for s in chart.series for v in s.values if v is not None]
    if not chart.categories or not values:
        draw.text((WIDTH // 2, HEIGHT // 2), "无数据", font=font(30), fill=AXIS, anchor="mm")
    elif chart.kind == "hbar":
        _hbar(draw, chart, values)
    else:
        _columns(draw, chart, values)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _hbar(draw: ImageDraw.ImageDraw, chart: Chart, values: list[float]) -> None:
    label_font = font(24)
    left = 40 + max(int(draw.textlength(c, font=label_font)) for c in chart.categories)
    left = min(left, WIDTH // 3)
    right, top, bottom = WIDTH - 150, 120, HEIGHT - 30
    low, high = _scale(values)
    span = high - low

    def x_of(v: float) -> float:
        return left + (v - low) / span * (right - left)

    zero = x_of(0.0)
    draw.line((zero, top, zero, bottom), fill=AXIS, width=2)
    band = (bottom - top) / len(chart.categories)
    count = len(chart.series)
    bar = min(band * 0.7 / count, 48)
    for row, category in enumerate(chart.categories):
        centre = top + band * (row + 0.5)
        draw.text((left - 14, centre), category, font=label_font, fill=INK, anchor="rm")
        for i, series in enumerate(chart.series):
            value = series.values[row] if row < len(series.values) else None
            if value is None:
                continue
            y0 = centre - bar * count / 2 + bar * i
            x1 = x_of(float(value))
            draw.rectangle(
                (min(zero, x1), y0, max(zero, x1), y0 + bar - 4), fill=COLOURS[i % len(COLOURS)]
            )
            anchor = "lm" if value >= 0 else "rm"
            offset = 8 if value >= 0 else -8
            draw.text(
                (x1 + offset, y0 + bar / 2 - 2),
                _number(float(value)),
                font=font(22),
                fill=INK,
                anchor=anchor,
            )


def _columns(draw: ImageDraw.ImageDraw, chart: Chart, values: list[float]) -> None:
    left, right, top, bottom = 110, WIDTH - 40, 130, HEIGHT - 120
    low, high = _scale(values)
    span = high - low

    def y_of(v: float) -> float:
        return bottom - (v - low) / span * (bottom - top)

    for step in range(6):
        v = low + span * step / 5
        y = y_of(v)
        draw.line((left, y, right, y), fill=GRID, width=1)
        draw.text((left - 10, y), _number(v), font=font(20), fill=AXIS, anchor="rm")
    zero = y_of(0.0)
    draw.line((left, zero, right, zero), fill=AXIS, width=2)
    band = (right - left) / len(chart.categories)
    label_font = font(22 if len(chart.categories) <= 8 else 18)
    for col, category in enumerate(chart.categories):
        centre = left + band * (col + 0.5)
        _wrapped(draw, centre, bottom + 14, category, label_font, band - 6)
    count = len(chart.series)
    for i, series in enumerate(chart.series):
        colour = COLOURS[i % len(COLOURS)]
        points = []
        for col, value in enumerate(series.values[: len(chart.categories)]):
            if value is None:
                continue
            centre = left + band * (col + 0.5)
            y = y_of(float(value))
            if chart.kind == "line":
                points.append((centre, y))
                draw.ellipse((centre - 6, y - 6, centre + 6, y + 6), fill=colour)
            else:
                width = min(band * 0.7 / count, 70)
                x0 = centre - width * count / 2 + width * i
                draw.rectangle((x0 + 2, min(zero, y), x0 + width - 2, max(zero, y)), fill=colour)
                centre = x0 + width / 2
            above = float(value) >= 0
            draw.text(
                (centre, y - 8 if above else y + 8),
                _number(float(value)),
                font=font(20),
                fill=INK,
                anchor="mb" if above else "mt",
            )
        if len(points) > 1:
            draw.line(points, fill=colour, width=4)


def _wrapped(draw, centre: float, top: float, text: str, face, width: float) -> None:
    """A category label under its column, broken into lines that fit the column."""
    lines, line = [], ""
    for ch in text:
        if line and draw.textlength(line + ch, font=face) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    lines.append(line)
    for n, part in enumerate(lines[:3]):
        draw.text((centre, top + n * (face.size + 4)), part, font=face, fill=INK, anchor="mt")

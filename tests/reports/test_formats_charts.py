"""Charts drawn as PNG with the shipped CJK font."""

import io

from PIL import Image

from shouwei.core.reporting import Chart, Series
from shouwei.reports.renderers import charts
from shouwei.reports.renderers.charts import chart_png

from .formats_document import half_year_document


def _charts():
    return [b for s in half_year_document().sections for b in s.blocks if isinstance(b, Chart)]


def test_every_chart_kind_draws_a_png():
    for chart in [
        *_charts(),
        Chart(
            key="l",
            title="月度走势",
            kind="line",
            categories=["1月", "2月", "3月"],
            series=[Series("增速", [1.0, -2.0, 3.5])],
        ),
    ]:
        image = Image.open(io.BytesIO(chart_png(chart)))
        assert image.format == "PNG" and image.size == (charts.WIDTH, charts.HEIGHT)
        # bars were drawn: the series colour is on the picture
        colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}
        assert (0x20, 0x6B, 0xC4) in colours


def test_the_shipped_font_has_the_chinese_glyphs():
    face = charts.font(24)
    for text in ("地区生产总值", "规上服务业营业收入", "完成率（%）", "无数据"):
        for ch in text:
            assert face.getmask(ch).getbbox() is not None, ch


def test_a_chart_without_values_says_so():
    empty = Chart(key="e", title="空", kind="bar", categories=[], series=[])
    assert Image.open(io.BytesIO(chart_png(empty))).size == (charts.WIDTH, charts.HEIGHT)

// 首位 — draws a report's charts. An element `data-report-chart="ID"` becomes an ECharts chart
// of the JSON in `<script id="ID" type="application/json">` written by reports/renderers/html.py
// (the CSP forbids inline script): {title, kind: "bar"|"hbar"|"line", categories, unit,
// series: [{name, values}]}. Rank bars ("hbar") put 第1名 at the top. Tooltips are drawn on the
// canvas (renderMode "richText"): HTML tooltips carry inline styles the CSP refuses.
(function () {
  "use strict";

  var charts = [];

  function option(data) {
    var horizontal = data.kind === "hbar";
    var valueAxis = { type: "value", name: data.unit, inverse: false };
    var categoryAxis = { type: "category", data: data.categories, inverse: horizontal };
    if (horizontal) {
      valueAxis.minInterval = 1;
    }
    return {
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { show: data.series.length > 1 },
      grid: { containLabel: true, left: 8, right: 24, top: 32, bottom: 8 },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: data.kind === "line" ? "line" : "bar",
          data: s.values.map(function (v) { return v === null ? "-" : v; }),
          label: { show: true, position: horizontal ? "right" : "top" },
        };
      }),
    };
  }

  function draw() {
    if (typeof echarts === "undefined") {
      return;
    }
    document.querySelectorAll("[data-report-chart]").forEach(function (el) {
      var island = document.getElementById(el.getAttribute("data-report-chart"));
      if (!island) {
        return;
      }
      var data = JSON.parse(island.textContent);
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(data));
      charts.push(chart);
    });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
  document.addEventListener("DOMContentLoaded", draw);
})();

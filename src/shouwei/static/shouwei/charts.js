// 首位 — draws every chart on a page. An element `data-chart="ID"` becomes an ECharts chart of
// the JSON in `<script id="ID" type="application/json">` (Django's json_script; the CSP forbids
// inline script). The JSON comes from indicators/charts.py and carries its own formatted labels,
// so numbers read the same here as on the cards. Three kinds: "bars" (peers compared, the unit
// highlighted), "trend" (value bars and growth line over periods), "rank" (ranks over periods
// on an inverted axis: 第1名 at the top).
//
// Tooltips are drawn on the canvas (renderMode "richText"): ECharts' HTML tooltips carry inline
// style attributes, which the CSP (style-src 'self') refuses.
(function () {
  "use strict";

  var charts = [];

  // Tabler writes its colours as oklch() and color-mix(), which ECharts cannot parse (it lightens
  // colours for hover). Painting one pixel and reading it back yields plain rgba().
  var probe = document.createElement("canvas").getContext("2d", { willReadFrequently: true });

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = fallback;
    probe.fillStyle = value || fallback;
    probe.fillRect(0, 0, 1, 1);
    var px = probe.getImageData(0, 0, 1, 1).data;
    return "rgba(" + px[0] + ", " + px[1] + ", " + px[2] + ", " + (px[3] / 255).toFixed(2) + ")";
  }

  function theme() {
    return {
      font: getComputedStyle(document.body).fontFamily,
      text: cssVar("--tblr-body-color", "#182433"),
      secondary: cssVar("--tblr-secondary", "#6c7a91"),
      border: cssVar("--tblr-border-color", "#dce1e7"),
      muted: cssVar("--tblr-gray-300", "#c8d3e1"),
      primary: cssVar("--tblr-primary", "#066fd1"),
      orange: cssVar("--tblr-orange", "#f76707"),
      palette: [
        cssVar("--tblr-primary", "#066fd1"),
        cssVar("--tblr-orange", "#f76707"),
        cssVar("--tblr-green", "#2fb344"),
        cssVar("--tblr-purple", "#ae3ec9"),
        cssVar("--tblr-cyan", "#17a2b8"),
        cssVar("--tblr-pink", "#d6336c"),
      ],
    };
  }

  // ECharts leaves a gap for "-", not for null, when a unit or period has no figure.
  function gap(value) {
    return value === null || value === undefined ? "-" : value;
  }

  function rankText(texts, n) {
    return texts.rank.replace("{n}", n);
  }

  function syntheticNote(data, i) {
    return data.synthetic && data.synthetic[i] ? "（" + data.texts.synthetic + "）" : "";
  }

  function base(t) {
    return {
      animationDuration: 300,
      textStyle: { fontFamily: t.font, color: t.text },
      tooltip: {
        renderMode: "richText",
        confine: true,
        trigger: "axis",
        backgroundColor: "rgba(24, 36, 51, 0.92)",
        borderWidth: 0,
        textStyle: { color: "#fff", fontFamily: t.font, fontSize: 13, lineHeight: 20 },
      },
    };
  }

  // Period labels on a category axis, as many as fit the width, counted back from the latest
  // period so that the period being looked at is always labelled; the end labels hug the
  // ends of the axis instead of being cut off at the edge of the chart.
  function periodLabels(t, count, el, valueAxes) {
    // Each value axis takes about 56 px of the width for its labels; a period label needs 64.
    var fit = Math.max(2, Math.floor((el.clientWidth - 56 * valueAxes) / 64));
    var step = Math.max(1, Math.ceil(count / fit));
    return {
      color: t.secondary,
      alignMinLabel: "left",
      alignMaxLabel: "right",
      showMaxLabel: true,
      interval: function (i) {
        return (count - 1 - i) % step === 0;
      },
    };
  }

  // A legend wraps onto a second line in a narrow chart; the plot starts below it.
  function legendHeight(el, entries) {
    var perLine = Math.max(1, Math.floor(el.clientWidth / 130));
    return 10 + 22 * Math.ceil(entries / perLine);
  }

  function splitLine(t) {
    return { lineStyle: { color: t.border, type: "dashed" } };
  }

  function bars(data, t, el) {
    // One row per unit: the height follows the number of peers, the width the screen.
    el.style.height = Math.max(150, data.categories.length * 30 + 30) + "px";
    var option = base(t);
    option.tooltip.axisPointer = { type: "shadow" };
    option.tooltip.formatter = function (params) {
      var i = params[0].dataIndex;
      var lines = [data.categories[i], data.name + " " + data.labels[i]];
      if (data.ranks[i] !== "—") lines.push(data.ranks[i]);
      return lines.join("\n") + syntheticNote(data, i);
    };
    option.grid = { left: 4, right: 52, top: 4, bottom: 4, containLabel: true };
    option.xAxis = {
      type: "value",
      scale: false,
      axisLabel: { color: t.secondary, hideOverlap: true, formatter: "{value}" + (data.axis || "") },
      splitLine: splitLine(t),
      splitNumber: 3,
    };
    option.yAxis = {
      type: "category",
      inverse: true,
      data: data.categories,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: t.border } },
      axisLabel: { color: t.text, fontSize: 12 },
    };
    option.series = [
      {
        type: "bar",
        name: data.name,
        barMaxWidth: 16,
        data: data.values.map(function (v, i) {
          var mine = data.highlight[i];
          return {
            value: gap(v),
            itemStyle: { color: mine ? t.primary : t.muted, borderRadius: 2 },
            label: {
              position: v !== null && v < 0 ? "left" : "right",
              fontWeight: mine ? "bold" : "normal",
              color: mine ? t.primary : t.secondary,
            },
          };
        }),
        label: {
          show: true,
          fontSize: 12,
          formatter: function (p) {
            return data.values[p.dataIndex] === null ? data.texts.missing : data.labels[p.dataIndex];
          },
        },
      },
    ];
    return option;
  }

  function trend(data, t, el) {
    var axes = [];
    data.series.forEach(function (s) {
      if (axes.indexOf(s.axis) < 0) axes.push(s.axis);
    });
    var option = base(t);
    option.tooltip.formatter = function (params) {
      var i = params[0].dataIndex;
      var lines = [data.periods[i] + syntheticNote(data, i)];
      data.series.forEach(function (s) {
        lines.push(s.name + " " + s.labels[i]);
      });
      return lines.join("\n");
    };
    option.legend = {
      show: data.series.length > 1,
      top: 0,
      textStyle: { color: t.secondary },
    };
    option.grid = {
      left: 4,
      right: 8,
      top: data.series.length > 1 ? legendHeight(el, data.series.length) : 12,
      bottom: 4,
      containLabel: true,
    };
    option.xAxis = {
      type: "category",
      data: data.categories,
      boundaryGap: data.series.some(function (s) { return s.kind === "bar"; }),
      axisLabel: periodLabels(t, data.categories.length, el, axes.length),
      axisLine: { lineStyle: { color: t.border } },
      axisTick: { show: false },
    };
    option.yAxis = axes.map(function (unit, k) {
      return {
        type: "value",
        position: k === 0 ? "left" : "right",
        // Growth rates hover far from zero; a value's bars must start at zero to compare.
        scale: unit === "%",
        splitNumber: 4,
        axisLabel: { color: t.secondary, formatter: "{value}" + (unit || "") },
        splitLine: k === 0 ? splitLine(t) : { show: false },
      };
    });
    var anySynthetic = data.synthetic.some(Boolean);
    option.series = data.series.map(function (s, k) {
      var colour = t.palette[k % t.palette.length];
      return {
        name: s.name,
        type: s.kind,
        yAxisIndex: axes.indexOf(s.axis),
        barMaxWidth: 24,
        connectNulls: true,
        itemStyle: { color: colour },
        lineStyle: { width: 2 },
        // Among simulated figures (hollow, small) the published ones stand out as large dots.
        data: s.values.map(function (v, i) {
          var synthetic = data.synthetic[i];
          return {
            value: gap(v),
            symbol: synthetic ? "emptyCircle" : "circle",
            symbolSize: synthetic ? 4 : anySynthetic ? 9 : 6,
          };
        }),
      };
    });
    return option;
  }

  function rank(data, t, el) {
    var byIndicator = data.series.length > 1;
    var option = base(t);
    var series = [];
    data.series.forEach(function (s, k) {
      var colour = byIndicator ? t.palette[k % t.palette.length] : t.primary;
      series.push({
        name: byIndicator ? s.name : data.texts.computed,
        type: "line",
        connectNulls: true,
        symbolSize: 5,
        itemStyle: { color: colour },
        lineStyle: { width: 2 },
        data: s.computed.map(gap),
      });
      if (s.published.some(function (v) { return v !== null; })) {
        series.push({
          // Same name as the line: one legend entry shows and hides both.
          name: byIndicator ? s.name : data.texts.published,
          type: "scatter",
          symbol: "diamond",
          symbolSize: 13,
          z: 3,
          itemStyle: {
            color: byIndicator ? colour : t.orange,
            borderColor: "#fff",
            borderWidth: 1,
          },
          data: s.published.map(gap),
        });
      }
    });
    option.tooltip.formatter = function (params) {
      var i = params[0].dataIndex;
      var lines = [data.categories[i] + syntheticNote(data, i)];
      params.forEach(function (p) {
        if (p.value === "-" || p.value === null || p.value === undefined) return;
        var label = p.seriesName;
        if (byIndicator && p.seriesType === "scatter") label += " " + data.texts.published;
        lines.push(label + " " + rankText(data.texts, p.value));
      });
      return lines.join("\n");
    };
    var legendEntries = byIndicator ? data.series.length : series.length;
    option.legend = { top: 0, textStyle: { color: t.secondary } };
    option.grid = {
      left: 4,
      right: 12,
      top: legendHeight(el, legendEntries),
      bottom: 4,
      containLabel: true,
    };
    option.xAxis = {
      type: "category",
      data: data.categories,
      boundaryGap: false,
      axisLabel: periodLabels(t, data.categories.length, el, 1),
      axisLine: { lineStyle: { color: t.border } },
      axisTick: { show: false },
    };
    option.yAxis = {
      type: "value",
      inverse: true,
      min: 1,
      max: data.max,
      minInterval: 1,
      interval: data.max <= 12 ? 1 : undefined,
      axisLabel: {
        color: t.secondary,
        formatter: function (value) {
          return rankText(data.texts, value);
        },
      },
      splitLine: splitLine(t),
    };
    option.series = series;
    return option;
  }

  var KINDS = { bars: bars, trend: trend, rank: rank };

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var build = KINDS[data.type];
    if (!build) return;
    var option = build(data, theme(), el);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push({ chart: chart, data: data, build: build, el: el });
  }

  // Layout that depends on the width (legend lines) is rebuilt, then the canvas resized.
  function resizeAll() {
    var t = theme();
    charts.forEach(function (c) {
      c.chart.setOption(c.build(c.data, t, c.el));
      c.chart.resize();
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    // A phone turned sideways fires a burst of resize events: redraw once it settles.
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(resizeAll, 120);
  });

  function start() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();

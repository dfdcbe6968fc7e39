/* Small behaviours for the portal's pages. No inline scripts: the Content-Security-Policy forbids them. */
(function () {
  "use strict";

  function setProgressWidths(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-progress")) || 0));
      bar.style.width = value + "%";
    });
  }

  // Charts, drawn with Apache ECharts (static/vendor/echarts.min.js): <div data-chart="bar" data-chart-source="id">
  // with the portal's chart JSON {labels, datasets: [{label, data, backgroundColor[, stack]}]} in <script id="id">.
  // Kinds: bar, stacked (stacked bars), hbar (horizontal bars), line, doughnut. data-chart-max caps the value axis;
  // data-chart-theme="dark" for the command-room screen. Tooltips are drawn on the canvas (renderMode richText):
  // ECharts' HTML tooltips carry inline styles, which the Content-Security-Policy refuses.
  function colourOf(dataset) {
    return Array.isArray(dataset.backgroundColor) ? undefined : dataset.backgroundColor;
  }

  function chartOption(kind, data, max, dark) {
    var datasets = data.datasets || [];
    var textColour = dark ? "#e9ecef" : "#343a40";
    var fontSize = dark ? 20 : 12;
    var option = {
      backgroundColor: "transparent",
      animation: false,
      textStyle: { fontSize: fontSize },
      tooltip: { trigger: kind === "doughnut" ? "item" : "axis", renderMode: "richText" },
      legend: { show: datasets.length > 1 || kind === "doughnut", top: 0, textStyle: { color: textColour, fontSize: fontSize } },
      grid: { left: 8, right: 24, top: datasets.length > 1 ? (dark ? 48 : 32) : 16, bottom: 8, containLabel: true }
    };
    if (kind === "doughnut") {
      var first = datasets[0] || { data: [] };
      option.series = [{
        type: "pie", radius: ["45%", "70%"], top: 24,
        label: { color: textColour, fontSize: fontSize },
        data: (data.labels || []).map(function (label, i) {
          var colours = Array.isArray(first.backgroundColor) ? first.backgroundColor : [];
          return { name: label, value: first.data[i], itemStyle: colours[i] ? { color: colours[i] } : undefined };
        })
      }];
      return option;
    }
    var axisLabel = { color: textColour, fontSize: fontSize };
    var valueAxis = { type: "value", min: 0, max: max, axisLabel: axisLabel,
                      splitLine: { lineStyle: { color: dark ? "#343a40" : "#e9ecef" } } };
    var labels = data.labels || [];
    // Every label shown (ten divisions, eight weeks); slanted when there are many on a horizontal axis.
    var categoryAxis = { type: "category", data: labels,
                         axisLabel: { color: textColour, fontSize: fontSize, interval: 0,
                                      rotate: kind !== "hbar" && labels.length > 8 ? 35 : 0 } };
    if (kind === "hbar") {
      categoryAxis.inverse = true;
      option.xAxis = valueAxis;
      option.yAxis = categoryAxis;
    } else {
      option.xAxis = categoryAxis;
      option.yAxis = valueAxis;
    }
    option.series = datasets.map(function (dataset) {
      var colours = Array.isArray(dataset.backgroundColor) ? dataset.backgroundColor : null;
      return {
        name: dataset.label,
        type: kind === "line" ? "line" : "bar",
        stack: kind === "stacked" ? "total" : dataset.stack,
        connectNulls: true,
        symbolSize: dark ? 10 : 6,
        lineStyle: kind === "line" ? { width: dark ? 4 : 2 } : undefined,
        itemStyle: colourOf(dataset) ? { color: colourOf(dataset) } : undefined,
        data: colours ? dataset.data.map(function (value, i) {
          return { value: value, itemStyle: { color: colours[i % colours.length] } };
        }) : dataset.data
      };
    });
    return option;
  }

  // Draw (or redraw, with new data) the chart in element ``box``; returns the ECharts instance.
  function drawChart(box, data) {
    if (typeof window.echarts === "undefined") return null;
    var dark = box.dataset.chartTheme === "dark";
    var chart = window.echarts.getInstanceByDom(box) ||
      window.echarts.init(box, dark ? "dark" : null, { renderer: "canvas" });
    var max = box.dataset.chartMax ? parseFloat(box.dataset.chartMax) : undefined;
    chart.setOption(chartOption(box.dataset.chart, data, max, dark), true);
    box.dataset.drawn = "1";
    return chart;
  }

  function drawCharts(root) {
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      if (box.dataset.drawn) return;
      var source = document.getElementById(box.dataset.chartSource);
      if (!source) return;
      drawChart(box, JSON.parse(source.textContent));
    });
  }

  window.addEventListener("resize", function () {
    if (typeof window.echarts === "undefined") return;
    document.querySelectorAll("[data-chart][data-drawn]").forEach(function (box) {
      var chart = window.echarts.getInstanceByDom(box);
      if (chart) chart.resize();
    });
  });

  // Auto-submit filter forms on change (the battle map's sidebar).
  function wireAutoSubmit(root) {
    root.querySelectorAll("form[data-auto-submit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
  }

  // Bulk actions: a header checkbox (data-select-all="ids") ticks every row checkbox of that name belonging to the same
  // form — inside it or attached with the form="…" attribute (rows of a table that cannot sit inside the form).
  function wireSelectAll(root) {
    root.querySelectorAll("input[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll('input[type="checkbox"][name="' + box.dataset.selectAll + '"]').forEach(function (row) {
          if (!box.form || row.form === box.form) row.checked = box.checked;
        });
      });
    });
  }

  // Forms that cannot be undone ask first: <form data-confirm="确定……吗？">.
  function wireConfirm(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.confirmWired) return;
      form.dataset.confirmWired = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  // <button data-print>: print the page (the rating card); inline onclick handlers are forbidden by the CSP.
  function wirePrint(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function enhance(root) {
    setProgressWidths(root);
    drawCharts(root);
    wireAutoSubmit(root);
    wireSelectAll(root);
    wirePrint(root);
    wireConfirm(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
  window.portalEnhance = enhance;
  window.portalDrawChart = drawChart;
})();

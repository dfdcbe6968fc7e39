/* Small behaviours for the portal's pages. No inline scripts: the Content-Security-Policy forbids them. */
(function () {
  "use strict";

  function setProgressWidths(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-progress")) || 0));
      bar.style.width = value + "%";
    });
  }

  // Charts: <canvas data-chart="bar" data-chart-source="id-of-json-script"> with {labels, datasets} in the JSON.
  function drawCharts(root) {
    if (typeof window.Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var source = document.getElementById(canvas.dataset.chartSource);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      canvas.dataset.drawn = "1";
      var max = canvas.dataset.chartMax ? parseFloat(canvas.dataset.chartMax) : undefined;
      var valueAxis = { beginAtZero: true, max: max };
      var horizontal = canvas.dataset.chartAxis === "y";
      new window.Chart(canvas, {
        type: canvas.dataset.chart,
        data: data,
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          indexAxis: canvas.dataset.chartAxis || "x",
          plugins: { legend: { display: (data.datasets || []).length > 1 } },
          scales: canvas.dataset.chart === "doughnut" ? {} :
            (horizontal ? { x: valueAxis, y: {} } : { x: {}, y: valueAxis })
        }
      });
    });
  }

  // Auto-submit filter forms on change (the battle map's sidebar).
  function wireAutoSubmit(root) {
    root.querySelectorAll("form[data-auto-submit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.requestSubmit(); });
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

  function enhance(root) {
    setProgressWidths(root);
    drawCharts(root);
    wireAutoSubmit(root);
    wireConfirm(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
  window.portalEnhance = enhance;
})();

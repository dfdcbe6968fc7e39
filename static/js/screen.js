/* The command-room screen (大屏): every data-refresh-seconds, fetch the cockpit from the dashboard API (data-source)
   and update the figures, the charts (new ECharts options, no reload) and the to-do counts in place. */
(function () {
  "use strict";

  function changeText(figure) {
    if (figure.change === null || figure.change === undefined) return ["较上周：—", "text-muted"];
    if (figure.change === 0) return ["较上周持平", "text-muted"];
    var good = (figure.change > 0) === (figure.better === "up");
    var text = "较上周 " + (figure.change > 0 ? "↑ " : "↓ ") + Math.abs(figure.change) + (figure.unit === "%" ? " 个百分点" : "");
    return [text, good ? "change-good" : "change-bad"];
  }

  function update(data) {
    (data.figures || []).forEach(function (figure) {
      var box = document.querySelector('[data-figure="' + figure.key + '"]');
      if (!box) return;
      box.querySelector("[data-figure-value]").textContent =
        figure.value === null ? "—" : String(figure.value) + figure.unit;
      var change = changeText(figure);
      var span = document.createElement("span");
      span.className = change[1];
      span.textContent = change[0];
      box.querySelector("[data-figure-change]").replaceChildren(span);
    });
    (data.charts || []).forEach(function (chart) {
      var box = document.querySelector('[data-chart-key="' + chart.key + '"]');
      if (box && window.portalDrawChart) window.portalDrawChart(box, chart);
    });
    (data.todo || []).forEach(function (list) {
      var count = document.querySelector('[data-todo="' + list.key + '"] [data-todo-count]');
      if (count) count.textContent = String(list.count);
    });
    document.getElementById("screen-updated").textContent = (data.as_of || "").slice(11, 19);
  }

  function start() {
    var body = document.body;
    var seconds = Math.max(1, parseInt(body.dataset.refreshSeconds, 10) || 30);
    var status = document.getElementById("screen-status");
    var refreshes = 0;

    function refresh() {
      fetch(body.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          update(data);
          refreshes += 1;
          body.dataset.refreshes = String(refreshes);
          status.textContent = "";
        })
        .catch(function () { status.textContent = "数据暂未更新，稍后重试"; })
        .finally(function () { window.setTimeout(refresh, seconds * 1000); });
    }

    window.setTimeout(refresh, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", start);
})();

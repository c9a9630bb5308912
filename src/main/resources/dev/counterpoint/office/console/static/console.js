// Head office's console: the little script it needs. Pages work without it; htmx refreshes Today, ECharts draws charts.
(function () {
  "use strict";

  // A form that asks first (revoking a terminal, publishing rules).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Charts: a <div class="chart" data-chart='{...}'> holds its ECharts option as JSON (no inline script: the CSP forbids it).
  function drawCharts(root) {
    if (!window.echarts) {
      return;
    }
    root.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var option;
      try {
        option = JSON.parse(el.getAttribute("data-chart"));
      } catch (e) {
        return;
      }
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option, true);
    });
  }

  window.addEventListener("resize", function () {
    if (!window.echarts) {
      return;
    }
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) {
        chart.resize();
      }
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    drawCharts(event.target);
  });
})();

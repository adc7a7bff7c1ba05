// Draws the dashboard's charts from the JSON in #kpi-data (see bot/web/dashboard.py `charts`).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kpi-data").textContent);
  // Okabe-Ito palette: distinguishable with colour-vision deficiencies.
  var colours = { answered: "#0072B2", abstained: "#E69F00", private: "#009E73", refused: "#CC79A7", error: "#D55E00" };
  var common = { responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false } };

  new Chart(document.getElementById("questions-chart"), {
    type: "bar",
    data: {
      labels: data.days,
      datasets: data.questions.map(function (series) {
        return { label: series.label, data: series.data, backgroundColor: colours[series.label], stack: "q" };
      })
    },
    options: Object.assign({}, common, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } })
  });

  new Chart(document.getElementById("helpful-chart"), {
    type: "line",
    data: {
      labels: data.days,
      datasets: [
        { label: "helpful rate", data: data.helpful.rate, borderColor: "#0072B2", backgroundColor: "#0072B2", spanGaps: true },
        { label: "95% interval, low", data: data.helpful.low, borderColor: "#9ab8d1", pointRadius: 0, borderDash: [4, 4], spanGaps: true },
        { label: "95% interval, high", data: data.helpful.high, borderColor: "#9ab8d1", pointRadius: 0, borderDash: [4, 4], spanGaps: true, fill: "-1", backgroundColor: "rgba(0,114,178,0.12)" }
      ]
    },
    options: Object.assign({}, common, { scales: { y: { min: 0, max: 1, ticks: { format: { style: "percent" } } } } })
  });

  new Chart(document.getElementById("latency-chart"), {
    type: "line",
    data: {
      labels: data.days,
      datasets: [
        { label: "p50 ms", data: data.latency.p50, borderColor: "#009E73", backgroundColor: "#009E73", spanGaps: true },
        { label: "p95 ms", data: data.latency.p95, borderColor: "#D55E00", backgroundColor: "#D55E00", spanGaps: true }
      ]
    },
    options: Object.assign({}, common, { scales: { y: { beginAtZero: true } } })
  });
})();

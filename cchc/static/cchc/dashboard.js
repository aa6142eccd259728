// Stacked bars of obligation statuses by reform area (data from the page, no requests).
(function () {
  const source = document.getElementById("area-chart-data");
  const canvas = document.getElementById("area-chart");
  if (!source || !canvas || !window.Chart) return;
  const colors = { done_on_time: "#198754", done_late: "#20c997", pending: "#0d6efd", overdue: "#dc3545", not_applicable: "#adb5bd" };
  const data = JSON.parse(source.textContent);
  data.datasets.forEach((d) => { d.backgroundColor = colors[d.status]; });
  new Chart(canvas, {
    type: "bar",
    data,
    options: {
      indexAxis: "y",
      responsive: true,
      scales: { x: { stacked: true }, y: { stacked: true, ticks: { autoSkip: false } } },
      plugins: { legend: { position: "bottom" } },
      locale: "vi-VN",
    },
  });
})();

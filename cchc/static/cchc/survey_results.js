// Survey results: factor, distribution and unit charts, data from the page's json_script "chart-data".
(function () {
  const source = document.getElementById("chart-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const opts = {indexAxis: "y", scales: {x: {min: 0, max: 100}}, plugins: {legend: {display: false}}};
  new Chart(document.getElementById("chart-factors"), {type: "bar", options: opts,
    data: {labels: data.factors.labels, datasets: [{label: "%", data: data.factors.values, backgroundColor: "#0b4f8a"}]}});
  const colours = ["#b3261e", "#e8710a", "#9e9e9e", "#7cb342", "#2e7d32", "#5f6368", "#0b4f8a"];
  new Chart(document.getElementById("chart-distribution"), {type: "bar",
    options: {indexAxis: "y", scales: {x: {stacked: true}, y: {stacked: true}}},
    data: {labels: data.distribution.labels, datasets: data.distribution.series.map((s, i) => (
      {label: s.label, data: s.values, backgroundColor: colours[i % colours.length]}))}});
  new Chart(document.getElementById("chart-units"), {type: "bar", options: opts,
    data: {labels: data.units.labels, datasets: [{label: "%", data: data.units.values, backgroundColor: "#2e7d32"}]}});
})();

// PAR results: ranking and area-profile charts, data from the page's json_script "par-charts".
(function () {
  const source = document.getElementById("par-charts");
  if (!source || !window.Chart) return;
  for (const c of JSON.parse(source.textContent)) {
    new Chart(document.getElementById(c.id), {type: "bar", data: {labels: c.labels, datasets: [{label: "Chỉ số CCHC (%)", data: c.values}]}, options: {indexAxis: "y", locale: "vi-VN"}});
    const first = c.labels[0];
    if (first) new Chart(document.getElementById(c.id + "-profile"), {type: "bar", data: {labels: c.areas, datasets: [
      {label: first + " (% điểm tối đa)", data: c.profiles[first]}, {label: "Bình quân loại đơn vị", data: c.average}]}, options: {locale: "vi-VN"}});
  }
})();

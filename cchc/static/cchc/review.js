// Review screen: clicking a task highlights the source lines it was read from.
document.addEventListener("click", (event) => {
  const row = event.target.closest(".review-task");
  if (!row || event.target.closest("form, button, a, input")) return;
  const first = parseInt(row.dataset.first, 10);
  const last = parseInt(row.dataset.last || row.dataset.first, 10);
  document.querySelectorAll(".source-line.hl").forEach((line) => line.classList.remove("hl"));
  document.querySelectorAll(".review-task.selected").forEach((r) => r.classList.remove("selected"));
  row.classList.add("selected");
  if (Number.isNaN(first)) return;
  for (let n = first; n <= last; n++) {
    const line = document.getElementById(`L${n}`);
    if (line) line.classList.add("hl");
  }
  const start = document.getElementById(`L${first}`);
  if (start) start.scrollIntoView({ block: "center", behavior: "smooth" });
});

// Report entry grid: Enter / Shift+Enter move to the next / previous figure in the same form.
document.addEventListener("keydown", function (event) {
  const input = event.target;
  if (event.key !== "Enter" || !input.classList || !input.classList.contains("grid-input")) return;
  event.preventDefault();
  const pane = input.closest(".tab-pane");
  const inputs = Array.from(pane.querySelectorAll(".grid-input:not([disabled])"));
  const next = inputs[inputs.indexOf(input) + (event.shiftKey ? -1 : 1)];
  if (next) { next.focus(); if (next.select) next.select(); }
});

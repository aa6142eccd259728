// Small behaviours declared in templates by data attributes, so pages need no inline handlers
// (the Content-Security-Policy allows scripts from this origin only):
//   data-confirm="question"     on a button or link: ask before going on;
//   data-autosubmit             on a select: submit its form when the choice changes;
//   data-reload-param="name"    on a select: reload the page with ?name=<value>.
document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
});
document.addEventListener("change", (event) => {
  const el = event.target;
  if (!(el instanceof HTMLSelectElement)) return;
  if (el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  const param = el.dataset.reloadParam;
  if (param) window.location.search = "?" + encodeURIComponent(param) + "=" + encodeURIComponent(el.value);
});

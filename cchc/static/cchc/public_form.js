// Public survey form: live count of answered questions (without JS a CSS counter shows it instead).
(function () {
  var form = document.getElementById("survey-form"), box = document.getElementById("progress");
  if (!form || !box) return;
  function show() {
    box.textContent = "Đã trả lời " + form.querySelectorAll(".q input:checked").length + " / " + box.getAttribute("data-total") + " câu";
  }
  box.setAttribute("data-js", "1");
  form.addEventListener("change", show);
  show();
})();

// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Ask before actions that cannot be undone (submission, decisions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // Profile list fields: "add a row" clones the formset's empty row in place (without
  // JavaScript the button submits and the server renders one more row).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-add-row]") : null;
    if (!button) { return; }
    var name = button.getAttribute("data-add-row");
    var template = document.getElementById("empty-" + name);
    var total = document.getElementById("id_" + name + "-TOTAL_FORMS");
    var rows = document.getElementById("rows-" + name);
    if (!template || !total || !rows) { return; }
    event.preventDefault();
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__num__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var empty = rows.querySelector(".no-rows");
    if (empty) { empty.parentNode.removeChild(empty); }
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  });
  // The language <select> waits for its 切换/Switch button: submitting on change would
  // reload the page while a keyboard user browses the options (WCAG 3.2.2).
})();

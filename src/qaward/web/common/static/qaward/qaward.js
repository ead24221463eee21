// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Ask before actions that cannot be undone (submission, decisions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // Switch language as soon as another one is chosen.
  var select = document.getElementById("language");
  if (select && select.form) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
})();

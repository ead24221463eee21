// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Ask before actions that cannot be undone (submission, decisions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // The language <select> waits for its 切换/Switch button: submitting on change would
  // reload the page while a keyboard user browses the options (WCAG 3.2.2).
})();

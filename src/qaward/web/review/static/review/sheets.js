// The score sheet: slider and number input kept together, the band description of the
// percentage shown beside them, autosave every few seconds and on change. Without
// JavaScript the number inputs and the "save" button do the same.
(function () {
  "use strict";
  var form = document.getElementById("sheet");
  if (!form) { return; }

  function bandText(fieldset, value) {
    var bands = JSON.parse(fieldset.getAttribute("data-bands") || "[]");
    if (value === "" || value === null || isNaN(value)) { return form.getAttribute("data-not-scored"); }
    var text = "";
    for (var i = 0; i < bands.length; i++) {
      if (bands[i].low <= value) { text = bands[i].text; }
    }
    return text;
  }

  function show(fieldset, value) {
    var band = fieldset.querySelector(".band");
    if (band) { band.textContent = bandText(fieldset, value); }
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    var fieldset = target.closest ? target.closest("fieldset.sheet-item") : null;
    if (!fieldset) { return; }
    if (target.type === "range") {
      var number = document.getElementById(target.getAttribute("data-for"));
      number.value = target.value;
      show(fieldset, parseInt(target.value, 10));
    } else if (target.type === "number") {
      var range = fieldset.querySelector("input[type=range]");
      var v = parseInt(target.value, 10);
      if (!isNaN(v)) { range.value = String(v); }
      show(fieldset, target.value === "" ? "" : v);
    }
  });

  // Confirm before submitting (the checkbox in the form is the no-JS confirmation).
  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm-click]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm-click"))) {
      event.preventDefault();
    }
  });

  if (form.getAttribute("data-autosave") !== "1") { return; }
  var status = document.getElementById("sheet-status");
  var dirty = false;
  var saving = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; save(); });

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function save() {
    if (!dirty || saving) { return; }
    dirty = false;
    saving = true;
    var data = new FormData(form);
    data.set("action", "save");
    data.delete("confirm");
    if (status) { status.textContent = form.getAttribute("data-saving"); }
    fetch(window.location.pathname, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": csrf() }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      saving = false;
      if (!status) { return; }
      if (result.ok && result.body.ok) {
        var at = new Date(result.body.saved_at);
        status.textContent = form.getAttribute("data-saved") + " " + at.toLocaleTimeString();
        status.className = "ok";
      } else {
        status.textContent = form.getAttribute("data-failed") + (result.body.error || "");
        status.className = "warn";
      }
    }).catch(function () {
      saving = false;
      dirty = true;
      if (status) { status.textContent = form.getAttribute("data-failed"); status.className = "warn"; }
    });
  }

  window.setInterval(save, 3000);
})();

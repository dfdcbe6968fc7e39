// The inspection visit form on a supervisor's phone: a draft that survives a dropped connection or a closed page.
//
// - Every change saves the form's text and choices to localStorage under the form's data-draft-key; photos cannot be
//   kept there, so a restored draft asks the supervisor to attach them again.
// - On load a saved draft is restored (including the visit's client_key, so a resend is stored once on the server).
// - Submitting while offline keeps the draft and submits by itself when the connection comes back.
// - The page reached after a successful submit carries data-clear-draft: the draft is removed only then.
(function () {
  "use strict";

  function clearSentDraft() {
    document.querySelectorAll("[data-clear-draft]").forEach(function (marker) {
      try { window.localStorage.removeItem(marker.getAttribute("data-clear-draft")); } catch (e) { /* private mode */ }
    });
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.name !== "csrfmiddlewaretoken";
    });
  }

  function save(form, key) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { data[el.name] = el.value; }
      } else {
        data[el.name] = el.value;
      }
    });
    data._saved = new Date().toISOString();
    try { window.localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or disabled */ }
  }

  function restore(form, key) {
    var raw;
    try { raw = window.localStorage.getItem(key); } catch (e) { return false; }
    if (!raw) { return false; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { return false; }
    fields(form).forEach(function (el) {
      if (!(el.name in data)) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = data[el.name] === el.value;
      } else {
        el.value = data[el.name];
      }
    });
    return true;
  }

  function setUp(form) {
    var key = form.getAttribute("data-draft-key");
    if (!key) { return; }
    if (restore(form, key)) {
      var notice = document.querySelector("[data-draft-restored]");
      if (notice) { notice.classList.remove("d-none"); }
    }
    form.addEventListener("input", function () { save(form, key); });
    form.addEventListener("change", function () { save(form, key); });
    form.addEventListener("submit", function (event) {
      save(form, key);
      if (navigator.onLine === false) {
        event.preventDefault();
        var offline = document.querySelector("[data-offline-notice]");
        if (offline) { offline.classList.remove("d-none"); }
        window.addEventListener("online", function () { form.submit(); }, { once: true });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    clearSentDraft();
    document.querySelectorAll("form[data-draft-key]").forEach(setUp);
  });
})();

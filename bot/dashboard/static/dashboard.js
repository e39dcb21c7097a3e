// security-bot dashboard: progressive enhancement only; every page works without it.
"use strict";
(function () {
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    // Filters: a changed menu applies the filter at once (back to page 1).
    document.querySelectorAll("form.filters select.autosubmit").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) { select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit(); }
      });
    });
    // Actions ask before they change anything.
    document.querySelectorAll("form.confirm").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var question = form.getAttribute("data-confirm") || "Are you sure?";
        if (!window.confirm(question)) { event.preventDefault(); }
      });
    });
    // Times: show them in the reader's time zone too, as a tooltip.
    document.querySelectorAll("[data-utc]").forEach(function (el) {
      var when = new Date(el.getAttribute("data-utc"));
      if (!isNaN(when.getTime())) { el.title = when.toLocaleString(); }
    });
  });
})();

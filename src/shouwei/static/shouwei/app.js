// 首位 — behaviour that would otherwise be inline (the CSP allows no inline script).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    // Auto-submit selects marked data-autosubmit (period/unit pickers).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    // Widths from data attributes: progress bars without inline style attributes.
    document.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, parseFloat(el.dataset.width) || 0)) + "%";
    });
  });
  window.shouwei = { ready: ready };
})();

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
    // A table wider than the screen scrolls sideways; without links inside, a keyboard could
    // not reach it to scroll (WCAG 2.1.1). Only a table that does scroll becomes a tab stop,
    // named after its caption or the card/section heading above it. A group, not a region: it
    // usually sits in a section of the same name, and two landmarks must not share one.
    function scrollerName(el) {
      var table = el.querySelector("table");
      if (table && table.caption) return table.caption.textContent.trim();
      var section = el.closest("[aria-labelledby]");
      var heading = section ? document.getElementById(section.getAttribute("aria-labelledby")) : null;
      if (!heading) {
        var card = el.closest(".card");
        heading = card ? card.querySelector(".card-title") : null;
      }
      return heading ? heading.textContent.trim() : "";
    }
    function focusableScrollers() {
      document.querySelectorAll(".table-responsive").forEach(function (el) {
        var scrolls = el.scrollWidth > el.clientWidth + 1;
        if (scrolls && !el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          el.setAttribute("role", "group");
          var name = scrollerName(el);
          if (name) el.setAttribute("aria-label", name);
          el.dataset.scrollFocus = "";
        } else if (!scrolls && "scrollFocus" in el.dataset) {
          ["tabindex", "role", "aria-label", "data-scroll-focus"].forEach(function (a) { el.removeAttribute(a); });
        }
      });
    }
    focusableScrollers();
    window.addEventListener("resize", focusableScrollers);
    document.body.addEventListener("htmx:afterSettle", focusableScrollers);
  });
  window.shouwei = { ready: ready };
})();

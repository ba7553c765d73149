// A table wider than its box shows only its first columns on a phone, with nothing to say that
// there are more. Shared by the platform and the portal (static, the CSP allows no inline
// script): each scrolling box (.table-responsive, .table-wrap) is framed; the frame is marked
// "scrolls", "more-left" and "more-right" as the box scrolls, and the stylesheets draw a shade
// on each edge with more beyond it and a hint above it, in the words of the page's
// <meta name="shouwei-scroll-hint"> (its language).
(function () {
  "use strict";
  var BOXES = ".table-responsive, .table-wrap";

  function edges(frame, box) {
    var rest = box.scrollWidth - box.clientWidth;
    var scrolls = rest > 1;
    frame.classList.toggle("scrolls", scrolls);
    frame.classList.toggle("more-left", scrolls && box.scrollLeft > 1);
    frame.classList.toggle("more-right", scrolls && box.scrollLeft < rest - 1);
  }

  function frame(box, hintText) {
    var outer = box.parentElement;
    if (outer.classList.contains("scroll-frame")) return outer;
    outer = document.createElement("div");
    outer.className = "scroll-frame";
    box.parentNode.insertBefore(outer, box);
    if (hintText) {
      var hint = document.createElement("div");
      hint.className = "scroll-hint";
      // Seen, not read out: a screen reader reaches every column in order anyway.
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = hintText;
      outer.appendChild(hint);
    }
    outer.appendChild(box);
    box.addEventListener("scroll", function () { edges(outer, box); }, { passive: true });
    return outer;
  }

  function cues() {
    var meta = document.querySelector('meta[name="shouwei-scroll-hint"]');
    var hintText = meta ? meta.getAttribute("content") : "";
    document.querySelectorAll(BOXES).forEach(function (box) {
      edges(frame(box, hintText), box);
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    cues();
    window.addEventListener("resize", cues);
    // Tables that htmx swaps in (the platform) get their frames too.
    document.body.addEventListener("htmx:afterSettle", cues);
  });
})();

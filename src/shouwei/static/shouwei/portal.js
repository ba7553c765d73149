// The portal's reading aids: font size and 老年模式, remembered in localStorage (and a cookie,
// so that they survive when storage is blocked). The page reads fine without this script.
(function () {
  "use strict";
  var root = document.documentElement;
  var FONT_KEY = "shouwei-portal-font";
  var ELDER_KEY = "shouwei-portal-elder";
  var FONTS = ["small", "medium", "large"];

  function load(key) {
    try {
      var v = window.localStorage.getItem(key);
      if (v !== null) return v;
    } catch (e) { /* storage blocked: fall back to the cookie */ }
    var m = document.cookie.match(new RegExp("(?:^|; )" + key + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : null;
  }

  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* cookie below */ }
    document.cookie = key + "=" + encodeURIComponent(value) + "; path=/; max-age=31536000; SameSite=Lax";
  }

  function applyFont(size) {
    FONTS.forEach(function (f) { root.classList.toggle("font-" + f, f === size && f !== "medium"); });
    document.querySelectorAll("[data-font]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-font") === size));
    });
  }

  function applyElder(on) {
    root.classList.toggle("elder", on);
    document.querySelectorAll("[data-elder-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(on));
    });
  }

  var font = load(FONT_KEY);
  if (FONTS.indexOf(font) < 0) font = "medium";
  var elder = load(ELDER_KEY) === "1";
  applyFont(font);
  applyElder(elder);

  document.addEventListener("DOMContentLoaded", function () {
    applyFont(font);
    applyElder(elder);
    document.querySelectorAll("[data-portal-tools]").forEach(function (el) { el.hidden = false; });
    document.querySelectorAll("[data-font]").forEach(function (b) {
      b.addEventListener("click", function () {
        font = b.getAttribute("data-font");
        save(FONT_KEY, font);
        applyFont(font);
      });
    });
    document.querySelectorAll("[data-elder-toggle]").forEach(function (b) {
      b.addEventListener("click", function () {
        elder = !elder;
        save(ELDER_KEY, elder ? "1" : "0");
        applyElder(elder);
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();

// The header's compact menu on narrow screens: a button that shows and hides the navigation.
// Without this script the navigation simply stays open, so nothing depends on it.
(function () {
  "use strict";
  var header = document.querySelector("[data-site-header]");
  if (!header) return;
  var toggle = header.querySelector(".nav-toggle");
  var menu = document.getElementById(toggle.getAttribute("aria-controls"));
  header.classList.add("site-header--collapsible");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("site-nav--open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      toggle.click();
      toggle.focus();
    }
  });
})();

// 找代表: after htmx swaps a step in place, move keyboard and screen-reader focus to the new
// step's heading, as a full page load would. Without JavaScript the steps are plain links.
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function () {
    var panel = document.getElementById("find-panel");
    if (!panel) return;
    var heading = panel.querySelector("[data-step-heading]");
    if (heading) heading.focus({ preventScroll: true });
  });
})();

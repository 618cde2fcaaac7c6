// Page behaviour shared by every page. Loaded by base.html with the CSP nonce; CSP forbids inline
// scripts, so page-specific behaviour also goes into static files, never into <script> blocks.
(function () {
  "use strict";

  // Django's CSRF check needs the token on every htmx POST/PUT/PATCH/DELETE. The cookie comes first:
  // it is current even after a login in another tab rotated the token. The meta tag rendered by
  // base.html covers the first request of a page whose response set no cookie yet.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var method = (event.detail.verb || "get").toUpperCase();
    if (method !== "GET" && method !== "HEAD") {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  // Copy buttons: <button data-copy-target="input-id" data-copied-text="已复制" hidden>. They stay
  // hidden where the Clipboard API is missing (plain HTTP on a LAN address), so nobody presses a
  // button that does nothing; the text can still be selected and copied by hand.
  function setUpCopyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      if (button.dataset.copyReady) return;
      button.dataset.copyReady = "1";
      button.hidden = false;
      // A screen reader hears "已复制" from this live region; the button's own text changes for the eye.
      var said = document.createElement("span");
      said.className = "visually-hidden";
      said.setAttribute("aria-live", "polite");
      button.after(said);
      button.addEventListener("click", function () {
        var target = document.getElementById(button.dataset.copyTarget);
        if (!target) return;
        navigator.clipboard.writeText(target.value || target.textContent || "").then(function () {
          var label = button.textContent;
          button.textContent = button.dataset.copiedText || label;
          said.textContent = button.dataset.copiedText || "";
          setTimeout(function () { button.textContent = label; said.textContent = ""; }, 2000);
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setUpCopyButtons(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setUpCopyButtons(event.target); });

  window.renda = window.renda || {};
  window.renda.csrfToken = csrfToken;
})();

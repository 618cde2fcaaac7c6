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

  window.renda = window.renda || {};
  window.renda.csrfToken = csrfToken;
})();

/*
 * Follows a QR confirmation ticket on the page that shows it.
 *
 * Markup: any element with data-status-url (JSON {"status": ...}) and either
 *   data-confirm-url  a POST target submitted once the ticket is confirmed, with the
 *                     CSRF token of a hidden csrfmiddlewaretoken input inside the element
 *                     (or anywhere on the page), or
 *   data-next-url     a page to go to once confirmed.
 * Optional: data-text-<status> messages (pending, scanned, confirmed, denied, expired,
 * consumed, refresh), an element [data-ticket-message] that shows them, and a
 * [data-ticket-refresh] button revealed when the ticket is denied or expired (a button
 * is added when there is none; it reloads the page, which shows a new ticket).
 */
(function () {
  "use strict";

  var INTERVAL_MS = 1500;
  var MAX_BACKOFF_MS = 15000;

  function text(el, state) {
    return el.getAttribute("data-text-" + state) || "";
  }

  function show(el, state) {
    el.setAttribute("data-ticket-state", state);
    var target = el.querySelector("[data-ticket-message]");
    var message = text(el, state);
    if (target && message) {
      target.textContent = message;
    }
  }

  function csrfToken(el) {
    var input =
      el.querySelector('input[name="csrfmiddlewaretoken"]') ||
      document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function proceed(el) {
    var confirmUrl = el.getAttribute("data-confirm-url");
    if (confirmUrl) {
      var form = document.createElement("form");
      form.method = "post";
      form.action = confirmUrl;
      form.hidden = true;
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrfToken(el);
      form.appendChild(token);
      document.body.appendChild(form);
      form.submit();
      return;
    }
    var nextUrl = el.getAttribute("data-next-url");
    if (nextUrl) {
      window.location.assign(nextUrl);
    }
  }

  function offerRefresh(el) {
    var button = el.querySelector("[data-ticket-refresh]");
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = "btn secondary";
      button.setAttribute("data-ticket-refresh", "");
      button.textContent = text(el, "refresh") || "Refresh";
      el.appendChild(button);
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      window.location.reload();
    });
  }

  function watch(el) {
    var statusUrl = el.getAttribute("data-status-url");
    if (!statusUrl) {
      return;
    }
    var failures = 0;

    function schedule(delay) {
      window.setTimeout(poll, delay || INTERVAL_MS);
    }

    function handle(state) {
      if (state === "confirmed") {
        show(el, "confirmed");
        proceed(el);
      } else if (state === "denied" || state === "expired" || state === "consumed") {
        show(el, state);
        offerRefresh(el);
      } else {
        show(el, state || "pending");
        schedule();
      }
    }

    function poll() {
      fetch(statusUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          // Not this session's ticket (any more): treat it as gone.
          if (response.status === 404) {
            return { status: "expired" };
          }
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          handle(data && data.status);
        })
        .catch(function () {
          failures += 1;
          schedule(Math.min(INTERVAL_MS * Math.pow(2, failures), MAX_BACKOFF_MS));
        });
    }

    schedule();
  }

  function start() {
    var elements = document.querySelectorAll("[data-status-url]");
    for (var i = 0; i < elements.length; i += 1) {
      watch(elements[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

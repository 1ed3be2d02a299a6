/*
 * A form whose answer is a file download (data-refresh-after-download): the browser
 * saves the file and stays on the page, which still shows what it showed before the
 * post. After the post, the button is disabled (a second click would make a second key)
 * and the page is fetched again, so it lists what the post made. A post refused with a
 * page of its own replaces this page first, and with it this timer. The attribute's
 * value, if any, is the URL then fetched (the list), not the URL the browser is at.
 */
(function () {
  "use strict";

  var RELOAD_AFTER_MS = 1500;

  function init() {
    var forms = document.querySelectorAll("form[data-refresh-after-download]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", function (event) {
        var buttons = event.currentTarget.querySelectorAll("button[type=submit]");
        window.setTimeout(function () {
          for (var j = 0; j < buttons.length; j++) {
            buttons[j].disabled = true;
          }
        }, 0);
        // The page to show afterwards is the attribute's value (the list): after a
        // refused post the browser is at the form's action URL, which is no page to
        // reload.
        var next = event.currentTarget.getAttribute("data-refresh-after-download");
        window.setTimeout(function () {
          window.location.assign(next || window.location.href);
        }, RELOAD_AFTER_MS);
      });
    }
  }

  // Back to a page kept in the history cache: its buttons work again.
  window.addEventListener("pageshow", function () {
    var buttons = document.querySelectorAll("form[data-refresh-after-download] button[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = false;
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/*
 * File fields with data-max-bytes: a file larger than that is refused on the field, with
 * the field's data-too-large text, before the form sends it. Behind the front, a body over
 * the server's cap is answered by the front's own 413 page and the form is lost.
 */
(function () {
  "use strict";

  function tooLarge(input) {
    var most = parseInt(input.getAttribute("data-max-bytes"), 10);
    var files = input.files || [];
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > most) {
        return true;
      }
    }
    return false;
  }

  function note(input) {
    var shown = input.parentNode.querySelector("[data-size-error]");
    if (!shown) {
      shown = document.createElement("div");
      shown.className = "errorlist";
      shown.setAttribute("data-size-error", "");
      shown.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", shown);
    }
    return shown;
  }

  function check(input) {
    var refused = tooLarge(input);
    var shown = note(input);
    shown.textContent = refused ? input.getAttribute("data-too-large") : "";
    shown.hidden = !refused;
    input.setAttribute("aria-invalid", refused ? "true" : "false");
    return !refused;
  }

  function init() {
    var inputs = document.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      input.addEventListener("change", function (event) {
        check(event.currentTarget);
      });
      if (input.form) {
        input.form.addEventListener("submit", function (event) {
          var fields = event.currentTarget.querySelectorAll("input[type=file][data-max-bytes]");
          for (var j = 0; j < fields.length; j++) {
            if (!check(fields[j])) {
              event.preventDefault();
              fields[j].focus();
              return;
            }
          }
        });
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

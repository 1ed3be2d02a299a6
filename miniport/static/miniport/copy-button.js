/*
 * Copy buttons: a <button data-copy-target="ID"> copies the text of the element with
 * that id to the clipboard. The button sits in a hidden [data-copy-wrap] shown here, so
 * a page without scripts offers no button that does nothing. Optional attributes:
 * data-copied-text and data-copy-failed-text, shown in the nearest [data-copy-status].
 */
(function () {
  "use strict";

  function status(button, message) {
    var wrap = button.closest("[data-copy-wrap]") || button;
    var box = wrap.parentNode && wrap.parentNode.querySelector("[data-copy-status]");
    if (box) {
      box.textContent = message || "";
    }
  }

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallback(el) {
    selectText(el);
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copy(button) {
    var el = document.getElementById(button.getAttribute("data-copy-target"));
    if (!el) {
      return;
    }
    var text = el.textContent.trim();
    var done = function () {
      button.setAttribute("data-copied", "1");
      status(button, button.getAttribute("data-copied-text"));
    };
    var failed = function () {
      if (fallback(el)) {
        done();
      } else {
        status(button, button.getAttribute("data-copy-failed-text"));
      }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  function init() {
    var buttons = document.querySelectorAll("button[data-copy-target]");
    for (var i = 0; i < buttons.length; i++) {
      var wrap = buttons[i].closest("[data-copy-wrap]");
      if (wrap) {
        wrap.hidden = false;
      }
      buttons[i].addEventListener("click", function (event) {
        copy(event.currentTarget);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

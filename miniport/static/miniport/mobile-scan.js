// Counts down the time left on the scan page; at zero the buttons are disabled and a
// note says to refresh the code on the computer (the server refuses late answers anyway).
(function () {
  "use strict";
  var counter = document.querySelector(".countdown[data-seconds-left]");
  if (!counter) {
    return;
  }
  var deadline = Date.now() + parseInt(counter.getAttribute("data-seconds-left"), 10) * 1000;

  function format(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    counter.textContent = format(left);
    if (left > 0) {
      window.setTimeout(tick, 1000);
      return;
    }
    document.querySelectorAll(".scan-actions button").forEach(function (button) {
      button.disabled = true;
    });
    var note = document.querySelector(".expired-note");
    if (note) {
      note.hidden = false;
    }
  }

  tick();
})();

/*
 * Forms that show the fields of a choice as soon as it is made: a form with
 * data-submit-on-choice="NAME" is submitted when one of its controls changes and a
 * control named NAME is chosen, so no extra "select" click is needed. The button inside
 * [data-choice-fallback] stays for pages without scripts and is hidden here.
 */
(function () {
  "use strict";

  function chosen(form, name) {
    var controls = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < controls.length; i++) {
      var control = controls[i];
      if (control.type === "radio" || control.type === "checkbox") {
        if (control.checked) {
          return true;
        }
      } else if (control.value) {
        return true;
      }
    }
    return false;
  }

  function init() {
    var forms = document.querySelectorAll("form[data-submit-on-choice]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      var fallback = form.querySelector("[data-choice-fallback]");
      if (fallback) {
        fallback.hidden = true;
      }
      form.addEventListener("change", function (event) {
        var target = event.currentTarget;
        if (chosen(target, target.getAttribute("data-submit-on-choice"))) {
          target.submit();
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

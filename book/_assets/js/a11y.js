/* Accessibility and offline repairs for third-party output in the built book (loaded on every
   page by book/_ext/claims_audit.py, before the widget manager). axe-core flags these:
   1. ipywidgets sliders: the noUiSlider handle (role="slider") has no accessible name. We name it
      after the widget's own description label.
   2. jupyterquiz numeric answers: the <input> has no label. We name it after its question.
   3. sphinxcontrib-bibtex: the bibliography is role="list" but its entries use the deprecated
      role "doc-biblioentry", which axe does not accept as list items. We use "listitem".
   */
(function () {
  "use strict";
  function repair(scope) {
    var i, els;
    els = scope.querySelectorAll(".widget-slider [role='slider']:not([aria-label])");
    for (i = 0; i < els.length; i++) {
      var w = els[i].closest(".widget-slider");
      var label = w && w.querySelector(".widget-label");
      var text = label && label.textContent.trim();
      els[i].setAttribute("aria-label", text || "slider");
    }
    els = scope.querySelectorAll("input.Input-text:not([aria-label])");
    for (i = 0; i < els.length; i++) {
      var box = els[i].parentElement, q = null;
      while (box && box !== document.body && !q) {
        q = box.querySelector("[id^='quizQn']");
        box = box.parentElement;
      }
      els[i].setAttribute("aria-label", "Your answer" + (q ? ": " + q.textContent.trim() : ""));
    }
    els = scope.querySelectorAll("[role='list'] > [role='doc-biblioentry']");
    for (i = 0; i < els.length; i++) { els[i].setAttribute("role", "listitem"); }
  }

  function start() {
    repair(document);
    new MutationObserver(function () { repair(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

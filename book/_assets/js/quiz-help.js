/* Numeric quiz answers in the book (jupyterquiz): the box checks the answer only when Enter is
   pressed, and says nothing about it. Here each numeric box gets a visible label tied to it
   ("Type a number, then press Enter or Check"), a hint for phone keyboards, and a "Check" button
   that runs jupyterquiz's own check (check_numeric, defined by the quiz's inline script) as if
   Enter had been pressed. Loaded on every page by book/_ext/twitch_book.py; does nothing on
   pages without a quiz. */
(function () {
  "use strict";
  function enhance(input) {
    if (input.dataset.twitchHelp) { return; }
    input.dataset.twitchHelp = "1";
    input.setAttribute("enterkeyhint", "done");
    var label = input.parentElement && input.parentElement.querySelector("label.InpLabel");
    if (label) {
      label.textContent = "Type a number, then press Enter or Check:";
      if (input.id) { label.htmlFor = input.id; }
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "twitch-quiz-check";
    button.textContent = "Check";
    button.addEventListener("click", function () {
      if (typeof window.check_numeric === "function") {
        window.check_numeric(input, { keyCode: 13, which: 13 });
      }
    });
    input.insertAdjacentElement("afterend", button);
  }
  function scan() {
    var els = document.querySelectorAll(".NumericQn input.Input-text");
    for (var i = 0; i < els.length; i++) { enhance(els[i]); }
  }
  function start() {
    scan();
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Typed quiz answers in the book (jupyterquiz): the box checks the answer only when Enter is
   pressed, and says nothing about it. Here each such box gets a visible label tied to it
   ("Type a number, then press Enter or Check"), a hint for phone keyboards, and a "Check" button
   that runs jupyterquiz's own check (check_numeric / check_string, defined by the quiz's inline
   script) as if Enter had been pressed. jupyterquiz puts the label and the box in the answer
   area, after the question (not inside its .NumericQn element), with its own label text, which
   tells numeric from text answers. Loaded on every page by book/_ext/twitch_book.py; does
   nothing on pages without a quiz. */
(function () {
  "use strict";
  function enhance(input) {
    if (input.dataset.twitchHelp) { return; }
    var label = input.parentElement && input.parentElement.querySelector("label.InpLabel");
    var original = label ? label.textContent : "";
    var numeric = /numeric/i.test(original);
    var check = numeric ? window.check_numeric : window.check_string;
    input.dataset.twitchHelp = "1";
    input.setAttribute("enterkeyhint", "done");
    if (label) {
      label.textContent = (numeric ? "Type a number" : "Type your answer") +
        ", then press Enter or Check:";
      if (input.id) { label.htmlFor = input.id; }
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "twitch-quiz-check";
    button.textContent = "Check";
    button.addEventListener("click", function () {
      var fn = numeric ? window.check_numeric : window.check_string;
      if (typeof fn === "function") { fn(input, { keyCode: 13, which: 13 }); }
    });
    if (typeof check !== "function") { button.disabled = true; }
    input.insertAdjacentElement("afterend", button);
  }
  function scan() {
    var els = document.querySelectorAll("input.Input-text");
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

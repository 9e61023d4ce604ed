/* Two repairs for the ipywidgets HTML manager (embed-amd.js) in the built book. Inserted right
   after require.js, before embed-amd.js, on pages with stored widgets, by
   book/_ext/claims_audit.py.
   1. Fonts: the manager derives its asset path from a RequireJS module URI, which RequireJS
      otherwise resolves relative to the page (lessons/<part>/@jupyter-widgets/...: 404s). We
      map the @jupyter-widgets module paths to the copy the book serves, and set the manager's
      own asset-path hook.
   2. MathJax: the manager typesets widget labels with the MathJax 2 call MathJax.Hub.Queue,
      which MathJax 3 (the book's) does not have: an uncaught TypeError on every widget page.
      We provide Hub.Queue, forwarding to MathJax 3's typesetPromise. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-content_root") || "";
  var base = new URL(root + "_static/html-manager", document.baseURI).href;
  // Every @jupyter-widgets module resolves into the same folder: which module's URI the bundle
  // takes its asset path from depends on load timing (a slow script elsewhere on the page hid
  // this), and "@jupyter-widgets/controls" alone resolved next to the page.
  require.config({ paths: { "@jupyter-widgets/html-manager/dist": base,
                            "@jupyter-widgets": base } });
  window.__jupyter_widgets_assets_path__ = base + "/";

  function queue() {
    var mj = window.MathJax;
    var args = Array.prototype.slice.call(arguments);
    var elements = [];
    args.forEach(function (a) {
      if (Array.isArray(a) && a[2] && a[2].nodeType === 1) { elements.push(a[2]); }
    });
    if (mj && mj.typesetPromise) {
      mj.typesetPromise(elements.length ? elements : undefined).catch(function () {});
    }
  }
  var config = window.MathJax;
  if (config && !config.version) {
    // Before MathJax 3 has loaded: the config object stands in for MathJax; startup typesets
    // the whole page anyway, so queued calls can be dropped.
    config.Hub = config.Hub || { Queue: function () {} };
    config.startup = config.startup || {};
    var ready = config.startup.ready;
    config.startup.ready = function () {
      if (ready) { ready(); } else { window.MathJax.startup.defaultReady(); }
      window.MathJax.Hub = window.MathJax.Hub || { Queue: queue };
    };
  }
})();

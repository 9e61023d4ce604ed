/* Sort and filter the claims-audit table (book/claims-audit.md). Vanilla JS, no dependencies.
   Without JavaScript the full table is still there; this only adds controls. The table header
   sticks below the theme's (sticky) article header: its height is measured into a CSS variable.
   Sorting: the Claim column sorts by claim id, the Verdict column from supported to wrong. */
(function () {
  "use strict";
  var VERDICT_ORDER = { supported: 0, partly: 1, unsupported: 2, wrong: 3 };

  function rowVerdict(tr) {
    var m = /verdict-(\w+)/.exec(tr.className);
    return m ? m[1] : "";
  }
  function rowCategory(tr) {
    var m = /category-([\w-]+)/.exec(tr.className);
    return m ? m[1] : "";
  }
  function sortKey(tr, th) {
    if (/\bsort-verdict\b/.test(th.className)) { return VERDICT_ORDER[rowVerdict(tr)]; }
    var id = tr.querySelector(".claim-id");
    return (id ? id.textContent : tr.textContent).trim().toLowerCase();
  }
  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value; o.textContent = label; select.appendChild(o);
  }
  function labelled(text, control, id) {
    var wrap = document.createElement("span");
    var label = document.createElement("label");
    label.textContent = text; label.htmlFor = id; control.id = id;
    wrap.appendChild(label); wrap.appendChild(control);
    return wrap;
  }
  function stickyTop() {
    var bar = document.querySelector(".bd-header-article");
    var top = 0;
    if (bar && getComputedStyle(bar).position === "sticky") {
      top = bar.getBoundingClientRect().height;
    }
    document.documentElement.style.setProperty("--twitch-sticky-top", top + "px");
  }

  function setup(table, n) {
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var bar = document.createElement("div");
    bar.className = "claims-controls";
    var search = document.createElement("input");
    search.type = "search"; search.placeholder = "e.g. magnesium";
    var verdict = document.createElement("select");
    option(verdict, "", "all verdicts");
    ["supported", "partly", "unsupported", "wrong"].forEach(function (v) {
      option(verdict, v, v === "partly" ? "partly true" : v);
    });
    var category = document.createElement("select");
    option(category, "", "all kinds");
    var cats = [];
    rows.forEach(function (tr) {
      var c = rowCategory(tr);
      if (c && cats.indexOf(c) < 0) { cats.push(c); }
    });
    cats.forEach(function (c) { option(category, c, c.replace(/-/g, " ")); });
    var status = document.createElement("span");
    status.className = "claims-status";
    status.setAttribute("role", "status");
    bar.appendChild(labelled("Search ", search, "claims-search-" + n));
    bar.appendChild(labelled("Verdict ", verdict, "claims-verdict-" + n));
    bar.appendChild(labelled("Kind ", category, "claims-kind-" + n));
    bar.appendChild(status);
    var container = table.closest(".claims-table-wrapper") || table;
    container.parentNode.insertBefore(bar, container);

    function applyFilter() {
      var q = search.value.trim().toLowerCase(), v = verdict.value, c = category.value, shown = 0;
      rows.forEach(function (tr) {
        var ok = (!v || rowVerdict(tr) === v) && (!c || rowCategory(tr) === c) &&
          (!q || tr.textContent.toLowerCase().indexOf(q) >= 0);
        tr.hidden = !ok;
        if (ok) { shown += 1; }
      });
      status.textContent = "Showing " + shown + " of " + rows.length + " claims";
    }
    [search, verdict, category].forEach(function (el) {
      el.addEventListener("input", applyFilter);
      el.addEventListener("change", applyFilter);
    });

    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th) {
      if (!/\bsort-/.test(th.className)) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "claims-sort";
      button.textContent = th.textContent.trim();
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) {
          if (h.hasAttribute("aria-sort")) { h.setAttribute("aria-sort", "none"); }
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var ka = sortKey(a, th), kb = sortKey(b, th);
          var r = ka < kb ? -1 : ka > kb ? 1 : 0;
          return ascending ? r : -r;
        });
        rows.forEach(function (tr) { tbody.appendChild(tr); });
      });
    });
    applyFilter();
  }

  function init() {
    var tables = document.querySelectorAll("table.claims-table");
    if (!tables.length) { return; }
    Array.prototype.forEach.call(tables, setup);
    stickyTop();
    window.addEventListener("resize", stickyTop);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

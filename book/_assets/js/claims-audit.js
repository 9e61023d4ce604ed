/* Sort and filter the claims-audit table (book/claims-audit.md). Vanilla JS, no dependencies.
   Without JavaScript the full table is still there; this only adds controls. */
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
  function cellKey(tr, col) {
    if (col === 3) { return VERDICT_ORDER[rowVerdict(tr)]; }
    return (tr.cells[col] ? tr.cells[col].textContent : "").trim().toLowerCase();
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
    var container = table.closest(".pst-scrollable-table-container") || table;
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
    Array.prototype.forEach.call(headers, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "claims-sort";
      button.textContent = th.textContent.trim();
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var ka = cellKey(a, col), kb = cellKey(b, col);
          var r = ka < kb ? -1 : ka > kb ? 1 : 0;
          return ascending ? r : -r;
        });
        rows.forEach(function (tr) { tbody.appendChild(tr); });
      });
    });
    applyFilter();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.claims-table"), setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

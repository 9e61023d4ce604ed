/* Kernel-free book panels (widgets/panels/book.py). No physiology here: every number was
   computed by the Python models when the page was built. On each control change this script
   selects the stored grid point (no interpolation), shows its readout text and hands its arrays
   to the Vega-Lite charts (vendored vega, vega-lite, vega-embed). */
(function () {
  "use strict";
  if (window.TwitchBookPanels) { window.TwitchBookPanels.scan(); return; }

  function rowsOf(cfg, name, p) {
    var d = cfg.data[name];
    if (!d) { return []; }
    var cols = {}, n = 0, f;
    for (f in d.shared) { cols[f] = d.shared[f]; n = Math.max(n, cols[f].length); }
    for (f in d.varying) {
      var v = d.varying[f];
      cols[f] = Array.isArray(v) ? v[p] : v.table[v.index[p]];
      n = Math.max(n, cols[f].length);
    }
    var rows = new Array(n);
    for (var i = 0; i < n; i++) {
      var r = {};
      for (f in cols) { r[f] = cols[f][i]; }
      rows[i] = r;
    }
    return rows;
  }

  function Panel(root) {
    var self = this;
    this.root = root;
    this.cfg = JSON.parse(root.querySelector("script.twitch-bp-data").textContent);
    var cfg = this.cfg;
    this.state = cfg.controls.map(function (c) { return c.default; });
    this.index = {};
    cfg.points.forEach(function (pt, i) { self.index[pt.join(",")] = i; });
    this.inputs = cfg.controls.map(function (c, k) {
      return root.querySelector('[data-control="' + k + '"]');
    });
    this.renders = 0;
    this.views = [];
    this.inputs.forEach(function (el, k) {
      el.addEventListener("input", function () { self.onInput(k); });
      el.addEventListener("change", function () { self.onInput(k); });
    });
  }

  Panel.prototype.start = function () {
    var self = this, root = this.root;
    var slots = root.querySelectorAll(".twitch-bp-chart");
    var opts = { actions: false, renderer: "svg", tooltip: false };
    var cfg = this.cfg, p0 = this.pointOf(this.state);
    return Promise.all(cfg.charts.map(function (c, i) {
      // start with the default setting's arrays (no empty first draw)
      var spec = Object.assign({}, c.spec, { datasets: {} });
      c.datasets.forEach(function (name) { spec.datasets[name] = rowsOf(cfg, name, p0); });
      var renderer = (c.spec.usermeta && c.spec.usermeta.renderer) || "svg";
      return window.vegaEmbed(slots[i], spec, Object.assign({}, opts, { renderer: renderer }));
    })).then(function (results) {
      self.views = results.map(function (r) { return r.view; });
      root.querySelector(".twitch-bp-nojs").hidden = true;
      root.querySelector(".twitch-bp-live").hidden = false;
      return self.render(self.pointOf(self.state));
    });
  };

  Panel.prototype.pointOf = function (state) {
    var p = this.index[state.join(",")];
    return p === undefined ? -1 : p;
  };

  // A setting outside the grid: keep the block that holds the moved control's new value and
  // most of the other changed controls; put the rest back to their defaults (and say so).
  Panel.prototype.fallback = function (k) {
    var cfg = this.cfg, state = this.state, best = null, bestKept = -1;
    function allows(b, j) { var v = b[String(j)]; return !!v && v.indexOf(state[j]) >= 0; }
    cfg.blocks.forEach(function (b) {
      if (!allows(b, k)) { return; }
      var kept = 0;
      for (var j = 0; j < state.length; j++) {
        if (j !== k && state[j] !== cfg.controls[j].default && allows(b, j)) { kept += 1; }
      }
      if (kept > bestKept) { best = b; bestKept = kept; }
    });
    var reset = [];
    for (var j = 0; j < state.length; j++) {
      if (j !== k && state[j] !== cfg.controls[j].default && !allows(best, j)) {
        state[j] = cfg.controls[j].default;
        this.show(j);
        reset.push(cfg.controls[j].label + " back to " + cfg.controls[j].labels[state[j]]);
      }
    }
    return reset;
  };

  Panel.prototype.show = function (k) {
    var el = this.inputs[k], c = this.cfg.controls[k], i = this.state[k];
    el.value = String(i);
    if (el.tagName === "INPUT") {
      el.setAttribute("aria-valuetext", c.valuetexts[i]);
      var out = el.parentNode.querySelector("output");
      if (out) { out.textContent = c.labels[i]; }
    }
  };

  Panel.prototype.onInput = function (k) {
    var i = parseInt(this.inputs[k].value, 10);
    if (i === this.state[k] && this.renders) { return this.pending; }
    this.state[k] = i;
    this.show(k);
    var p = this.pointOf(this.state), note = "";
    if (p < 0) {
      var reset = this.fallback(k);
      p = this.pointOf(this.state);
      note = reset.length ? "Precomputed one control at a time here: " + reset.join("; ") + "." : "";
    }
    // keep the last "put back to default" note while the same control keeps moving
    if (note || k !== this.noteControl) {
      this.root.querySelector(".twitch-bp-status").textContent = note;
      this.noteControl = note ? k : -1;
    }
    return this.render(p);
  };

  Panel.prototype.render = function (p) {
    var self = this, cfg = this.cfg, t0 = performance.now();
    this.root.querySelector(".twitch-bp-readout").innerHTML = cfg.readout[p];
    if (cfg.sounds) { this.sound(cfg.sounds[p]); }
    this.root.querySelector(".twitch-bp-charts").setAttribute("aria-label", cfg.alt[p]);
    this.pending = Promise.all(this.views.map(function (view, i) {
      cfg.charts[i].datasets.forEach(function (name) { view.data(name, rowsOf(cfg, name, p)); });
      // lay the chart out again: new data can change how wide its labels are (a bold name)
      return view.resize().runAsync();
    })).then(function () {
      self.renders += 1;
      self.point = p;
      self.root.dataset.point = String(p);
      self.root.dataset.renders = String(self.renders);
      self.root.dataset.renderMs = (performance.now() - t0).toFixed(2);
    });
    return this.pending;
  };

  // The current setting's sound: its file (in the book's _static/panel-sounds) on the player,
  // or a note where the setting has none. The player never starts by itself.
  Panel.prototype.sound = function (name) {
    var box = this.root.querySelector(".twitch-bp-sound");
    if (!box) { return; }
    var audio = box.querySelector("audio"), note = box.querySelector(".twitch-bp-nosound");
    audio.hidden = !name;
    box.querySelector(".twitch-bp-sound-label").hidden = !name;
    box.querySelector(".twitch-bp-sound-what").hidden = !name;
    note.hidden = !!name;
    if (!name) { audio.pause(); return; }
    var root = document.documentElement.dataset.content_root || "";
    var src = root + "_static/panel-sounds/" + name;
    if (audio.getAttribute("src") !== src) { audio.pause(); audio.setAttribute("src", src); }
  };

  // For tests and benchmarks: the current setting's stored arrays, and a way to set controls.
  Panel.prototype.rows = function (name) { return rowsOf(this.cfg, name, this.point); };

  function scan() {
    var roots = document.querySelectorAll("[data-twitch-book-panel]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.twitchPanel) { return; }
      if (!window.vegaEmbed) {
        root.querySelector(".twitch-bp-nojs").textContent =
          "This panel needs the chart libraries that the book ships (vega, vega-lite, " +
          "vega-embed); they were not found on this page.";
        return;
      }
      var panel = new Panel(root);
      root.twitchPanel = panel;
      panel.ready = panel.start();
      window.TwitchBookPanels.panels.push(panel);
    });
  }

  window.TwitchBookPanels = { scan: scan, panels: [] };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();

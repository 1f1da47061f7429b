/* The interactive concept map: draws window.EXPLAINER_MAP with Cytoscape.js. */
(function () {
  "use strict";
  var data = window.EXPLAINER_MAP;
  var tip = document.getElementById("map-tip");
  var box = document.getElementById("cy");
  var elements = [];
  data.nodes.forEach(function (n) {
    elements.push({group: "nodes", data: n, position: {x: n.x, y: n.y}});
  });
  data.edges.forEach(function (e) {
    var classes = [e.side ? "side" : (e.weights.length ? "routed" : "")];
    if (e.condition) { classes.push("conditional"); }
    elements.push({group: "edges", data: e, classes: classes.join(" ")});
  });
  var cy = cytoscape({
    container: box,
    elements: elements,
    layout: {name: "preset"},
    minZoom: 0.2,
    maxZoom: 4,
    // The wheel scrolls the page; it zooms only with Ctrl or Cmd held (below).
    userZoomingEnabled: false,
    style: [
      {selector: "node", style: {
        "shape": "round-rectangle", "width": "data(w)", "height": "data(h)",
        "background-color": "data(colour)", "label": "data(label)", "text-wrap": "wrap",
        "text-max-width": "data(w)", "font-size": 10, "text-valign": "center",
        "text-halign": "center", "color": "#000"}},
      {selector: "edge", style: {
        "curve-style": "straight", "width": 1.2, "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "line-style": "data(line)", "opacity": 0.7}},
      {selector: "edge.routed", style: {
        "curve-style": "segments", "segment-weights": "data(weights)",
        "segment-distances": "data(distances)", "edge-distances": "node-position"}},
      {selector: "edge.side", style: {
        "curve-style": "unbundled-bezier", "control-point-distances": -45,
        "control-point-weights": 0.5}},
      {selector: "edge.conditional", style: {
        "mid-target-arrow-shape": "diamond", "mid-target-arrow-fill": "hollow",
        "mid-target-arrow-color": "#333333"}},
      {selector: ".faded", style: {"opacity": 0.12}},
      {selector: "edge.on", style: {"width": 3.5, "opacity": 1, "z-index": 10}},
      {selector: "node.on", style: {"border-width": 2, "border-color": "#000"}},
      {selector: "node.picked", style: {"border-width": 4, "border-color": "#000"}},
      {selector: ".hidden", style: {"display": "none"}},
      {selector: "edge.hover", style: {"width": 4, "opacity": 1, "z-index": 20}}
    ]
  });
  window.explainerMap = cy;

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function describe(edge) {
    var s = edge.source().data("label"), t = edge.target().data("label");
    return edge.data("propositions").map(function (p) {
      return "<p><strong>" + esc(s) + "</strong> <em>" + esc(p.phrase) + "</em> <strong>" +
        esc(t) + "</strong>" + (p.condition ? " (" + esc(p.condition) + ")" : "") + "</p>" +
        "<blockquote>\u201c" + esc(p.quote) + "\u201d</blockquote>" +
        "<p class=\"meta\">section " + esc(p.section) + " \u00b7 claim <a href=\"article.html#" +
        encodeURIComponent(p.claim) + "\">" + esc(p.claim) + "</a>" +
        " \u00b7 basis: <span class=\"basis\">" + esc(p.basis) + "</span>" +
        (p.basis_note ? " (" + esc(p.basis_note) + ")" : "") + "</p>";
    }).join("");
  }
  function say(html) { tip.innerHTML = html; tip.classList.add("shown"); }
  cy.on("mouseover", "edge", function (evt) {
    cy.edges(".hover").removeClass("hover");
    evt.target.addClass("hover");
    say(describe(evt.target));
  });
  cy.on("mouseout", "edge", function (evt) { evt.target.removeClass("hover"); });
  cy.on("tap", "edge", function (evt) {
    cy.edges(".hover").removeClass("hover");
    evt.target.addClass("hover");
    say(describe(evt.target));
  });
  function clear() {
    cy.elements().removeClass("faded on hidden picked");
  }
  function highlight(edgeIds, nodeId) {
    clear();
    var on = cy.collection();
    edgeIds.forEach(function (id) { on = on.union(cy.getElementById(id)); });
    on = on.union(on.connectedNodes());
    if (nodeId) { on = on.union(cy.getElementById(nodeId)); }
    cy.elements().not(on).addClass("faded");
    on.addClass("on");
    return on;
  }
  function linkLine(e) {
    var p = e.data("propositions")[0];
    return "<li>" + esc(e.source().data("label")) + " <em>" + esc(p.phrase) + "</em> " +
      esc(e.target().data("label")) + " <span class=\"meta\">(" + esc(p.basis) + ")</span></li>";
  }
  // A concept: all its links, in and out, lit and listed.
  function linksOf(n) {
    var on = highlight(n.data("links"), n.id());
    n.addClass("picked");
    var edges = on.edges();
    say("<p><strong>" + esc(n.data("label")) + "</strong>: " + esc(n.data("description")) +
      "</p><p class=\"meta\">Its " + edges.length + " links are lit:</p><ul>" +
      edges.map(linkLine).join("") + "</ul>");
    return on;
  }
  var concepts = document.getElementById("concept-picker");
  var picker = document.getElementById("route-picker");
  cy.on("tap", "node", function (evt) {
    picker.value = "";
    concepts.value = evt.target.id();
    linksOf(evt.target);
  });
  concepts.addEventListener("change", function () {
    picker.value = "";
    if (concepts.value) { linksOf(cy.getElementById(concepts.value)); } else { clear(); say(""); }
  });
  function showRoute(id) {
    clear();
    var route = data.routes.filter(function (r) { return r.id === id; })[0];
    if (!route) { fit(); say(""); return; }
    concepts.value = "";
    var on = highlight(route.edges);
    cy.elements().not(on).addClass("hidden");
    cy.fit(on, 40);
    say("<p><strong>" + esc(route.label) + "</strong></p><ul>" +
      route.edges.map(function (id) { return linkLine(cy.getElementById(id)); }).join("") + "</ul>");
  }
  picker.addEventListener("change", function () { showRoute(picker.value); });
  document.querySelectorAll("a[data-route]").forEach(function (a) {
    a.addEventListener("click", function (evt) {
      evt.preventDefault();
      picker.value = a.getAttribute("data-route");
      showRoute(picker.value);
      box.scrollIntoView({block: "nearest"});
    });
  });
  function narrow() { return box.clientWidth < 600; }
  // On a narrow screen the whole map is too small to read: start at a readable zoom on its origin.
  function fit() {
    cy.fit(undefined, 20);
    if (narrow() && cy.zoom() < 1) {
      var origin = data.nodes.filter(function (n) { return n.id === "sex"; })[0] || data.nodes[0];
      cy.zoom(1);
      cy.center(cy.getElementById(origin.id));
    }
  }
  function zoomBy(factor, at) {
    var level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
    cy.zoom({level: level, renderedPosition: at || {x: box.clientWidth / 2, y: box.clientHeight / 2}});
  }
  document.getElementById("map-zoom-in").addEventListener("click", function () { zoomBy(1.25); });
  document.getElementById("map-zoom-out").addEventListener("click", function () { zoomBy(0.8); });
  box.addEventListener("wheel", function (evt) {
    if (!(evt.ctrlKey || evt.metaKey)) { return; }  // the page scrolls
    evt.preventDefault();
    var rect = box.getBoundingClientRect();
    zoomBy(evt.deltaY < 0 ? 1.1 : 1 / 1.1, {x: evt.clientX - rect.left, y: evt.clientY - rect.top});
  }, {passive: false});
  document.getElementById("map-fit").addEventListener("click", fit);
  document.getElementById("map-clear").addEventListener("click", function () {
    picker.value = ""; concepts.value = ""; clear(); fit(); say("");
  });
  // map.html#oxytocin lights up that concept; map.html#mechanism:oxytocin shows that route.
  function fromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    if (data.routes.some(function (r) { return r.id === id; })) {
      picker.value = id; showRoute(id); return;
    }
    var n = cy.getElementById(id);
    if (n.length && n.isNode()) {
      concepts.value = id;
      cy.fit(linksOf(n), 30);
      if (narrow() && cy.zoom() < 1) { cy.zoom(1); cy.center(n); }
    }
  }
  // On a narrow screen the legend starts folded, so that the map shows on the first screen.
  var legend = document.getElementById("map-legend");
  if (legend && narrow()) { legend.open = false; }
  fit();
  fromHash();
  window.addEventListener("hashchange", fromHash);
})();

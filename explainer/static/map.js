/* The interactive concept map: draws window.EXPLAINER_MAP with Cytoscape.js. */
(function () {
  "use strict";
  var data = window.EXPLAINER_MAP;
  var tip = document.getElementById("map-tip");
  var elements = [];
  data.nodes.forEach(function (n) {
    elements.push({group: "nodes", data: n, position: {x: n.x, y: n.y}});
  });
  data.edges.forEach(function (e) {
    elements.push({group: "edges", data: e, classes: e.side ? "side" : (e.weights.length ? "routed" : "")});
  });
  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements,
    layout: {name: "preset"},
    minZoom: 0.2,
    maxZoom: 4,
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
      {selector: ".faded", style: {"opacity": 0.12}},
      {selector: "edge.on", style: {"width": 3.5, "opacity": 1, "z-index": 10}},
      {selector: "node.on", style: {"border-width": 2, "border-color": "#000"}},
      {selector: ".hidden", style: {"display": "none"}},
      {selector: "edge.hover", style: {"width": 4, "opacity": 1, "z-index": 20}}
    ]
  });
  window.explainerMap = cy;

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }
  function describe(edge) {
    var s = edge.source().data("label"), t = edge.target().data("label");
    return edge.data("propositions").map(function (p) {
      return "<p><strong>" + esc(s) + "</strong> <em>" + esc(p.link) + "</em> <strong>" +
        esc(t) + "</strong>" + (p.condition ? " (" + esc(p.condition) + ")" : "") + "</p>" +
        "<blockquote>\u201c" + esc(p.quote) + "\u201d</blockquote>" +
        "<p class=\"meta\">section " + esc(p.section) + " \u00b7 claim " + esc(p.claim) +
        " \u00b7 basis: <span class=\"basis\">" + esc(p.basis) + "</span>" +
        (p.basis_note ? " (" + esc(p.basis_note) + ")" : "") + "</p>";
    }).join("");
  }
  cy.on("mouseover", "edge", function (evt) {
    evt.target.addClass("hover");
    tip.innerHTML = describe(evt.target);
    tip.classList.add("shown");
  });
  cy.on("mouseout", "edge", function (evt) {
    evt.target.removeClass("hover");
  });
  function clear() {
    cy.elements().removeClass("faded on hidden");
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
  function throughNode(n) {
    var on = highlight(n.data("through"), n.id());
    tip.innerHTML = "<p><strong>" + esc(n.data("label")) + "</strong>: " +
      esc(n.data("description")) + "</p><p class=\"meta\">" +
      on.edges().length + " links on routes through it are highlighted.</p>";
    tip.classList.add("shown");
  }
  cy.on("tap", "node", function (evt) { throughNode(evt.target); });
  var concepts = document.getElementById("concept-picker");
  concepts.addEventListener("change", function () {
    if (concepts.value) { throughNode(cy.getElementById(concepts.value)); } else { clear(); }
  });
  var picker = document.getElementById("route-picker");
  picker.addEventListener("change", function () {
    clear();
    var route = data.routes.filter(function (r) { return r.id === picker.value; })[0];
    if (!route) { cy.fit(undefined, 20); return; }
    var on = highlight(route.edges);
    cy.elements().not(on).addClass("hidden");
    cy.fit(on, 40);
  });
  document.getElementById("map-fit").addEventListener("click", function () { cy.fit(undefined, 20); });
  document.getElementById("map-clear").addEventListener("click", function () {
    picker.value = ""; concepts.value = ""; clear(); cy.fit(undefined, 20);
  });
  cy.fit(undefined, 20);
})();

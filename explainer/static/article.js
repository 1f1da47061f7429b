/* The annotated article: show a claim's details when it is clicked or activated from the keyboard. */
(function () {
  "use strict";
  var claims = window.EXPLAINER_ARTICLE;
  var panel = document.getElementById("claim-panel");
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }
  function row(term, value) { return "<dt>" + esc(term) + "</dt><dd>" + value + "</dd>"; }
  function show(span) {
    var id = span.getAttribute("data-claim"), c = claims[id];
    document.querySelectorAll(".claim.selected").forEach(function (s) { s.classList.remove("selected"); });
    span.classList.add("selected");
    var links = c.links.length ? "<ul>" + c.links.map(function (l) {
      return "<li>" + esc(l.source) + " <em>" + esc(l.link) + "</em> " + esc(l.target) +
        " (basis: " + esc(l.basis) + (l.condition ? "; if " + esc(l.condition) : "") + ")</li>";
    }).join("") + "</ul>" : "none";
    var evidence = c.evidence.length ? "<ul>" + c.evidence.map(function (e) {
      return "<li>" + esc(e.reference) + ", <cite>" + esc(e.title) + "</cite>: " + esc(e.bearing) +
        ". " + esc(e.finding) + "</li>";
    }).join("") + "</ul>" : "none set beside it";
    panel.innerHTML = "<h2>Claim " + esc(id) + "</h2><dl>" +
      row("Statement", esc(c.statement)) + row("Type", esc(c.type)) + row("Hedge", esc(c.hedge)) +
      row("Section", esc(c.section)) + row("Citation", esc(c.citation)) +
      row("Verdict", '<span class="verdict">' + esc(c.verdict || "none") + "</span>" +
        (c.certainty ? " (certainty: " + esc(c.certainty) + ")" : "")) +
      row("Concept-map links", links) + row("Evidence", evidence) + "</dl>";
  }
  document.querySelectorAll(".claim").forEach(function (span) {
    span.addEventListener("click", function () { show(span); });
    span.addEventListener("keydown", function (evt) {
      if (evt.key === "Enter" || evt.key === " ") { evt.preventDefault(); show(span); }
    });
  });
})();

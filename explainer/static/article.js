/* The annotated article: show a claim's details when it is clicked, tapped, activated from the
   keyboard or named in the address (article.html#c029). On a narrow screen the panel opens as a
   sheet at the bottom of the screen, over the text the reader tapped. */
(function () {
  "use strict";
  var claims = window.EXPLAINER_ARTICLE;
  var bibliography = window.EXPLAINER_BIBLIOGRAPHY;  // the site's bibliography page, if any
  var panel = document.getElementById("claim-panel");
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function row(term, value) { return "<dt>" + esc(term) + "</dt><dd>" + value + "</dd>"; }
  function source(e) {
    var name = esc(e.reference);
    if (bibliography) {
      name = "<a href=\"" + esc(bibliography) + "#ref-" + encodeURIComponent(e.ref) + "\">" + name + "</a>";
    }
    var doi = e.doi ? " <a href=\"https://doi.org/" + esc(encodeURI(e.doi)) + "\">doi:" + esc(e.doi) + "</a>" : "";
    return name + ", <cite>" + esc(e.title) + "</cite>" + doi;
  }
  function narrow() { return window.matchMedia("(max-width: 800px)").matches; }
  function show(span, fromAddress) {
    var id = span.getAttribute("data-claim"), c = claims[id];
    document.querySelectorAll(".claim.selected").forEach(function (s) { s.classList.remove("selected"); });
    span.classList.add("selected");
    var links = c.links.length ? "<ul>" + c.links.map(function (l) {
      return "<li>" + esc(l.source) + " <em>" + esc(l.link) + "</em> " + esc(l.target) +
        " (basis: " + esc(l.basis) + (l.condition ? "; if " + esc(l.condition) : "") + ")</li>";
    }).join("") + "</ul>" : "none";
    var evidence = c.evidence.length ? "<ul>" + c.evidence.map(function (e) {
      return "<li>" + source(e) + ": " + esc(e.bearing) + ". " + esc(e.finding) + "</li>";
    }).join("") + "</ul>" : "none set beside it";
    panel.innerHTML = "<button type=\"button\" class=\"claim-panel-close\" aria-label=\"Close the claim\">" +
      "\u00d7</button><h2>Claim " + esc(id) + "</h2><dl>" +
      row("Statement", esc(c.statement)) + row("Type", esc(c.type)) + row("Hedge", esc(c.hedge)) +
      row("Section", esc(c.section)) + row("Citation", esc(c.citation)) +
      row("Verdict", '<span class="verdict">' + esc(c.verdict || "none") + "</span>" +
        (c.certainty ? " (certainty: " + esc(c.certainty) + ")" : "")) +
      row("Concept-map links", links) + row("Evidence", evidence) + "</dl>";
    panel.classList.add("open");
    panel.scrollTop = 0;
    panel.querySelector(".claim-panel-close").addEventListener("click", function () {
      panel.classList.remove("open");
      span.focus();
    });
    if (fromAddress || narrow()) {
      // the claim in the middle of what the reader sees (above the sheet on a phone)
      span.scrollIntoView({block: narrow() ? "start" : "center"});
      if (narrow()) { window.scrollBy(0, -80); }
    }
    if (!fromAddress && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + encodeURIComponent(id));
    }
  }
  document.querySelectorAll(".claim").forEach(function (span) {
    span.addEventListener("click", function () { show(span, false); });
    span.addEventListener("keydown", function (evt) {
      if (evt.key === "Enter" || evt.key === " ") { evt.preventDefault(); show(span, false); }
    });
  });
  function fromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || !Object.prototype.hasOwnProperty.call(claims, id)) { return; }
    var span = document.querySelector(".claim[data-claim=\"" + CSS.escape(id) + "\"]");
    if (span) { show(span, true); }
  }
  fromHash();
  window.addEventListener("hashchange", fromHash);
})();

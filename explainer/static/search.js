/* The site's search box: MiniSearch over window.EXPLAINER_SEARCH (claims, concepts, sections,
   hormones, references). The library and the index load when the reader first uses the box,
   so a page that is only read does not carry them. */
(function () {
  "use strict";
  var input = document.getElementById("explainer-search");
  var list = document.getElementById("explainer-search-results");
  if (!input || !list) { return; }
  // The search runs as the reader types: Enter submits nothing.
  if (input.form) {
    input.form.addEventListener("submit", function (evt) { evt.preventDefault(); });
  }
  var base = (document.currentScript && document.currentScript.src || "").replace(/search\.js(\?.*)?$/, "");
  var index = null, byId = {}, loading = false;
  function load(src, then) {
    var script = document.createElement("script");
    script.src = base + src;
    script.onload = then;
    document.head.appendChild(script);
  }
  function ready() {
    if (index || !window.MiniSearch || !window.EXPLAINER_SEARCH) { return; }
    window.EXPLAINER_SEARCH.forEach(function (d) { byId[d.id] = d; });
    index = new MiniSearch({fields: ["title", "text"], storeFields: ["id"],
      searchOptions: {prefix: true, fuzzy: 0.2, boost: {title: 2}}});
    index.addAll(window.EXPLAINER_SEARCH);
    render();
  }
  function start() {
    if (loading) { return; }
    loading = true;
    load("minisearch.js", function () { load("search-index.js", ready); });
  }
  function render() {
    if (!index) { start(); return; }
    var q = input.value.trim();
    list.innerHTML = "";
    if (q.length < 2) { list.hidden = true; return; }
    var found = index.search(q).slice(0, 12);
    list.hidden = false;
    if (!found.length) {
      var none = document.createElement("li");
      none.textContent = "Nothing found for \u201c" + q + "\u201d.";
      list.appendChild(none);
      return;
    }
    found.forEach(function (r) {
      var d = byId[r.id], li = document.createElement("li"), a = document.createElement("a");
      a.href = d.href;
      a.textContent = d.title;
      var kind = document.createElement("span");
      kind.className = "explainer-search-kind";
      kind.textContent = d.kind + ": ";
      li.appendChild(kind);
      li.appendChild(a);
      list.appendChild(li);
    });
  }
  input.addEventListener("focus", start);
  input.addEventListener("input", render);
  input.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape") { input.value = ""; render(); }
  });
})();
/* On a narrow screen, the list of pages folds behind the "All pages" button. */
(function () {
  "use strict";
  var nav = document.querySelector(".explainer-nav");
  var toggle = nav && nav.querySelector(".explainer-nav-toggle");
  if (!toggle) { return; }
  nav.classList.add("explainer-nav-compact");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = nav.classList.toggle("explainer-nav-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
/* A notebook page's contents: open beside the page on a wide screen, folded on a narrow one. */
(function () {
  "use strict";
  function open() {
    var toc = document.querySelector(".explainer-toc");
    if (toc && window.matchMedia("(min-width: 1200px)").matches) { toc.open = true; }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", open);
  } else {
    open();
  }
})();

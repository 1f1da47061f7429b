/* The site's search box: MiniSearch over window.EXPLAINER_SEARCH (claims, concepts, sections,
   hormones, references), built in the browser from a small index the site ships. */
(function () {
  "use strict";
  var input = document.getElementById("explainer-search");
  var list = document.getElementById("explainer-search-results");
  // The search runs as the reader types: Enter submits nothing.
  if (input && input.form) {
    input.form.addEventListener("submit", function (evt) { evt.preventDefault(); });
  }
  if (!input || !window.MiniSearch || !window.EXPLAINER_SEARCH) { return; }
  var docs = window.EXPLAINER_SEARCH;
  var byId = {};
  docs.forEach(function (d) { byId[d.id] = d; });
  var index = new MiniSearch({fields: ["title", "text"], storeFields: ["id"],
    searchOptions: {prefix: true, fuzzy: 0.2, boost: {title: 2}}});
  index.addAll(docs);
  function render() {
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
  var toc = document.querySelector(".explainer-toc");
  if (toc && window.matchMedia("(min-width: 1200px)").matches) { toc.open = true; }
})();

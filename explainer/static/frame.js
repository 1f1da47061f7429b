/* Inside a notebook's frame: tell the notebook this page's height, so the frame fits it. */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  document.documentElement.classList.add("explainer-in-frame");
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (Math.abs(height - last) > 1) {
      last = height;
      window.parent.postMessage({explainerHeight: height}, "*");
    }
  }
  if (window.ResizeObserver) { new ResizeObserver(report).observe(document.body); }
  window.addEventListener("load", report);
  report();
})();

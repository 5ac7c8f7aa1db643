/* Inside the embed iframe: tell the host page (embed.js) how tall the content is. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ porch: "height", height: height }, "*");
  }
  report();
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  window.addEventListener("resize", report);
  if (location.hash) {
    var target = document.getElementById(location.hash.slice(1));
    if (target) window.parent.postMessage({ porch: "scroll", top: target.getBoundingClientRect().top }, "*");
  }
})();

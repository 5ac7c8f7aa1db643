/* Porch embed: the only script a host page loads. Finds #porch-thread and [data-porch-count]. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script ? script.src : "/embed.js", location.href).origin;

  function pageUrl(el) {
    return el.getAttribute("data-porch-url") || location.href.split("#")[0];
  }

  function theme(el) {
    var wanted = el.getAttribute("data-porch-theme");
    if (wanted === "light" || wanted === "dark") return wanted;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function mountThread(el) {
    var query = new URLSearchParams({
      url: pageUrl(el),
      title: el.getAttribute("data-porch-title") || document.title,
      theme: theme(el)
    });
    var frame = document.createElement("iframe");
    frame.src = base + "/embed/thread?" + query.toString();
    frame.title = el.getAttribute("data-porch-frame-title") || "Comments";  // the host's language
    frame.setAttribute("loading", "lazy");
    frame.style.cssText = "width:100%;border:0;display:block;height:300px;color-scheme:normal";
    window.addEventListener("message", function (event) {
      if (event.origin !== base || event.source !== frame.contentWindow) return;
      var data = event.data || {};
      if (data.porch === "height" && typeof data.height === "number") {
        frame.style.height = Math.max(100, Math.min(data.height, 100000)) + "px";
      } else if (data.porch === "scroll" && typeof data.top === "number") {
        window.scrollTo({ top: frame.getBoundingClientRect().top + window.scrollY + data.top - 20 });
      }
    });
    el.replaceChildren(frame);
  }

  function fillCounts(spans) {
    if (!spans.length) return;
    var query = new URLSearchParams();
    spans.forEach(function (span) { query.append("url", span.getAttribute("data-porch-count")); });
    fetch(base + "/embed/counts?" + query.toString(), { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : { labels: {} }; })
      .then(function (data) {
        spans.forEach(function (span) {
          var label = (data.labels || {})[span.getAttribute("data-porch-count")];
          if (typeof label === "string") span.textContent = label;  // worded by the server
        });
      })
      .catch(function () { /* the host page keeps its own text */ });
  }

  function start() {
    var thread = document.getElementById("porch-thread");
    if (thread) mountThread(thread);
    fillCounts(Array.prototype.slice.call(document.querySelectorAll("[data-porch-count]")));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

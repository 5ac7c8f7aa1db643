/* Inside the embed iframe: tell the host page (embed.js) how tall the content is, and sign in
   through a first-party popup (see forum/web/embed/session.py for the whole design).
   Words shown to people come from data-* attributes the server translated. */
(function () {
  "use strict";

  // ---- Height and scrolling, for the host page -----------------------------------------------
  if (window.parent !== window) {
    var last = 0;
    var report = function () {
      var height = Math.ceil(document.body.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      window.parent.postMessage({ porch: "height", height: height }, "*");
    };
    report();
    if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
    window.addEventListener("load", report);
    window.addEventListener("resize", report);
    if (location.hash) {
      var target = document.getElementById(location.hash.slice(1));
      if (target) window.parent.postMessage({ porch: "scroll", top: target.getBoundingClientRect().top }, "*");
    }
  }

  // A refused reply comes back as a new page: put the cursor in the first field to correct, so
  // its error is read out and typing goes there (the host page scrolls to it, as for a hash).
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus({ preventScroll: true });
    if (window.parent !== window) {
      window.parent.postMessage({ porch: "scroll", top: invalid.getBoundingClientRect().top }, "*");
    }
  }

  // ---- Sign in: a popup on Porch's own site hands this frame a code for its nonce ------------
  var pendingNonce = null;
  var status = document.querySelector("[data-porch-status]");

  function say(key) {
    if (!status || !status.dataset[key]) return;
    status.textContent = status.dataset[key];
    status.hidden = false;
  }

  function newNonce() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-porch-signin]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var nonce = newNonce();
    var url = new URL(link.href);
    url.searchParams.set("nonce", nonce);
    var popup = window.open(url.toString(), "porch-signin", "popup,width=520,height=720");
    if (!popup) return;  // blocked: the link opens a tab instead, and its page says what to do
    event.preventDefault();
    pendingNonce = nonce;
    say("signingIn");
  });

  // Only a window of Porch's own origin can send this (the popup posts with that targetOrigin).
  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (event.origin !== location.origin || data.porch !== "signed-in") return;
    if (!pendingNonce || data.nonce !== pendingNonce) return;
    pendingNonce = null;
    var body = new FormData();
    body.set("code", String(data.code || ""));
    body.set("nonce", String(data.nonce));
    fetch("/embed/session", {
      method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { say("failed"); return; }
      var home = document.querySelector("[data-porch-home]");
      var next = new URL(home ? home.dataset.porchHome : location.href, location.href);
      next.searchParams.set("notice", "signed-in");
      location.replace(next.toString());
    }).catch(function () { say("failed"); });
  });
})();

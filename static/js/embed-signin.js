/* The first-party sign-in window the widget opened: give the frame that opened it (Porch's own
   origin only, never the host page) its handoff code, then close. */
(function () {
  "use strict";
  var handoff = document.querySelector("[data-porch-handoff]");
  if (!handoff || !window.opener) return;
  window.opener.postMessage(
    { porch: "signed-in", code: handoff.dataset.porchHandoff, nonce: handoff.dataset.porchNonce },
    location.origin
  );
  window.close();
})();

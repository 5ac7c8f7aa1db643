// The desk's editor: "Preview" shows the rendered post in place instead of reloading the page.
// Without this script the same button posts the form and the server renders the preview.
(function () {
  "use strict";

  function showPreview(form, html) {
    var section = form.querySelector("[data-desk-preview]");
    var body = form.querySelector("[data-desk-preview-body]");
    if (!section || !body) return false;
    body.innerHTML = html; // sanitised on the server by the article allow-list
    section.hidden = false;
    section.scrollIntoView({ block: "nearest" });
    return true;
  }

  function onPreview(event) {
    var button = event.currentTarget;
    var form = button.form;
    var url = form && form.getAttribute("data-preview-url");
    if (!url || !window.fetch || !window.FormData) return; // plain submit instead
    event.preventDefault();
    button.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) throw new Error("preview failed");
        return response.json();
      })
      .then(function (data) {
        if (!showPreview(form, data.preview_html)) form.requestSubmit(button);
      })
      .catch(function () {
        form.requestSubmit(button); // let the server show the preview, or the error
      })
      .finally(function () {
        button.removeAttribute("aria-busy");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-desk-editor] [data-desk-preview-button]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", onPreview);
    });
  });
})();

// Porch progressive enhancement. Every form and link here already works without JavaScript;
// this file makes them smoother: inline reply forms, likes without reloads, "load more",
// collapsing a branch from its guide line, and previews in place.
(function () {
  "use strict";

  const JSON_HEADERS = { Accept: "application/json" };

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  async function postForm(form, extra) {
    const data = new FormData(form);
    if (extra) Object.entries(extra).forEach(([key, value]) => data.set(key, value));
    if (!data.get("csrf_token")) data.set("csrf_token", csrfToken());
    const response = await fetch(form.action, {
      method: "POST", body: data, headers: JSON_HEADERS, credentials: "same-origin",
    });
    let body = {};
    try { body = await response.json(); } catch (ignored) { body = {}; }
    return { ok: response.ok, status: response.status, body: body };
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  // ---- Likes -------------------------------------------------------------------------------
  async function toggleLike(form) {
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const result = await postForm(form);
      if (!result.ok) { form.submit(); return; }  // let the server explain, as without JS
      const liked = result.body.liked;
      form.querySelector('input[name="liked"]').value = liked ? "0" : "1";
      button.setAttribute("aria-pressed", liked ? "true" : "false");
      button.firstChild.textContent = liked ? "Unlike" : "Like";
      const count = form.parentElement.querySelector("[data-like-count]");
      if (count) count.textContent = result.body.label;
    } finally {
      button.disabled = false;
    }
  }

  // ---- Reply form: inline under a reply -----------------------------------------------------
  const mainForm = () => document.querySelector("[data-reply-form-section]");
  let formHome = null;  // where the main form lives, so "Cancel" can put it back

  function moveFormUnder(replyItem, parentId, name) {
    const section = mainForm();
    if (!section) return false;
    if (!formHome) {
      formHome = document.createElement("div");
      formHome.hidden = true;
      section.before(formHome);
    }
    replyItem.querySelector("[data-form-slot]").append(section);
    section.querySelector("[data-parent-id]").value = parentId;
    section.querySelector("[data-reply-heading]").textContent = "Reply to " + name;
    section.querySelector("[data-cancel-wrap]").hidden = false;
    section.querySelector("textarea").focus();
    return true;
  }

  function restoreForm() {
    const section = mainForm();
    if (!section || !formHome) return;
    formHome.after(section);
    section.querySelector("[data-parent-id]").value = "";
    section.querySelector("[data-reply-heading]").textContent = "Leave a reply";
    section.querySelector("[data-cancel-wrap]").hidden = true;
  }

  function showErrors(form, errors, summary) {
    form.querySelectorAll(".field-errors.js-added, .form-errors.js-added").forEach((el) => el.remove());
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    let firstInvalid = null;
    Object.entries(errors || {}).forEach(([name, messages]) => {
      const field = form.querySelector('[name="' + name + '"]');
      const list = document.createElement("ul");
      list.className = "field-errors js-added";
      list.id = (field ? field.id : name) + "-errors";
      messages.forEach((message) => {
        const item = document.createElement("li");
        item.textContent = message;
        list.append(item);
      });
      if (field && field.type !== "hidden") {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", list.id);
        field.after(list);
        firstInvalid = firstInvalid || field;
      } else {
        list.className = "form-errors js-added";
        list.setAttribute("role", "alert");
        form.prepend(list);
      }
    });
    if (!errors && summary) {
      const box = document.createElement("div");
      box.className = "form-errors js-added";
      box.setAttribute("role", "alert");
      box.textContent = summary;
      form.prepend(box);
    }
    if (firstInvalid) firstInvalid.focus();
  }

  function insertReply(html, parentId) {
    const nodes = fragment(html);
    const list = parentId
      ? document.querySelector('#c' + parentId + ' > details > ol, #c' + parentId + ' > ol')
      : document.querySelector("[data-top-replies]");
    if (!list) return null;
    list.hidden = false;
    const item = nodes.firstElementChild;
    list.append(nodes);
    return item;
  }

  async function submitReply(form, submitter) {
    const preview = submitter && submitter.hasAttribute("data-preview-button");
    const result = await postForm(form, preview ? { preview: "Preview" } : null);
    if (result.status === 400 || result.status === 429 || result.status === 403) {
      showErrors(form, result.body.errors, result.body.error);
      return;
    }
    if (!result.ok) { form.submit(); return; }
    if (preview) {
      const box = form.querySelector("[data-preview]");
      box.innerHTML = result.body.preview_html;  // sanitised by the server, as on the page
      box.hidden = false;
      return;
    }
    showErrors(form, {}, null);
    const parentId = form.querySelector("[data-parent-id]").value;
    const item = insertReply(result.body.html, parentId);
    form.querySelector("textarea").value = "";
    form.querySelector("[data-preview]").hidden = true;
    restoreForm();
    if (item) {
      item.scrollIntoView({ block: "center" });
      item.classList.add("reply--new");
      item.querySelector(".reply__card").setAttribute("tabindex", "-1");
      item.querySelector(".reply__card").focus();
      history.replaceState(null, "", "#c" + result.body.id);
    } else {
      window.location.assign(result.body.url);
    }
  }

  // ---- Load more top-level replies ---------------------------------------------------------
  async function loadMore(link) {
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("fragment", "1");
    link.setAttribute("aria-busy", "true");
    const response = await fetch(url, { headers: JSON_HEADERS, credentials: "same-origin" });
    if (!response.ok) { window.location.assign(link.href); return; }
    const body = await response.json();
    const list = document.querySelector("[data-top-replies]");
    const first = fragment(body.html).firstElementChild;
    list.append(fragment(body.html));
    if (body.next_url) {
      link.href = body.next_url;
      link.removeAttribute("aria-busy");
    } else {
      link.parentElement.remove();
    }
    if (first) {
      const target = list.querySelector("#" + first.id + " .reply__card");
      if (target) { target.setAttribute("tabindex", "-1"); target.focus(); }
    }
  }

  // ---- Wiring --------------------------------------------------------------------------------
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("[data-like]")) {
      event.preventDefault();
      toggleLike(form);
    } else if (form.matches("[data-reply-form]")) {
      event.preventDefault();
      submitReply(form, event.submitter);
    }
  });

  document.addEventListener("click", (event) => {
    const replyLink = event.target.closest("[data-reply-to]");
    if (replyLink && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      const item = replyLink.closest("li.reply");
      if (moveFormUnder(item, replyLink.dataset.replyTo, replyLink.dataset.replyName)) {
        event.preventDefault();
      }
      return;
    }
    if (event.target.closest("[data-cancel-reply]")) {
      restoreForm();
      return;
    }
    const more = event.target.closest("[data-load-more]");
    if (more) {
      event.preventDefault();
      loadMore(more);
      return;
    }
    // Clicking the thread guide line (the left edge of a branch) collapses that branch.
    const branch = event.target.closest("details.branch");
    if (branch && event.target === branch && branch.open) {
      branch.open = false;
      branch.querySelector("summary").focus();
    }
  });
})();

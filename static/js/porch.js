// Porch progressive enhancement. Every form and link here already works without JavaScript;
// this file makes them smoother: inline reply forms, likes without reloads, "load more",
// collapsing a branch from its guide line, previews in place, and reporting a reply inline.
(function () {
  "use strict";

  // static/js/i18n.js, loaded first; English as it stands if a page leaves it out.
  const { _, ngettext } = window.PorchI18n || {
    _: (text, values) => text.replace(/%\((\w+)\)s/g, (whole, key) => (values || {})[key] ?? whole),
    ngettext: (one, many, n) => (n === 1 ? one : many).replace("%(num)s", String(n)),
  };
  const JSON_HEADERS = { Accept: "application/json" };

  // Cached pages carry no token (the server checks Origin for their forms); fetch this
  // browser's own from /session/csrf the first time a form is sent, for every other check.
  let tokenRequest = null;
  async function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (!meta || meta.content || !meta.dataset.url) return meta ? meta.content : "";
    tokenRequest = tokenRequest || fetch(meta.dataset.url, { headers: JSON_HEADERS, credentials: "same-origin" })
      .then((response) => response.json())
      .then((body) => { meta.content = body.csrf_token || ""; })
      .catch(() => { tokenRequest = null; });
    await tokenRequest;
    return meta.content;
  }

  async function postForm(form, extra) {
    const data = new FormData(form);
    if (extra) Object.entries(extra).forEach(([key, value]) => data.set(key, value));
    if (!data.get("csrf_token")) data.set("csrf_token", await csrfToken());
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
      button.firstChild.textContent = liked ? _("Unlike") : _("Like");
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
    section.querySelector("[data-reply-heading]").textContent = _("Reply to %(name)s", { name: name });
    section.querySelector("[data-cancel-wrap]").hidden = false;
    section.querySelector("textarea").focus();
    return true;
  }

  function restoreForm() {
    const section = mainForm();
    if (!section || !formHome) return;
    formHome.after(section);
    section.querySelector("[data-parent-id]").value = "";
    section.querySelector("[data-reply-heading]").textContent = _("Leave a reply");
    section.querySelector("[data-cancel-wrap]").hidden = true;
  }

  // The field's own description (e.g. formatting help), kept when errors come and go.
  function baseDescription(field) {
    if (field.dataset.describedBy === undefined) {
      const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/);
      field.dataset.describedBy = ids.filter((id) => id && !id.endsWith("-errors")).join(" ");
    }
    return field.dataset.describedBy;
  }

  function clearErrors(form) {
    form.querySelectorAll(".field-errors, .form-errors").forEach((el) => el.remove());
    form.querySelectorAll("[aria-invalid]").forEach((field) => {
      field.removeAttribute("aria-invalid");
      const base = baseDescription(field);
      if (base) field.setAttribute("aria-describedby", base);
      else field.removeAttribute("aria-describedby");
    });
  }

  function showErrors(form, errors, summary) {
    clearErrors(form);
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
        field.setAttribute("aria-describedby", (list.id + " " + baseDescription(field)).trim());
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

  // Put `item` into `list` in path order: the order the server shows replies in.
  function insertByPath(list, item) {
    const later = Array.from(list.children).find((other) => other.dataset.path > item.dataset.path);
    list.insertBefore(item, later || null);
  }

  function insertChild(item, parent) {
    if (Number(item.dataset.depth) <= Number(parent.dataset.depth)) {
      insertByPath(parent.parentElement, item);  // past the depth cap: shown beside its parent
      return;
    }
    const branch = parent.querySelector(":scope > details.branch");
    if (branch) branch.open = true;
    const list = parent.querySelector(":scope > details > ol, :scope > ol");
    list.hidden = false;
    list.append(item);  // the newest reply under this parent always comes last
  }

  // Returns the inserted element, or null when the reply belongs on a page not shown here.
  function insertReply(body, parentId) {
    const existing = document.getElementById("c" + body.id);
    if (existing) return existing;
    const item = fragment(body.html).firstElementChild;
    const top = document.querySelector("[data-top-replies]");
    if (!top) return null;  // the stand-alone reply page: the thread is on another page
    const parent = parentId ? document.getElementById("c" + parentId) : null;
    if (parent) {
      insertChild(item, parent);
    } else if (top.dataset.sort === "newest") {
      if (top.dataset.firstPage !== "1") return null;
      top.prepend(item);
    } else {
      if (document.querySelector("[data-load-more]")) return null;  // later pages not loaded
      top.append(item);
    }
    const empty = document.querySelector("[data-no-replies]");
    if (empty) empty.remove();
    const count = document.querySelector("[data-reply-count]");
    if (count) count.textContent = ngettext("%(num)s reply", "%(num)s replies", body.reply_count);
    return item;
  }

  // One post at a time: the buttons stay disabled until the answer is in (or the page leaves).
  async function submitReply(form, submitter) {
    const buttons = form.querySelectorAll('button[type="submit"], input[type="submit"]');
    if (form.hasAttribute("aria-busy")) return;
    form.setAttribute("aria-busy", "true");
    buttons.forEach((button) => { button.disabled = true; });
    let leaving = false;
    try {
      leaving = await sendReply(form, submitter);
    } finally {
      if (!leaving) {
        form.removeAttribute("aria-busy");
        buttons.forEach((button) => { button.disabled = false; });
      }
    }
  }

  // Returns true when the browser is on its way to another page.
  async function sendReply(form, submitter) {
    const preview = submitter && submitter.hasAttribute("data-preview-button");
    const result = await postForm(form, preview ? { preview: "Preview" } : null);
    if (result.status === 400 || result.status === 429 || result.status === 403) {
      showErrors(form, result.body.errors, result.body.error);
      return false;
    }
    if (!result.ok) { form.submit(); return true; }
    if (preview) {
      const box = form.querySelector("[data-preview]");
      box.innerHTML = result.body.preview_html;  // sanitised by the server, as on the page
      box.hidden = false;
      return false;
    }
    return showPosted(form, result.body);
  }

  function showPosted(form, body) {
    clearErrors(form);
    const parentId = form.querySelector("[data-parent-id]").value;
    const item = insertReply(body, parentId);
    form.querySelector("textarea").value = "";
    form.querySelector("[data-preview]").hidden = true;
    restoreForm();
    if (!item) {  // shown on another page (or this is the reply page): go there, as without JS
      const target = new URL(body.url, window.location.href);
      const here = window.location;
      window.location.assign(target);
      if (target.pathname + target.search === here.pathname + here.search) here.reload();
      return true;
    }
    item.scrollIntoView({ block: "center" });
    item.classList.add("reply--new");
    item.querySelector(".reply__card").setAttribute("tabindex", "-1");
    item.querySelector(".reply__card").focus();
    history.replaceState(null, "", "#c" + body.id);
    return false;
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
    const items = Array.from(fragment(body.html).children)
      .filter((item) => !document.getElementById(item.id));  // e.g. a reply posted meanwhile
    const first = items[0];
    list.append(...items);
    list.dataset.lastPage = url.searchParams.get("page") || list.dataset.lastPage;
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

  // ---- Report a reply: a small inline form instead of the report page ----------------------
  const reportReasonList = () => [
    ["spam", _("Spam")],
    ["abuse", _("Abuse or harassment")],
    ["harmful", _("Harmful advice")],
    ["other", _("Something else")],
  ];
  const reportThanks = () => _("Thanks — a moderator will look at it.");

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text) node.textContent = text;
    return node;
  }

  function reportReasons(prefix) {
    const fieldset = element("fieldset", { class: "report-form__reasons" });
    fieldset.append(element("legend", {}, _("Why are you reporting this reply?")));
    reportReasonList().forEach(([value, label]) => {
      const row = element("div", { class: "field--check" });
      const id = prefix + "-" + value;
      row.append(element("input", { type: "radio", name: "reason", value: value, id: id }));
      row.append(element("label", { for: id }, label));
      fieldset.append(row);
    });
    return fieldset;
  }

  function buildReportForm(link) {
    const prefix = "report-" + link.dataset.report;
    const form = element("form", {
      class: "report-inline", method: "post", action: link.href,
      novalidate: "", "data-report-form": "",
    });
    form.append(reportReasons(prefix));
    const note = element("div", { class: "field" });
    const noteId = prefix + "-note";
    const noteLabel = _("Anything the moderators should know? (optional)");
    note.append(element("label", { for: noteId }, noteLabel));
    note.append(element("textarea", { name: "note", id: noteId, rows: "2", maxlength: "500", dir: "auto" }));
    form.append(note);
    const buttons = element("div", { class: "reply-form__buttons" });
    const send = { type: "submit", class: "button button--primary" };
    const cancel = { type: "button", class: "button", "data-cancel-report": "" };
    buttons.append(element("button", send, _("Send report")));
    buttons.append(element("button", cancel, _("Cancel")));
    form.append(buttons);
    return form;
  }

  function openReport(link) {
    const card = link.closest(".reply__card");
    let form = card.querySelector("[data-report-form]");
    if (!form) {
      form = buildReportForm(link);
      card.append(form);
    }
    form.querySelector('input[name="reason"]').focus();
  }

  function closeReport(form) {
    const link = form.closest(".reply__card").querySelector("[data-report]");
    form.remove();
    if (link) link.focus();
  }

  async function submitReport(form) {
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const result = await postForm(form);
      if (result.ok) {
        const card = form.closest(".reply__card");
        const status = { class: "report-thanks", role: "status", tabindex: "-1" };
        const thanks = element("p", status, reportThanks());
        form.replaceWith(thanks);
        const link = card.querySelector("[data-report]");
        if (link) link.remove();
        thanks.focus();
      } else if (result.body.error) {
        const messages = Object.values(result.body.errors || {}).flat();
        showErrors(form, null, messages.length ? messages.join(" ") : result.body.error);
      } else {
        window.location.assign(form.action);  // the report page explains, as without JS
      }
    } finally {
      button.disabled = false;
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
    } else if (form.matches("[data-report-form]")) {
      event.preventDefault();
      submitReport(form);
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
    const reportLink = event.target.closest("[data-report]");
    if (reportLink && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      openReport(reportLink);
      return;
    }
    const cancelReport = event.target.closest("[data-cancel-report]");
    if (cancelReport) {
      closeReport(cancelReport.closest("[data-report-form]"));
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

  // ---- Edit your own reply in place (the edit page works without this) ---------------------
  function buildEditForm(link, text) {
    const id = "edit-" + link.dataset.edit;
    const form = element("form", {
      class: "edit-inline", method: "post", action: link.href, novalidate: "", "data-edit-form": "",
    });
    const field = element("div", { class: "field" });
    field.append(element("label", { for: id }, _("Edit your reply")));
    const box = element("textarea", { name: "body", id: id, rows: "5", dir: "auto" });
    box.value = text;
    field.append(box);
    form.append(field);
    const buttons = element("div", { class: "reply-form__buttons" });
    buttons.append(element("button", { type: "submit", class: "button button--primary" }, _("Save")));
    buttons.append(element("button", { type: "button", class: "button", "data-edit-cancel": "" },
      _("Cancel")));
    form.append(buttons);
    return form;
  }

  async function openEdit(link) {
    const card = link.closest(".reply__card");
    if (card.querySelector("[data-edit-form]")) return;
    const response = await fetch(link.href, { headers: JSON_HEADERS, credentials: "same-origin" });
    if (!response.ok) { window.location.assign(link.href); return; }  // the page says why
    const form = buildEditForm(link, (await response.json()).body);
    const body = card.querySelector(".reply__body");
    body.hidden = true;
    body.after(form);
    form.querySelector("textarea").focus();
  }

  function closeEdit(form) {
    const card = form.closest(".reply__card");
    form.remove();
    card.querySelector(".reply__body").hidden = false;
    const link = card.querySelector("[data-edit]");
    if (link) link.focus();
  }

  async function submitEdit(form) {
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const result = await postForm(form);
      if (!result.ok) {
        if (result.body.error) showErrors(form, result.body.errors, result.body.error);
        else form.submit();  // let the server's page explain
        return;
      }
      const item = form.closest("li.reply");
      const fresh = fragment(result.body.html).firstElementChild;
      const card = fresh.querySelector(".reply__card");
      const number = item.querySelector(".reply__card .reply__number");
      card.querySelector(".reply__number").textContent = number.textContent;  // keep its place
      item.className = fresh.className;
      item.querySelector(".reply__card").replaceWith(card);
      const status = element("p", { class: "reply__notice", role: "status" }, result.body.message);
      card.querySelector(".reply__body").before(status);
      card.setAttribute("tabindex", "-1");
      card.focus();
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("click", (event) => {
    const editLink = event.target.closest("[data-edit]");
    if (editLink && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      openEdit(editLink);
    } else if (event.target.closest("[data-edit-cancel]")) {
      closeEdit(event.target.closest("[data-edit-form]"));
    }
  });

  document.addEventListener("submit", (event) => {
    if (event.target.matches("[data-edit-form]")) {
      event.preventDefault();
      submitEdit(event.target);
    }
  });
})();

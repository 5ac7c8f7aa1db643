// Moderator queue: keyboard shortcuts and actions without reloads. The queue form works without
// this file (each button submits it); here the same requests go through fetch, rows leave the
// list as they are decided, tab counts update, and an Undo bar offers the way back.
(function () {
  "use strict";

  const form = document.querySelector("[data-queue]");
  if (!form) return;
  const csrf = form.querySelector('input[name="csrf_token"]').value;
  // The Undo bar stays until the next action replaces it, or this long; the audit log keeps it.
  const UNDO_SECONDS = Number(form.dataset.undoSeconds) || 60;
  let current = -1;
  let lastEntry = null;
  let undoTimer = null;

  const rows = () => Array.from(form.querySelectorAll("[data-queue-item]:not(.is-done)"));

  function focusRow(index) {
    const list = rows();
    if (!list.length) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((row) => row.classList.remove("is-current"));
    const row = list[current];
    row.classList.add("is-current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    const list = rows();
    return current >= 0 && current < list.length ? list[current] : null;
  }

  function selectedIds() {
    const ticked = Array.from(form.querySelectorAll('input[name="ids"]:checked'))
      .filter((box) => !box.closest(".is-done"))
      .map((box) => box.value);
    if (ticked.length) return ticked;
    const row = currentRow();
    return row ? [row.dataset.id] : [];
  }

  function showUndo(message, entryId) {
    let bar = document.querySelector("[data-undo-bar]");
    if (!bar) {
      bar = document.createElement("div");
      bar.className = "undo-bar";
      bar.setAttribute("role", "status");
      bar.dataset.undoBar = "";
      form.before(bar);
    }
    bar.hidden = false;
    bar.replaceChildren();
    const text = document.createElement("span");
    text.textContent = message;
    bar.append(text);
    lastEntry = entryId;
    if (entryId) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = window.PorchI18n._("Undo");
      button.addEventListener("click", undoLast);
      bar.append(button);
    }
    clearTimeout(undoTimer);
    undoTimer = setTimeout(() => { bar.hidden = true; lastEntry = null; }, UNDO_SECONDS * 1000);
  }

  function updateCounts(counts) {
    Object.entries(counts || {}).forEach(([tab, count]) => {
      const badge = document.querySelector('[data-count="' + tab + '"]');
      if (badge) badge.textContent = count;
    });
  }

  async function act(action, ids) {
    if (!ids.length) return;
    const data = new FormData();
    data.set("csrf_token", csrf);
    data.set("action", action);
    ids.forEach((id) => data.append("ids", id));
    ids.forEach((id) => {  // the status shown, so a reply someone decided on meanwhile is left alone
      const seen = document.querySelector('#q' + id + ' input[name="seen"]');
      if (seen) data.append("seen", seen.value);
    });
    const response = await fetch(form.getAttribute("action"), {
      method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) { showUndo(body.error || window.PorchI18n._("That did not work; reload the page."), null); return; }
    const index = current;
    body.changed.forEach((id) => {
      const row = document.getElementById("q" + id);
      if (row) { row.classList.add("is-done"); row.hidden = true; }
    });
    updateCounts(body.counts);
    showUndo(body.message, body.entry_id);
    if (!rows().length) {
      const empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = window.PorchI18n._("Nothing here. Well done.");
      form.append(empty);
    } else {
      focusRow(Math.min(index, rows().length - 1));
    }
  }

  async function undoLast() {
    if (!lastEntry) return;
    const data = new FormData();
    data.set("csrf_token", csrf);
    const response = await fetch("/mod/audit/" + lastEntry + "/undo", {
      method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    if (response.ok) window.location.reload();
  }

  function toggleHelp() {
    const help = document.getElementById("key-help");
    help.hidden = !help.hidden;
    if (!help.hidden) help.querySelector("[data-close-help]").focus();
  }

  const KEYS = {
    j: () => focusRow(current + 1),
    k: () => focusRow(current - 1),
    x: () => {
      const row = currentRow();
      if (row) { const box = row.querySelector('input[name="ids"]'); box.checked = !box.checked; }
    },
    a: () => act("approve", selectedIds()),
    s: () => act("spam", selectedIds()),
    d: () => act("trash", selectedIds()),
    u: () => undoLast(),
    e: () => { const row = currentRow(); if (row) window.location.assign(row.dataset.editUrl); },
    r: () => { const row = currentRow(); if (row) window.location.assign(row.dataset.replyUrl); },
    "?": toggleHelp,
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const handler = KEYS[event.key];
    if (handler) { event.preventDefault(); handler(); }
    if (event.key === "Escape") document.getElementById("key-help").hidden = true;
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-help]")) toggleHelp();
  });

  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button) return;
    event.preventDefault();
    if (button.name === "single") {
      const [action, id] = button.value.split(":");
      focusRow(rows().findIndex((row) => row.dataset.id === id));
      act(action, [id]);
    } else {
      act(button.value, selectedIds());
    }
  });
})();

// @mention suggestions in reply text boxes. Typing "@" offers the names of people already in
// this thread (read from the page: no request), and picking one writes their handle, the name
// without spaces ("Ada Lovelace" -> @AdaLovelace), which the server resolves. Without this
// script, typing @AdaLovelace or @"Ada Lovelace" by hand works the same.
(function () {
  "use strict";

  const FIELD = 'form textarea[name="body"]';
  const TYPED = /(?:^|[^\p{L}\p{N}_@/.])@([\p{L}\p{N}_.'’-]{0,40})$/u;
  const MAX_SHOWN = 8;
  let list = null;      // the open listbox, or null
  let field = null;     // the textarea it belongs to
  let active = -1;      // index of the highlighted option
  let shown = [];       // names currently offered
  let counter = 0;

  function handleOf(name) { return name.replace(/\s+/gu, ""); }

  function threadNames() {
    const me = document.querySelector(".commenting-as strong");
    const mine = me ? me.textContent.trim() : null;
    const names = new Set();
    document.querySelectorAll(".reply__author").forEach((el) => {
      const name = el.textContent.trim();
      if (name && name !== mine && name !== "Anonymous") names.add(name);
    });
    return Array.from(names).sort((a, b) => a.localeCompare(b));
  }

  function typedQuery(textarea) {
    if (textarea.selectionStart !== textarea.selectionEnd) return null;
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = TYPED.exec(before);
    return match ? match[1] : null;
  }

  function matching(query) {
    const wanted = query.toLocaleLowerCase();
    return threadNames().filter((name) => {
      const lower = name.toLocaleLowerCase();
      return handleOf(lower).startsWith(wanted) || lower.split(/\s+/u).some((w) => w.startsWith(wanted));
    }).slice(0, MAX_SHOWN);
  }

  function close() {
    if (!list) return;
    list.remove();
    field.removeAttribute("aria-activedescendant");
    field.removeAttribute("aria-controls");
    list = null; field = null; active = -1; shown = [];
  }

  function highlight(index) {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((option, i) => {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) {
        field.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function open(textarea, names) {
    if (field !== textarea) close();
    if (!list) {
      list = document.createElement("ul");
      list.className = "mention-list";
      list.id = "mention-list-" + (++counter);
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", window.PorchI18n._("People in this thread"));
      field = textarea;
      field.setAttribute("aria-controls", list.id);
      const holder = textarea.parentElement;
      if (getComputedStyle(holder).position === "static") holder.style.position = "relative";
      textarea.insertAdjacentElement("afterend", list);
    }
    list.style.top = (textarea.offsetTop + textarea.offsetHeight) + "px";
    list.style.left = textarea.offsetLeft + "px";
    list.replaceChildren(...names.map((name, i) => {
      const option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.dataset.name = name;
      option.textContent = name;
      return option;
    }));
    shown = names;
    highlight(0);
  }

  function choose(name) {
    const textarea = field;
    const caret = textarea.selectionStart;
    const before = textarea.value.slice(0, caret);
    const start = before.lastIndexOf("@");
    const inserted = "@" + handleOf(name) + " ";
    textarea.setRangeText(inserted, start, caret, "end");
    close();
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function update(textarea) {
    const query = typedQuery(textarea);
    const names = query === null ? [] : matching(query);
    if (names.length) open(textarea, names); else close();
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches(FIELD)) {
      event.target.setAttribute("aria-autocomplete", "list");
      update(event.target);
    }
  });

  // Capture phase: while the list is open, its keys must not reach other handlers (Escape
  // would otherwise cancel an inline reply form).
  document.addEventListener("keydown", (event) => {
    if (!list || event.target !== field) return;
    const keys = {
      ArrowDown: () => highlight((active + 1) % shown.length),
      ArrowUp: () => highlight((active - 1 + shown.length) % shown.length),
      Enter: () => choose(shown[active]),
      Tab: () => choose(shown[active]),
      Escape: () => close(),
    };
    const act = keys[event.key];
    if (!act) return;
    event.preventDefault();
    event.stopPropagation();
    act();
  }, true);

  document.addEventListener("mousedown", (event) => {
    const option = event.target.closest && event.target.closest(".mention-list [role=option]");
    if (option) { event.preventDefault(); choose(option.dataset.name); }
  });

  document.addEventListener("focusout", (event) => {
    if (list && event.target === field) close();
  });
})();

// The page's language for the other scripts: `_("Save")`, `ngettext("%(num)d reply",
// "%(num)d replies", n)` and `%(name)s` placeholders, as in the templates. The strings come
// from static/i18n/<locale>.json (built from the .po files by `make translations`), named by
// the data-i18n attribute on <html>; plural forms are keyed by CLDR category, chosen with
// Intl.PluralRules. Until the catalogue arrives, or if it cannot, the English text is used.
(function () {
  "use strict";

  const root = document.documentElement;
  const language = root.lang || "en";
  let messages = {};
  const plurals = new Intl.PluralRules(language);
  const numbers = new Intl.NumberFormat(language);

  const ready = root.dataset.i18n && !language.startsWith("en")
    ? fetch(root.dataset.i18n, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { messages: {} }))
      .then((catalogue) => { messages = catalogue.messages || {}; })
      .catch(() => {})
    : Promise.resolve();

  function fill(text, values) {
    if (!values) return text;
    return text.replace(/%\((\w+)\)([sd])/g, (whole, name, kind) => {
      if (!(name in values)) return whole;
      const value = values[name];
      return kind === "d" && typeof value === "number" ? numbers.format(value) : String(value);
    });
  }

  function gettext(message, values) {
    const found = messages[message];
    return fill(typeof found === "string" && found ? found : message, values);
  }

  function ngettext(singular, plural, count, values) {
    const forms = messages[singular];
    let text = count === 1 ? singular : plural;
    if (forms && typeof forms === "object") {
      text = forms[plurals.select(count)] || forms.other || text;
    }
    return fill(text, Object.assign({ num: count }, values || {}));
  }

  window.PorchI18n = { _: gettext, gettext: gettext, ngettext: ngettext, ready: ready, language: language };
})();

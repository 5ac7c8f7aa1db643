// Setup page: preselect the browser's own time zone on a fresh form (the select works without it).
(function () {
  "use strict";
  var select = document.querySelector("select[data-guess-zone]");
  if (!select || !window.Intl) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (var i = 0; i < select.options.length; i += 1) {
    if (select.options[i].value === zone) { select.value = zone; return; }
  }
})();

// The Import pages. The upload form says it is uploading (big files take a while); the job page
// polls the job's progress and show it; reload once it has finished so the
// report (rendered by the server) appears. Without JavaScript the page has a Refresh link.
(function () {
  "use strict";
  const form = document.querySelector(".import-form");
  if (form) {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[type=submit]");
      button.setAttribute("aria-busy", "true");
      button.textContent = button.dataset.busyLabel || button.textContent;
    });
  }
  const section = document.querySelector("[data-job-url]");
  if (!section || section.dataset.jobFinished === "true") return;
  const url = section.dataset.jobUrl;
  const field = (name) => section.querySelector(`[data-job-field="${name}"]`);
  const refresh = section.querySelector(".import-refresh .muted");

  function show(job) {
    field("label").textContent = job.label;
    field("label").className = `import-status import-status--${job.status}`;
    field("percent").value = job.percent;
    field("percent").textContent = `${job.percent}%`;
    field("counts").textContent = job.counts;
  }

  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const job = await response.json();
      show(job);
      if (job.finished) {
        window.location.reload();
        return;
      }
    } catch (error) {
      if (refresh) refresh.textContent = window.PorchI18n._("Lost contact with the server; retrying…");
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 500);
})();

// Project settings: follow the pipeline jobs the background worker is running, in place
// (the admin may be typing in the form above, so the page is never reloaded).

const POLL_MS = 2000;
const section = document.querySelector(".pipeline-jobs[data-jobs-url]");

function busy() {
  return [...document.querySelectorAll("tr[data-job]")].some((row) =>
    ["queued", "running"].includes(row.dataset.status || ""),
  );
}

function counts(job) {
  if (!["running", "done"].includes(job.status)) return ["", ""];
  const paragraphs = `${job.computed} computed, ${job.cached} cached of ${job.paragraphs}`;
  return [paragraphs, String(job.suggestions)];
}

function details(job) {
  const cell = document.createDocumentFragment();
  if (job.error) {
    const error = document.createElement("p");
    error.className = "error";
    error.textContent = job.error;
    cell.append(error);
  }
  const dropped = Object.entries(job.dropped || {});
  if (dropped.length) {
    const hint = document.createElement("p");
    hint.className = "hint";
    const list = dropped.map(([label, n]) => `${label} × ${n}`).join(", ");
    hint.textContent = `Dropped (label not in the schema): ${list}`;
    cell.append(hint);
  }
  return cell;
}

function show(job) {
  const row = document.querySelector(`tr[data-job="${Number(job.id)}"]`);
  if (!row) return;
  const cells = row.querySelectorAll("td");
  row.dataset.status = job.status;
  const status = cells[1].querySelector(".status");
  status.textContent = job.status;
  status.className = `status job-${job.status}`;
  const version = job.model_version ? `version ${job.model_version}` : "";
  cells[2].querySelector(".version").textContent = version;
  const [paragraphs, suggestions] = counts(job);
  cells[3].textContent = paragraphs;
  cells[4].textContent = suggestions;
  cells[5].replaceChildren(details(job));
}

async function poll() {
  if (!busy()) return;
  try {
    const response = await fetch(section.dataset.jobsUrl, { headers: { Accept: "application/json" } });
    if (response.ok) (await response.json()).jobs.forEach(show);
  } finally {
    window.setTimeout(poll, POLL_MS);
  }
}

if (section) window.setTimeout(poll, POLL_MS);

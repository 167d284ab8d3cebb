// The import page: the form is sent in the background so the page can show the upload's
// progress, then "processing" while the server reads and stores the files; the server's
// answer (the summary, or the form with its error) replaces the page's content. Without
// JavaScript the form posts as usual.

import { describe, send } from "./upload.js";

function show(box, step) {
  const { fraction, text } = describe(step);
  const bar = box.querySelector("progress");
  if (fraction === null) bar.removeAttribute("value");
  else bar.value = fraction;
  box.querySelector(".upload-text").textContent = text;
  box.dataset.phase = step.phase;
  box.hidden = false;
}

// The answer is the page the server rendered (its own escaped HTML): its <main> and flashes
// take the place of ours; scripts in it stay inert, so the new form is enhanced from here.
function replacePage(html) {
  const answer = new DOMParser().parseFromString(html, "text/html");
  const main = answer.querySelector("main");
  if (!main) return false;
  document.querySelector(".flashes")?.remove();
  const flashes = answer.querySelector(".flashes");
  document.querySelector("main").replaceWith(main);
  if (flashes) main.before(flashes);
  document.title = answer.title;
  enhance(main.querySelector("form[data-upload]"));
  return true;
}

/** What is wrong with the chosen files' size before sending them, or null: the server
 *  refuses a body past its limit only once it has it, and its bare 413 page took the
 *  form's place. */
export function tooLarge(files, maxBytes) {
  const total = [...files].reduce((sum, file) => sum + file.size, 0);
  if (!maxBytes || total <= maxBytes) return null;
  const mb = (bytes) => (bytes / 1048576).toFixed(1).replace(/\.0$/, "");
  return `These files are ${mb(total)} MB in all; one upload holds at most ${mb(maxBytes)} MB. Import fewer files at a time, or run annotator import on the server.`;
}

async function submit(event) {
  const form = event.currentTarget;
  event.preventDefault();
  const box = form.querySelector(".upload-progress");
  const refusal = tooLarge(form.querySelector("input[type=file]")?.files || [], Number(form.dataset.maxBytes));
  if (refusal) {
    box.querySelector("progress").value = 0;
    box.querySelector(".upload-text").textContent = refusal;
    box.dataset.phase = "refused";
    box.hidden = false;
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const answer = await send(form.action, new FormData(form), (step) => show(box, step));
  button.disabled = false;
  if (answer === null) return; // the box says why; the form is still filled in
  if (!answer.type.startsWith("text/html") || !replacePage(answer.html)) form.submit();
}

function enhance(form) {
  form?.addEventListener("submit", submit);
}

if (typeof document !== "undefined") enhance(document.querySelector("form[data-upload]"));

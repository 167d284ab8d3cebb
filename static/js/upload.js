// Sending a form with its files while saying how far it got: pure logic, the request
// injected (tests/js/upload.test.mjs runs it under node; import.js is the page's glue).

/** "3.4 MB", "820 kB", "12 bytes": sizes as a person reads them. */
export function formatBytes(bytes) {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return bytes === 1 ? "1 byte" : `${bytes} bytes`;
}

/** What the page shows at each step of an upload: a fraction for the bar (null: no
 *  measure, the bar moves without one) and a sentence. */
export function describe(step) {
  if (step.phase === "uploading") {
    if (!step.total) return { fraction: null, text: "Uploading…" };
    const fraction = Math.min(1, step.loaded / step.total);
    const percent = Math.floor(fraction * 100);
    return {
      fraction,
      text: `Uploading ${formatBytes(step.loaded)} of ${formatBytes(step.total)} (${percent}%)`,
    };
  }
  if (step.phase === "processing") {
    return { fraction: null, text: "Processing… reading the files and storing the articles." };
  }
  if (step.phase === "failed") {
    return { fraction: null, text: `The upload did not complete (${step.reason}). Nothing was imported; try again.` };
  }
  return { fraction: 1, text: "Done." };
}

/** Send `body` by POST to `url` through `request` (an XMLHttpRequest factory), telling
 *  `report` each step; resolves with {status, type, html} of the answer. */
export function send(url, body, report, request = () => new XMLHttpRequest()) {
  return new Promise((resolve) => {
    const xhr = request();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "text/html");
    xhr.upload.onprogress = (event) =>
      report({ phase: "uploading", loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
    xhr.upload.onload = () => report({ phase: "processing" });
    xhr.onload = () => {
      report({ phase: "done" });
      resolve({ status: xhr.status, type: xhr.getResponseHeader("Content-Type") || "", html: xhr.responseText });
    };
    xhr.onerror = () => {
      report({ phase: "failed", reason: "the connection was lost" });
      resolve(null);
    };
    xhr.onabort = () => {
      report({ phase: "failed", reason: "it was cancelled" });
      resolve(null);
    };
    report({ phase: "uploading", loaded: 0, total: 0 });
    xhr.send(body);
  });
}

import { test } from "node:test";
import assert from "node:assert/strict";

import { describe, formatBytes, send } from "../../static/js/upload.js";

// An XMLHttpRequest stand-in: the test plays the upload's events.
function fakeRequest() {
  const xhr = {
    upload: {},
    headers: {},
    open(method, url) { Object.assign(xhr, { method, url }); },
    setRequestHeader(name, value) { xhr.headers[name] = value; },
    getResponseHeader: () => "text/html; charset=utf-8",
    send(body) { xhr.body = body; },
  };
  return xhr;
}

test("sizes read as a person reads them", () => {
  assert.equal(formatBytes(1), "1 byte");
  assert.equal(formatBytes(512), "512 bytes");
  assert.equal(formatBytes(82_000), "82 kB");
  assert.equal(formatBytes(3_400_000), "3.4 MB");
});

test("the upload shows its fraction; processing and an unknown total show a moving bar", () => {
  assert.deepEqual(describe({ phase: "uploading", loaded: 1_000_000, total: 4_000_000 }), {
    fraction: 0.25,
    text: "Uploading 1.0 MB of 4.0 MB (25%)",
  });
  assert.equal(describe({ phase: "uploading", loaded: 10, total: 0 }).fraction, null);
  assert.equal(describe({ phase: "processing" }).fraction, null);
  assert.match(describe({ phase: "processing" }).text, /^Processing/);
  assert.match(describe({ phase: "failed", reason: "the connection was lost" }).text, /Nothing was imported/);
});

test("send reports uploading, then processing, then resolves with the server's page", async () => {
  const steps = [];
  let xhr;
  const answer = send("/admin/projects/default/import", "BODY", (s) => steps.push(s.phase), () => (xhr = fakeRequest()));
  assert.equal(xhr.method, "POST");
  assert.equal(xhr.body, "BODY");
  xhr.upload.onprogress({ loaded: 5, total: 10, lengthComputable: true });
  xhr.upload.onload();
  Object.assign(xhr, { status: 400, responseText: "<main>error</main>" });
  xhr.onload();
  assert.deepEqual(await answer, { status: 400, type: "text/html; charset=utf-8", html: "<main>error</main>" });
  assert.deepEqual(steps, ["uploading", "uploading", "processing", "done"]);
});

test("a lost connection resolves with nothing and says so", async () => {
  const steps = [];
  let xhr;
  const answer = send("/x", "B", (s) => steps.push(s), () => (xhr = fakeRequest()));
  xhr.onerror();
  assert.equal(await answer, null);
  assert.equal(steps.at(-1).phase, "failed");
});

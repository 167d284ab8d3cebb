// fetch() for the JSON API: same-origin cookies, the CSRF token from the page's meta tag.

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content || "";
}

/** Send one queued request; resolves {status, body}, rejects when the server is unreachable. */
export async function transport({ method, url, body }) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed = null;
  try {
    parsed = await response.json();
  } catch (_) {
    parsed = null; // a proxy's HTML error page: the status decides what happens
  }
  return { status: response.status, body: parsed };
}

export async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return response.json();
}

// The save queue: every edit becomes an operation kept in localStorage until the server
// acknowledges it. Operations go one at a time, in order; a failed request is retried with
// back-off. Ids of annotations created offline are filled in when their create is saved.
// Each tab has its own queue (see tabs.js); a tab that is gone leaves its queue to be adopted.
// Sending an op twice stores nothing twice: creates carry a client id, every change the
// version it was based on.

import { uuid } from "./ids.js";
import { sentimentLid } from "./store.js";

export const DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];

/** What a page says while its saves wait to be retried: why, and that nothing is lost. */
export function offlineText({ status, body, pending }) {
  const kept = `${pending} unsaved change${pending === 1 ? "" : "s"} kept`;
  if (status === 401) return `Logged out: log in again in another tab, then it saves (${kept})`;
  if (body?.error?.code === "csrf") return `Session expired: reload the page (${kept})`;
  if (body?.error?.code === "busy") return `Database busy with other work, retrying (${kept})`;
  return `Offline, retrying (${kept})`;
}

/** What a page says of a change the server refused for good: the server's reason, as a
 *  sentence, or the fallback when it gave none. */
export function refusedText(body, fallback = "the server refused the change") {
  const said = (body?.error?.message || fallback).trim();
  return `Not saved: ${/[.!?]$/.test(said) ? said : `${said}.`}`;
}

/** A refusal for a label the project no longer has: an admin renamed, merged or removed it
 *  while the page was open. The page then takes the project's labels again. */
export function isRelabelled(body) {
  return body?.error?.code === "unknown_label";
}

export const RELABELLED_TEXT = "The project's labels changed since this page was opened; it now shows them, and what is saved.";
/** What a page says when it could not read the project's changed labels again. */
export const RELOAD_FOR_LABELS_TEXT = "The project's labels changed since this page was opened: reload the page to see them.";

/** A response the queue should retry rather than give up on: the user's work is kept. */
export function isRetryable(status, body) {
  if (status >= 500 || [401, 408, 429].includes(status)) return true;
  return status === 400 && body?.error?.code === "csrf";
}

/** Replace every {"$lid": x} in a body with the server id of x; undefined if one is unknown. */
export function resolveRefs(value, idFor) {
  if (Array.isArray(value)) return mapAll(value, (v) => resolveRefs(v, idFor));
  if (value === null || typeof value !== "object") return value;
  if ("$lid" in value) return idFor(value.$lid) ?? undefined;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    const resolved = resolveRefs(inner, idFor);
    if (resolved === undefined) return undefined;
    out[key] = resolved;
  }
  return out;
}

function mapAll(values, fn) {
  const out = values.map(fn);
  return out.includes(undefined) ? undefined : out;
}

/** The queue stored under key; ids and versions matter only while ops refer to them. */
export function readState(storage, key) {
  try {
    const saved = JSON.parse(storage.getItem(key) || "null");
    if (saved && Array.isArray(saved.ops) && saved.ops.length) return { ids: {}, versions: {}, ...saved };
  } catch (_) {
    // A corrupt entry cannot be replayed; start afresh rather than block every save.
  }
  return { ops: [], ids: {}, versions: {} };
}

/** Ops queued by an older page (one queue shared by all tabs) get what sending twice needs. */
export function normalise(op, newId = uuid) {
  if (op.kind === "create" && !op.body?.client_id) return { ...op, body: { ...op.body, client_id: newId() } };
  if (op.kind === "sentiment" && !op.lid) return { ...op, lid: sentimentLid(op.paragraphId) };
  return op;
}

export class SaveQueue {
  constructor({ storage, key, transport, handlers = {}, sleep = defaultSleep, delays = DELAYS_MS, newId = uuid }) {
    Object.assign(this, { storage, key, transport, handlers, sleep, delays, newId });
    this.state = readState(storage, key);
    this.running = false;
    this.attempts = 0;
    this.wake = null;
  }

  write() {
    this.storage.setItem(this.key, JSON.stringify(this.state));
  }

  get pending() {
    return this.state.ops.length;
  }

  idFor(lid) {
    if (lid in this.state.ids) return this.state.ids[lid];
    return /^s\d+$/.test(lid) ? Number(lid.slice(1)) : null;
  }

  lidForId(id) {
    for (const [lid, known] of Object.entries(this.state.ids)) if (known === id) return lid;
    return `s${id}`;
  }

  hasPending(lid) {
    return this.state.ops.some((op) => op.lid === lid);
  }

  /** The version the next change of lid is based on: the last one the server gave us. */
  noteVersion(lid, version) {
    if (!this.hasPending(lid)) this.state.versions[lid] = version;
  }

  /** Take over the queues stored under keys (tabs that are gone) and return their ops.
   *  They go after this tab's own; the caller starts sending once the page can show it. */
  adopt(keys) {
    const taken = [];
    for (const key of keys) {
      const other = readState(this.storage, key);
      this.storage.removeItem(key);
      const ops = other.ops.map((op) => normalise(op, this.newId));
      for (const [lid, id] of Object.entries(other.ids)) this.state.ids[lid] ??= id;
      this.takeVersions(ops, other.versions);
      this.state.ops.push(...ops);
      taken.push(...ops);
    }
    if (taken.length) this.write();
    return taken;
  }

  /** Adopted ops continue from the versions their tab saw. Where this queue already changes
   *  the same annotation, the first adopted change keeps its own base: it conflicts rather
   *  than overwrites what this queue saves first. */
  takeVersions(ops, versions) {
    const seen = new Set();
    for (const op of ops) {
      if (!op.lid || !(op.lid in versions) || seen.has(op.lid)) continue;
      seen.add(op.lid);
      if (this.hasPending(op.lid)) op.base = versions[op.lid];
      else this.state.versions[op.lid] = versions[op.lid];
    }
  }

  enqueue(op) {
    this.state.ops.push({ opId: `${Date.now()}-${Math.random().toString(36).slice(2)}`, ...op });
    this.write();
    this.start();
  }

  /** Begin sending, unless already sending; resolves when the queue is empty. */
  start() {
    if (!this.running) this.done = this.run();
    else this.retryNow();
    return this.done;
  }

  retryNow() {
    if (this.wake) this.wake();
  }

  async run() {
    this.running = true;
    while (this.state.ops.length) {
      const op = this.state.ops[0];
      this.emit("saving");
      const request = this.request(op);
      if (!request) {
        this.drop(op, "rejected", { error: { message: "It refers to an entity that was not saved." } });
        continue;
      }
      const result = await this.send(request);
      if (result && isDone(op, result)) this.acknowledge(op, result.status < 300 ? result.body : {});
      else if (result?.status === 409 && isApplied(op, request, result.body)) this.acknowledge(op, { annotation: result.body.current });
      else if (!result || isRetryable(result.status, result.body)) await this.backOff(result);
      else this.drop(op, result.status === 409 ? "conflict" : "rejected", result.body);
    }
    this.running = false;
    this.emit("saved");
  }

  async send(request) {
    try {
      return await this.transport(request);
    } catch (_) {
      return null; // unreachable server: retried like a 5xx
    }
  }

  async backOff(result) {
    const delay = this.delays[Math.min(this.attempts, this.delays.length - 1)];
    this.attempts += 1;
    this.emit("offline", { status: result?.status ?? null, body: result?.body ?? null });
    await new Promise((resolve) => {
      this.wake = resolve;
      this.sleep(delay).then(resolve);
    });
    this.wake = null;
  }

  request(op) {
    const id = op.lid ? this.idFor(op.lid) : null;
    const version = op.lid && "base" in op ? op.base : this.state.versions[op.lid];
    switch (op.kind) {
      case "create":
        return this.withBody("POST", "/api/v1/annotations", op.body);
      case "update":
        return id && this.withBody("PATCH", `/api/v1/annotations/${id}`, { ...op.body, version });
      case "delete":
        return id && this.withBody("DELETE", `/api/v1/annotations/${id}`, { version });
      case "sentiment": // null: the page saw no sentiment; a stale tab gets 409, not last-write-wins
        return this.withBody("PUT", `/api/v1/paragraphs/${op.paragraphId}/sentiment`, { ...op.body, version: version ?? null });
      case "status":
        return this.withBody("PUT", `/api/v1/articles/${op.articleId}/status`, op.body);
      default:
        return null;
    }
  }

  withBody(method, url, body) {
    const resolved = resolveRefs(body, (lid) => this.idFor(lid));
    return resolved === undefined ? null : { method, url, body: resolved };
  }

  acknowledge(op, body) {
    this.attempts = 0;
    this.state.ops = this.state.ops.filter((o) => o.opId !== op.opId);
    const saved = body?.annotation;
    if (op.kind === "create" && saved) this.state.ids[op.lid] = saved.id;
    if ((op.kind === "create" || op.kind === "update") && saved) {
      this.state.versions[op.lid] = saved.version;
    }
    if (op.kind === "sentiment") this.state.versions[op.lid] = saved?.version ?? null;
    if (op.kind === "delete") delete this.state.versions[op.lid];
    for (const changed of body?.changed || []) {
      this.state.versions[this.lidForId(changed.id)] = changed.version;
    }
    this.write();
    this.handlers.ack?.(op, body);
  }

  /** Give up on op and on every later op about the same annotation; tell the page why. */
  drop(op, reason, body) {
    this.attempts = 0;
    const dropped = this.state.ops.filter((o) => o.opId === op.opId || (op.lid && o.lid === op.lid));
    this.state.ops = this.state.ops.filter((o) => !dropped.includes(o));
    // A refused sentiment answers with the stored one: the next change is based on that.
    if (op.kind === "sentiment" && body && "current" in body) this.state.versions[op.lid] = body.current?.version ?? null;
    this.write();
    this.handlers[reason]?.(op, body, dropped);
  }

  emit(state, detail = {}) {
    this.handlers.state?.(state, { pending: this.state.ops.length, ...detail });
  }
}

/** A change refused as stale whose stored state is what it asked for: its first attempt
 *  was saved but the answer was lost (a proxy's timeout, a dropped connection), or another
 *  tab made the same change. Taken as saved, with the stored version, so the changes queued
 *  after it go on from there; a conflict would have dropped them. */
export function isApplied(op, request, body) {
  if (!body || !("current" in body)) return false;
  const current = body.current;
  const sent = request.body || {};
  if (op.kind === "sentiment") return (current?.label ?? null) === (sent.label ?? null) && !sent.suggestion_id;
  if (op.kind !== "update" || !current) return false;
  const same = ["label", "start", "end"].every((key) => !(key in sent) || sent[key] === current[key]);
  return same && canonical(sent.attributes ?? {}) === canonical(current.attributes ?? {});
}

/** JSON with every object's keys in order: two attribute objects compare by content. */
function canonical(value) {
  return JSON.stringify(value, (_, inner) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner);
}

/** Saved, or (a delete answered 404) already as the user wants it: another tab deleted it. */
function isDone(op, result) {
  return result.status < 300 || (op.kind === "delete" && result.status === 404);
}

function defaultSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

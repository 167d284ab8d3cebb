// Which tab owns which pending saves. A tab's id lives in sessionStorage, which survives a
// reload of that tab and nothing else; its queue lives in localStorage under a key holding
// that id, so the work of a tab that crashed or was closed is not lost. A live tab beats (a
// timestamp in localStorage); another tab of the same user adopts a queue only when its owner
// is demonstrably gone: no beat for STALE_MS, or closed CLOSED_GRACE_MS ago and not reloaded.
// Should a gone owner come back after all, nothing is stored twice: creates carry client ids,
// changes and deletes the version they were based on.

import { uuid } from "./ids.js";

export const BEAT_MS = 10_000;
/** Browsers run the timers of a long-hidden tab about once a minute: two minutes without a beat is gone. */
export const STALE_MS = 120_000;
/** A tab that closed is gone unless it reloads within this. */
export const CLOSED_GRACE_MS = 15_000;

const TAB_ID = "annotator.tab";

export class TabLease {
  constructor({ local, session, userId, clock = () => Date.now(), newId = uuid }) {
    Object.assign(this, { local, session, clock, newId });
    this.queuePrefix = `annotator.saves.${userId}`;
    this.beatPrefix = `annotator.tabs.${userId}.`;
    this.tabId = null;
  }

  get queueKey() {
    return `${this.queuePrefix}.${this.tabId}`;
  }

  /** This tab's id: the one it had before a reload, or a new one. A duplicated tab copies
   *  sessionStorage, so an id whose page still beats belongs to another tab. */
  claim() {
    let id = this.session.getItem(TAB_ID);
    if (!id || this.heldByLivePage(id)) {
      id = this.newId();
      this.session.setItem(TAB_ID, id);
    }
    this.tabId = id;
    this.beat();
    return id;
  }

  beat() {
    this.local.setItem(this.beatKey(this.tabId), JSON.stringify({ at: this.clock() }));
  }

  /** The page goes away: an empty queue is forgotten, a pending one waits for a reload or adoption. */
  release(pending) {
    if (pending) {
      this.local.setItem(this.beatKey(this.tabId), JSON.stringify({ at: this.clock(), closed: true }));
    } else {
      this.local.removeItem(this.queueKey);
      this.local.removeItem(this.beatKey(this.tabId));
    }
  }

  /** Queue keys of this user's tabs that are gone (and of the queue all tabs once shared). */
  orphans() {
    const keys = this.keysStarting(`${this.queuePrefix}.`).filter((key) => key !== this.queueKey && this.ownerGone(key));
    const shared = this.local.getItem(this.queuePrefix) !== null; // pages older than tabs shared one
    return shared ? [this.queuePrefix, ...keys] : keys;
  }

  /** Forget the beats of gone tabs once their queues have been adopted (or they had none). */
  sweep() {
    for (const key of this.keysStarting(this.beatPrefix)) {
      const tabId = key.slice(this.beatPrefix.length);
      if (tabId !== this.tabId && this.isGone(tabId) && this.local.getItem(`${this.queuePrefix}.${tabId}`) === null) {
        this.local.removeItem(key);
      }
    }
  }

  ownerGone(key) {
    return this.isGone(key.slice(this.queuePrefix.length + 1));
  }

  isGone(tabId) {
    const beat = this.readBeat(tabId);
    if (!beat) return true;
    return this.clock() - beat.at >= (beat.closed ? CLOSED_GRACE_MS : STALE_MS);
  }

  heldByLivePage(tabId) {
    const beat = this.readBeat(tabId);
    return Boolean(beat && !beat.closed && this.clock() - beat.at < STALE_MS);
  }

  beatKey(tabId) {
    return `${this.beatPrefix}${tabId}`;
  }

  readBeat(tabId) {
    try {
      const beat = JSON.parse(this.local.getItem(this.beatKey(tabId)) || "null");
      return typeof beat?.at === "number" ? beat : null;
    } catch (_) {
      return null; // unreadable: as good as no beat
    }
  }

  keysStarting(prefix) {
    const keys = [];
    for (let i = 0; i < this.local.length; i += 1) {
      const key = this.local.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    return keys;
  }
}

/** Take over the pending saves of this user's tabs that are gone; returns the ops taken. */
export function adoptOrphans(lease, queue) {
  const ops = queue.adopt(lease.orphans());
  lease.sweep();
  return ops;
}

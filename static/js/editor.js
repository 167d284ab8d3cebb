// Applies the user's commands: the page's store changes at once, the save queue carries the
// change to the server, and the history makes it undoable. Also handles what the server says
// back: ids and versions, dependants removed with an entity, conflicts and rejections.

import { History } from "./history.js";
import { uuid } from "./ids.js";
import { sentimentLid, toBody } from "./store.js";

export class Editor {
  constructor({ store, queue, changed, newClientId = uuid }) {
    this.store = store;
    this.queue = queue;
    this.history = new History();
    this.changed = changed; // (paragraphIds) => re-render them
    this.newClientId = newClientId;
  }

  /** The command deleting ann. An entity's dependants are spelled out (sentiments towards it
   *  go, claims naming it keep only the claimant's text) so that undo brings them all back. */
  deleteCommand(ann) {
    const snapshot = (a) => structuredClone(a);
    const remove = { kind: "delete", before: snapshot(ann) };
    if (ann.layer !== "entity") return remove;
    const dependants = [];
    for (const other of this.store.byLid.values()) {
      if (other.attributes.target_lid === ann.lid) dependants.push({ kind: "delete", before: snapshot(other) });
      if (other.attributes.claimant?.lid === ann.lid) {
        const after = snapshot(other);
        after.attributes.claimant = { ...after.attributes.claimant, lid: null };
        dependants.push({ kind: "update", before: snapshot(other), after });
      }
    }
    return dependants.length ? { kind: "batch", commands: [...dependants, remove] } : remove;
  }

  /** Do a new command: apply it and remember it for undo. */
  run(command) {
    const touched = this.apply(command, true);
    this.history.record(command);
    this.changed(touched);
  }

  undo() {
    const command = this.history.undo();
    if (command) this.changed(this.apply(command, true));
    return Boolean(command);
  }

  redo() {
    const command = this.history.redo();
    if (command) this.changed(this.apply(command, true));
    return Boolean(command);
  }

  /** Put a command into effect; with `save`, queue it for the server. Returns paragraph ids. */
  apply(command, save) {
    const enqueue = (op) => save && this.queue.enqueue(op);
    switch (command.kind) {
      case "create": {
        const ann = command.after;
        this.store.put(ann);
        // Minted when the user acts and kept in the queued op: every retry, and a replay by
        // another tab, sends the same client id, so the server stores the create once.
        const body = { ...toBody(ann), client_id: this.newClientId() };
        enqueue({ kind: "create", lid: ann.lid, paragraphId: ann.paragraph_id, ann, body });
        return [ann.paragraph_id];
      }
      case "update": {
        const ann = command.after;
        this.store.put(ann);
        enqueue({ kind: "update", lid: ann.lid, paragraphId: ann.paragraph_id, ann, body: toBody(ann, false) });
        return [ann.paragraph_id];
      }
      case "delete": {
        const ann = command.before;
        const touched = this.removeLocally(ann);
        enqueue({ kind: "delete", lid: ann.lid, paragraphId: ann.paragraph_id });
        return touched;
      }
      case "sentiment": {
        this.setSentiment(command.paragraphId, command.after);
        const body = { label: command.after };
        // Setting the suggested value accepts the suggestion (its undo and redo too).
        if (command.suggestion && command.suggestion.label === command.after) body.suggestion_id = command.suggestion.id;
        enqueue({ kind: "sentiment", lid: sentimentLid(command.paragraphId), paragraphId: command.paragraphId, body });
        return [command.paragraphId];
      }
      case "batch":
        return command.commands.flatMap((inner) => this.apply(inner, save));
      default:
        throw new Error(`unknown command ${command.kind}`);
    }
  }

  setSentiment(paragraphId, label) {
    if (label) this.store.sentiments.set(paragraphId, label);
    else this.store.sentiments.delete(paragraphId);
  }

  /** Mirror the server: sentiments towards a deleted entity go, claims keep the claimant's text. */
  removeLocally(ann) {
    this.store.remove(ann.lid);
    const touched = new Set([ann.paragraph_id]);
    if (ann.layer !== "entity") return [...touched];
    for (const other of [...this.store.byLid.values()]) {
      if (other.attributes.target_lid === ann.lid) this.store.remove(other.lid);
      if (other.attributes.claimant?.lid === ann.lid) {
        other.attributes.claimant = { ...other.attributes.claimant, lid: null };
        touched.add(other.paragraph_id);
      }
    }
    return [...touched];
  }

  /** Replay ops still waiting in the queue (after a reload) over the server's state. */
  replay(ops, paragraphIds) {
    for (const op of ops) {
      if (!paragraphIds.has(op.paragraphId)) continue;
      if (op.kind === "create" || op.kind === "update") this.store.put(op.ann);
      else if (op.kind === "delete") this.removeLocally(this.store.get(op.lid) || { lid: op.lid, paragraph_id: op.paragraphId, layer: "", attributes: {} });
      else if (op.kind === "sentiment") this.setSentiment(op.paragraphId, op.body.label);
    }
  }

  /** The server saved op: keep versions, and drop what it removed along with an entity. */
  acknowledged(op, body) {
    const saved = body?.annotation;
    const current = op.lid && this.store.get(op.lid);
    if (saved && current) current.version = saved.version;
    const touched = new Set();
    for (const id of body?.deleted || []) {
      const lid = this.queue.lidForId(id);
      const gone = this.store.get(lid);
      if (gone && lid !== op.lid) {
        this.store.remove(lid);
        touched.add(gone.paragraph_id);
      }
    }
    for (const changed of body?.changed || []) {
      this.store.loadOne(changed, (id) => this.queue.lidForId(id));
      touched.add(changed.paragraph_id);
    }
    if (touched.size) this.changed([...touched]);
  }
}

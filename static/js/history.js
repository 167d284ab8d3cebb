// Undo and redo of the user's own commands. A command is
//   {kind: "create", after} | {kind: "delete", before} | {kind: "update", before, after}
//   | {kind: "sentiment", paragraphId, before, after} | {kind: "batch", commands}
// and undoing one applies its inverse, which goes through the save queue like any edit.

export function inverse(command) {
  switch (command.kind) {
    case "create":
      return { kind: "delete", before: command.after };
    case "delete":
      return { kind: "create", after: command.before };
    case "update":
      return { kind: "update", before: command.after, after: command.before };
    case "sentiment":
      return { ...command, before: command.after, after: command.before };
    case "batch":
      return { kind: "batch", commands: command.commands.map(inverse).reverse() };
    default:
      throw new Error(`unknown command ${command.kind}`);
  }
}

export class History {
  constructor(limit = 200) {
    this.done = [];
    this.undone = [];
    this.limit = limit;
  }

  record(command) {
    this.done.push(command);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  /** The command that undoes the last one, or null; it moves to the redo stack. */
  undo() {
    const command = this.done.pop();
    if (!command) return null;
    this.undone.push(command);
    return inverse(command);
  }

  /** The command to apply again, or null. */
  redo() {
    const command = this.undone.pop();
    if (!command) return null;
    this.done.push(command);
    return command;
  }

  /** After a conflict the page's state came from the server: old commands no longer apply. */
  clear() {
    this.done = [];
    this.undone = [];
  }
}

// The Done warning: before an article is marked done with work missing, list what is missing
// (paragraph number and what it lacks, each a button that jumps there); the annotator may
// still mark it done. A modal <dialog>: Esc or "Keep annotating" close it.

import { el } from "./render.js";
import { describe } from "./progress.js";

const ASKED = { sentiment: "a sentiment for every content paragraph", claimant: "a claimant for every attributed claim" };

export function isOpen(dialog) {
  return dialog.open;
}

/** Show the warning; onJump(paragraphId) after closing it, onConfirm() to mark done anyway. */
export function showDoneWarning({ dialog, gaps, required, onJump, onConfirm }) {
  const asks = required.map((r) => ASKED[r] || r).join(" and ");
  dialog.querySelector(".ws-done-asks").textContent =
    `${gaps.length} paragraph${gaps.length === 1 ? "" : "s"} still lack what the project asks for (${asks}).`;
  const list = dialog.querySelector(".ws-missing");
  list.replaceChildren(...gaps.map((gap) => gapItem(dialog, gap, onJump)));
  dialog.querySelector(".ws-done-anyway").onclick = () => { dialog.close(); onConfirm(); };
  dialog.querySelector(".ws-keep").onclick = () => dialog.close();
  dialog.showModal();
  dialog.querySelector(".ws-keep").focus();
}

function gapItem(dialog, gap, onJump) {
  const button = el("button", "linklike ws-jump", `Paragraph ${gap.number}: ${describe(gap.missing)}`);
  button.type = "button";
  button.dataset.paragraphId = String(gap.paragraphId);
  button.addEventListener("click", () => { dialog.close(); onJump(gap.paragraphId); });
  const item = el("li");
  item.append(button);
  return item;
}

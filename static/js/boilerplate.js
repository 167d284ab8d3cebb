// Runs of boilerplate paragraphs are one block each, folded by default: its button (a real
// <button>, so Tab, Enter and Space work) shows or hides them.

/** Show or hide a block's paragraphs; `open` forces a state, else it toggles. */
export function toggleBlock(button, open = null) {
  const body = document.getElementById(button.getAttribute("aria-controls"));
  const show = open ?? button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(show));
  body.hidden = !show;
  button.closest(".bp-block").classList.toggle("open", show);
}

/** Unfold the block holding node, if it is folded (find uses it to show a match). */
export function revealBlockOf(node) {
  const block = node.closest?.(".bp-block") ?? node.parentElement?.closest(".bp-block");
  const button = block?.querySelector(".bp-toggle");
  if (button && button.getAttribute("aria-expanded") !== "true") toggleBlock(button, true);
}

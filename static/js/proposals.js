// Boilerplate proposals from the workspace: a small button on each paragraph (and the `b` key
// on the focused one) proposes that a content paragraph is boilerplate, or a boilerplate one
// content; a reviewer or admin decides. A pending proposal shows on its paragraph.

import { getJson, transport } from "./api.js";
import { el } from "./render.js";

export class Proposals {
  constructor({ root, articleId, message }) {
    Object.assign(this, { root, articleId, message });
    /** The pending proposal of each paragraph that has one, by paragraph id. */
    this.pending = new Map();
  }

  async load() {
    // Every paragraph gets its button before the request: added after it, the buttons grew
    // every paragraph at once and moved what the reader (or a find) had just scrolled to.
    for (const section of this.root.querySelectorAll(".para")) this.render(section);
    try {
      const { proposals } = await getJson(`/api/v1/articles/${this.articleId}/boilerplate-proposals`);
      for (const p of proposals) this.pending.set(p.paragraph_id, p);
    } catch (_) {
      // Proposals are a side road: the workspace works without them.
    }
    for (const section of this.root.querySelectorAll(".para")) this.render(section);
  }

  render(section) {
    let box = section.querySelector(".para-proposal");
    if (!box) {
      box = el("div", "para-proposal");
      section.append(box);
    }
    const proposal = this.pending.get(Number(section.dataset.id));
    const wanted = section.classList.contains("boilerplate") ? "content" : "boilerplate";
    if (proposal) {
      box.replaceChildren(el("span", "tag proposal-pending", `${proposal.flag} proposed · pending review`));
      return;
    }
    const button = el("button", "small para-propose", `Propose ${wanted}`);
    button.type = "button";
    button.title = `Propose that this paragraph is ${wanted} (key b)`;
    button.dataset.flag = wanted;
    button.addEventListener("click", () => this.propose(section));
    box.replaceChildren(button);
  }

  /** Propose the paragraph's opposite flag; true when there was a paragraph to propose on. */
  propose(section) {
    if (!section) return false;
    const id = Number(section.dataset.id);
    if (this.pending.has(id)) {
      this.message("A proposal on this paragraph is already waiting for review.");
      return true;
    }
    const flag = section.classList.contains("boilerplate") ? "content" : "boilerplate";
    this.send(section, id, flag);
    return true;
  }

  async send(section, id, flag) {
    let answer;
    try {
      answer = await transport({ method: "POST", url: `/api/v1/paragraphs/${id}/boilerplate-proposals`, body: { flag } });
    } catch (_) {
      this.message("The proposal was not sent: the server cannot be reached. Try again.");
      return;
    }
    if (answer.status === 200 || answer.status === 201) {
      this.pending.set(id, answer.body.proposal);
      this.render(section);
      this.message(`Proposed: paragraph ${Number(section.dataset.position) + 1} is ${flag}. A reviewer will decide.`);
    } else {
      this.message(`The proposal was not saved: ${answer.body?.error?.message || `error ${answer.status}`}`);
    }
  }
}

"""The benchmark's hands: a page driven like a person, every action counted (bench/actions.py).

A key press, a click and a drag count 1 each; what the page needs to be read or to settle
(scrolling, waiting for saves) is not an action.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

#: Viewport box of code points [start, end) of the paragraph at `position`, scrolled into view.
SPAN_BOX = """([position, start, end]) => {
  const el = document.querySelector(`.para[data-position="${position}"] .para-text`);
  const units = (cp) => Array.from(el.textContent).slice(0, cp).join('').length;
  const nodes = [];
  let seen = 0;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push([n, seen]);
    seen += n.data.length;
  }
  const at = (u, isEnd) => {
    const [node, base] = nodes.filter(([, b]) => (isEnd ? b < u : b <= u)).at(-1);
    return [node, u - base];
  };
  const range = document.createRange();
  range.setStart(...at(units(start), false));
  range.setEnd(...at(units(end), true));
  let box = range.getBoundingClientRect();
  if (box.top < 90 || box.bottom > innerHeight - 20) {
    scrollBy(0, box.top - innerHeight / 2);
    box = range.getBoundingClientRect();
  }
  const rects = range.getClientRects();
  const first = rects[0];
  const last = rects[rects.length - 1];
  return {x1: first.left + 1, y1: first.top + first.height / 2,
          x2: last.right - 1, y2: last.top + last.height / 2,
          cx: (first.left + first.right) / 2, cy: first.top + first.height / 2};
}"""

#: Whether a click at (x, y) lands on an entity span of the page, not on a panel over it.
CLICKABLE = """([x, y]) => {
  const hit = document.elementFromPoint(x, y);
  return Boolean(hit && hit.closest('.ent') && !hit.closest('.popup'));
}"""


@dataclass
class Tally:
    """Every action, by what it was for."""

    counts: Counter[str] = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)
    verbose: bool = False
    mode: str = ""

    def add(self, kind: str, what: str) -> None:
        self.counts[kind] += 1
        self.log.append(f"{kind:9} {what}")
        if self.verbose:
            print(f"  {sum(self.counts.values()):4} {kind:9} {what}")


class Annotator:
    """Drives the page; each method is one user action and is counted."""

    def __init__(self, page: Page, tally: Tally, shots: Path | None = None) -> None:
        self.page = page
        self.tally = tally
        self.shots = shots
        #: Wait for the page to be still before each drag (with suggestions on).
        self.quiet = False

    def photograph(self, name: str) -> None:
        """With --screenshots: the viewport as the annotator sees it now (not an action)."""
        if self.shots and not (self.shots / name).exists():
            self.page.screenshot(path=str(self.shots / name))

    def key(self, key: str, kind: str, what: str) -> None:
        self.page.keyboard.press(key)
        self.tally.add(kind, f"key {key}: {what}")

    def drag(self, position: int, start: int, end: int, kind: str, what: str) -> None:
        box = self.still_box(position, start, end)
        self.page.mouse.move(box["x1"], box["y1"])
        self.page.mouse.down()
        self.page.mouse.move(box["x2"], box["y2"], steps=4)
        self.page.mouse.up()
        self.tally.add(kind, f"drag {what!r}")

    def click(self, selector: str, kind: str, what: str) -> None:
        self.page.locator(selector).click()
        self.tally.add(kind, f"click {what}")

    def click_at(self, x: float, y: float, kind: str, what: str) -> None:
        self.page.mouse.click(x, y)
        self.tally.add(kind, f"click {what}")

    def still_box(self, position: int, start: int, end: int) -> dict[str, float]:
        """Where the span is once the page is quiet: with suggestions on, saving a label
        reloads the ghost spans, whose labels move the text under a mouse about to press."""
        self.wait_quiet()
        box = self.page.evaluate(SPAN_BOX, [position, start, end])
        while self.quiet:
            self.page.wait_for_timeout(100)
            again = self.page.evaluate(SPAN_BOX, [position, start, end])
            if again == box:
                break
            box = again
        return dict(box)

    def wait_quiet(self) -> None:
        """With suggestions on: until the suggestions' reload timer has run and no request
        is in flight (not an action)."""
        if self.quiet:
            self.page.wait_for_timeout(200)
            self.page.wait_for_function("() => window.__inflight === 0")

    def settle(self) -> None:
        """Wait (uncounted) until every change is saved."""
        self.page.wait_for_selector(".ws-save[data-state=saved]", timeout=15_000)
        self.page.wait_for_function(
            "() => document.querySelector('.ws-save').textContent === 'All changes saved'"
        )


#: The ghost spans the page shows: {id, position, text, label}, read from the page itself
#: (asking the API would recompute propagation behind the page's back).
GHOSTS = """() => [...document.querySelectorAll('.ghost.ent-start')].map((g) => ({
  id: g.dataset.suggestionId, label: g.dataset.labelName,
  position: Number(g.closest('.para').dataset.position),
  text: [...document.querySelectorAll(`.ghost[data-suggestion-id="${g.dataset.suggestionId}"]`)]
    .map((part) => part.textContent).join('')}))"""


#: Counts the page's requests in flight, so the benchmark can wait for a quiet page.
COUNT_FETCHES = """(() => {
  window.__inflight = 0;
  const fetch = window.fetch.bind(window);
  window.fetch = (...args) => {
    window.__inflight += 1;
    return fetch(...args).finally(() => { window.__inflight -= 1; });
  };
})();"""

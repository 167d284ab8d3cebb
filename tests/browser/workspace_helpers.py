"""Driving the workspace like a person: select words with the mouse, read saved state back."""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Annotation, Paragraph

#: Screen coordinates of the first and last character of the n-th occurrence of a string,
#: scrolled into view (below the sticky toolbar) first.
FIND_TEXT_BOX = """([needle, occurrence]) => {
  let seen = 0;
  for (const el of document.querySelectorAll('.para-text')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let text = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push([n, text.length]);
      text += n.data;
    }
    for (let index = text.indexOf(needle); index >= 0; index = text.indexOf(needle, index + 1)) {
      if (seen++ < occurrence) continue;
      const at = (u) => {
        const [node, base] = nodes.filter(([, b]) => b <= u).at(-1);
        return [node, u - base];
      };
      const range = document.createRange();
      range.setStart(...at(index));
      range.setEnd(...at(index + needle.length));
      const rect = range.getBoundingClientRect();
      if (rect.top < 80 || rect.bottom > window.innerHeight - 10) {
        window.scrollBy(0, rect.top - window.innerHeight / 2);  // bring it into view first
      }
      const rects = range.getClientRects();
      const first = rects[0];
      const last = rects[rects.length - 1];
      return {x1: first.left + 1, y1: first.top + first.height / 2,
              x2: last.right - 1, y2: last.top + last.height / 2};
    }
  }
  return null;
}"""


def open_workspace(page: Page, article_id: int) -> None:
    page.goto(f"/articles/{article_id}")
    expect(page.locator("body[data-ready=true]")).to_be_attached()


def paragraph(page: Page, needle: str) -> Any:
    return page.locator(".para", has_text=needle).first


def label_text(page: Page, needle: str, key: str) -> None:
    """Select the needle with the mouse, then give it the label of `key` in the picker."""
    select_text(page, needle)
    expect(page.locator(".picker")).to_be_visible()
    page.keyboard.press(key)


def select_text(page: Page, needle: str, occurrence: int = 0) -> None:
    """Select the needle inside its paragraph with a real mouse drag over its characters."""
    box = page.evaluate(FIND_TEXT_BOX, [needle, occurrence])
    assert box, f"{needle!r} is not on the page"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def wait_saved(page: Page) -> None:
    expect(page.locator(".ws-save")).to_have_attribute("data-state", "saved")
    expect(page.locator(".ws-save")).to_have_text("All changes saved")


def saved_annotations(app: Flask) -> list[Annotation]:
    with app.app_context():
        found = list(db.session.scalars(select(Annotation).order_by(Annotation.id)))
        db.session.expunge_all()
        return found


def api_json(page: Page, path: str) -> Any:
    """GET /api/v1 as the logged-in page would."""
    return page.evaluate("async (p) => (await fetch('/api/v1' + p)).json()", path)


def saved_texts(app: Flask) -> list[tuple[str, str, str | None]]:
    """(layer, label, text of the span) of every saved annotation, in id order."""
    with app.app_context():
        rows = db.session.execute(
            select(Annotation, Paragraph.text)
            .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
            .order_by(Annotation.id)
        ).all()
        return [
            (a.layer, a.label, None if a.start is None else text[a.start : a.end])
            for a, text in rows
        ]

"""Every text colour meets WCAG AA (4.5:1) on its background, in the light and the dark theme:
the theme's CSS variables, the entity label palette (chips and spans), boilerplate text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from annotator.schema import DEFAULT_ENTITIES

ROOT = Path(__file__).resolve().parents[1]
APP_CSS = (ROOT / "static" / "css" / "app.css").read_text()
WORKSPACE_CSS = (ROOT / "static" / "css" / "workspace.css").read_text()
AA = 4.5
PALETTE = [colour for _, colour, _, _ in DEFAULT_ENTITIES]

#: (text, background) variable pairs the pages put together.
PAIRS = [
    ("ink", "bg"), ("ink", "card"), ("ink", "code-bg"), ("ink", "control-bg"),
    ("ink", "focus-bg"), ("ink", "note-bg"), ("ink", "info-bg"),
    ("muted", "bg"), ("muted", "card"), ("muted", "code-bg"),  # boilerplate, hints, table heads
    ("accent", "bg"), ("accent", "card"), ("accent", "info-bg"),  # links, claim captions
    ("danger", "card"), ("danger", "danger-bg"), ("ok", "card"), ("ok", "ok-bg"),
    ("warn", "card"), ("warn", "note-bg"),
    ("accent-ink", "accent"), ("topbar-ink", "topbar-bg"), ("card", "ink"),
    ("find-ink", "find-bg"), ("find-ink", "find-current-bg"),
]  # fmt: skip


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def mix(a: str, b: str, share_of_a: float) -> str:
    """CSS color-mix(in srgb, a share, b): per channel, in gamma-encoded sRGB."""
    parts = [
        round(int(a[i : i + 2], 16) * share_of_a + int(b[i : i + 2], 16) * (1 - share_of_a))
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{p:02x}" for p in parts)


def variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", block))


def themes() -> dict[str, dict[str, str]]:
    light = APP_CSS[APP_CSS.index(":root {") : APP_CSS.index("}", APP_CSS.index(":root {"))]
    dark_at = APP_CSS.index("@media (prefers-color-scheme: dark)")
    dark = APP_CSS[dark_at : APP_CSS.index("}", dark_at)]
    return {"light": variables(light), "dark": {**variables(light), **variables(dark)}}


def ink_chosen_by_the_page() -> dict[str, str]:
    """static/js/colours.js's inkFor over the palette, run by node as the page runs it."""
    node = shutil.which("node") or "/usr/bin/node"
    script = (
        "import('./static/js/colours.js').then(({inkFor}) => "
        f"console.log(JSON.stringify({json.dumps(PALETTE)}.map(inkFor))))"
    )
    out = subprocess.run([node, "-e", script], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return dict(zip(PALETTE, json.loads(out.stdout), strict=True))


def test_the_dark_theme_gives_every_colour_of_the_light_one_a_twin() -> None:
    light = variables(APP_CSS[: APP_CSS.index("@media (prefers-color-scheme: dark)")])
    dark_at = APP_CSS.index("@media (prefers-color-scheme: dark)")
    dark = variables(APP_CSS[dark_at : APP_CSS.index("}", dark_at)])
    assert set(light) == set(dark)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_colours_meet_aa_on_their_backgrounds(theme: str) -> None:
    colours = themes()[theme]
    weak = {
        f"{text} on {background}": round(contrast(colours[text], colours[background]), 2)
        for text, background in PAIRS
        if contrast(colours[text], colours[background]) < AA
    }
    assert weak == {}


def test_label_chips_are_written_in_an_ink_that_meets_aa_on_every_palette_colour() -> None:
    inks = ink_chosen_by_the_page()
    weak = {c: round(contrast(inks[c], c), 2) for c in PALETTE if contrast(inks[c], c) < AA}
    assert weak == {}
    assert "color: var(--ent-ink" in WORKSPACE_CSS  # the chip uses that ink


def test_any_colour_an_admin_picks_gets_a_chip_ink_that_meets_aa() -> None:
    worst = min(max(contrast(c, "#000000"), contrast(c, "#ffffff")) for c in grey_and_hues())
    assert worst >= AA


def grey_and_hues() -> list[str]:
    return [f"#{r:02x}{g:02x}{b:02x}" for r in range(0, 256, 17) for g in range(0, 256, 17)
            for b in range(0, 256, 17)]  # fmt: skip


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_inside_an_entity_span_meets_aa_for_every_palette_colour(theme: str) -> None:
    colours = themes()[theme]
    share = float(
        re.search(r"var\(--ent-colour, #ccc\) (\d+)%, var\(--ent-mix\)", WORKSPACE_CSS)[1]
    )
    backgrounds = {c: mix(c, colours["ent-mix"], share / 100) for c in PALETTE}
    weak = {
        c: round(contrast(colours["ink"], bg), 2)
        for c, bg in backgrounds.items()
        if contrast(colours["ink"], bg) < AA
    }
    assert weak == {}


def test_pressed_sentiment_buttons_are_white_on_a_dark_enough_colour() -> None:
    pressed = re.findall(
        r'\.sentiment-choice\.sentiment-\w+\[aria-pressed="true"\] \{ background: (#[0-9a-f]{6})',
        WORKSPACE_CSS,
    )
    assert len(pressed) == 4
    assert all(contrast("#ffffff", colour) >= AA for colour in pressed)


def test_boilerplate_text_uses_the_muted_colour_checked_above() -> None:
    assert ".ws-doc .para.boilerplate .para-text { color: var(--muted);" in WORKSPACE_CSS
    assert ".doc .para.boilerplate { color: var(--muted);" in APP_CSS

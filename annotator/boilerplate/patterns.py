"""Pure pattern functions of boilerplate rules: validate a pattern, and match paragraph text.

A regex is matched with the `regex` package, whose matches take a timeout, rather than with
`re`, which has none. Deciding ahead of time whether a pattern backtracks catastrophically is
unreliable (it depends on the text), so every match is bounded instead: at the form, the
pattern must answer quickly on texts built to make backtracking explode; while a project is
scanned, the whole scan has a time budget; at import, each match has a short timeout.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

log = logging.getLogger(__name__)

KINDS = ("exact", "prefix", "regex")
#: Long enough for any real boilerplate line, short enough to read in the rule list.
MAX_PATTERN = 200
#: What a scan of a whole project may take before the pattern is called too slow.
SCAN_SECONDS = 3.0
#: One paragraph's match at import time.
IMPORT_MATCH_SECONDS = 0.05
#: Texts on which a catastrophically backtracking pattern shows itself at once.
PROBES = tuple(c * 3000 + end for c in ("a", " ", "0", ".") for end in ("!", "\n", ""))
PROBE_SECONDS = 0.05
#: How many copies of its atoms a regex may ask for through counted repeats, nested ones
#: multiplied (`(ab){3}` asks for 6). The `regex` package compiles a repeat's minimum as that
#: many copies: `x{99999999}`, twelve characters, took a server worker to 23 GB. A
#: hundred thousand copies compile in 0.03 s and 30 MB; no boilerplate line needs more.
MAX_COPIES = 100_000


class PatternError(ValueError):
    """A pattern that cannot be a rule; the message is for the form."""


class PatternTooSlow(PatternError):
    """A regex that took longer than its budget on real or probe text."""


def normalise(text: str) -> str:
    """Whitespace-normalised text: runs of whitespace become one space, ends trimmed."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Pattern:
    kind: str
    pattern: str


def validate(kind: str, pattern: str) -> Pattern:
    """The pattern as a rule keeps it, or a PatternError saying what is wrong."""
    if kind not in KINDS:
        raise PatternError(f"The kind must be one of {', '.join(KINDS)}.")
    if kind != "regex":
        pattern = normalise(pattern)
    if not pattern.strip():
        raise PatternError("The pattern is empty.")
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"The pattern is longer than {MAX_PATTERN} characters.")
    if kind == "regex":
        if copies(pattern) > MAX_COPIES:
            raise PatternError(
                "The regular expression repeats too much: counted repeats such as {1000} "
                f"may ask for {MAX_COPIES:,} characters at most, nested ones multiplied."
            )
        _probe(_compiled(pattern))
    return Pattern(kind, pattern)


#: A counted repeat's numbers in regex syntax: {m}, {m,}, {m,n} or {,n}.
_COUNTED = re.compile(r"\{(\d*)(?:,(\d*))?\}")


def copies(pattern: str) -> int:
    """How many atoms the pattern's counted repeats ask the compiler for, at most: each
    repeat multiplies what it repeats (an atom, a class or a group) by its least count,
    nested repeats multiply. Read without parsing the full syntax, erring high: a brace
    that is literal text (`a{x}`) is not a repeat, one escaped (`\\{`) or in a class never is."""
    stack = [0]  # per open group: how many atoms so far
    last = 0  # the size of the atom, class or group just read
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            last = 1
            stack[-1] += 1
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
            last = 1
            stack[-1] += 1
            continue
        if char == "(":
            stack.append(0)
        elif char == ")" and len(stack) > 1:
            inner = stack.pop()
            last = max(inner, 1)
            stack[-1] += last
        elif (counted := _repeat_at(pattern, i)) is not None:
            times = max(int(counted.group(1) or 0), 1)
            stack[-1] += last * (times - 1)
            last *= times
            i = counted.end()
            continue
        else:
            last = 1
            stack[-1] += 1
        i += 1
    return sum(stack)


def _repeat_at(pattern: str, i: int) -> re.Match[str] | None:
    """The counted repeat at i, if one is: `{}` is literal text."""
    counted = _COUNTED.match(pattern, i)
    return counted if counted is not None and counted.group(1, 2) != ("", None) else None


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class opening at `start` (nested classes of VERSION1
    syntax included), or the pattern's end."""
    depth = 0
    i = start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth += 1
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                i += 1  # a ] first in the class is a literal
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _compiled(pattern: str) -> regex.Pattern[str]:
    """The compiled regex, or a PatternError. `regex` is imported by the first rule that
    needs it, not by every start of the app, whose forms name this module."""
    import regex

    try:
        return regex.compile(pattern, regex.VERSION0)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        # ValueError: flags that contradict each other, "(?V1)" against VERSION0.
        raise PatternError(f"The regular expression does not compile: {exc}.") from None


def _probe(compiled: regex.Pattern[str]) -> None:
    for text in PROBES:
        try:
            compiled.search(text, timeout=PROBE_SECONDS)
        except TimeoutError:
            raise PatternTooSlow(
                "The regular expression backtracks too much (nested repetition such as "
                "(a+)+ makes matching take forever); simplify it."
            ) from None


Matcher = Callable[[str], bool]


def matcher(rule: Pattern, seconds: float | None = SCAN_SECONDS) -> Matcher:
    """A function telling whether paragraph text matches. With `seconds`, the matcher's
    regex matches together may take that long before PatternTooSlow; without, each match
    gets IMPORT_MATCH_SECONDS and a match that times out counts as no match."""
    if rule.kind == "exact":
        return lambda text: normalise(text) == rule.pattern
    if rule.kind == "prefix":
        return lambda text: normalise(text).startswith(rule.pattern)
    compiled = _compiled(rule.pattern)
    if seconds is None:
        return lambda text: _search_or_false(compiled, text)
    return _budgeted(compiled, time.monotonic() + seconds)


def _budgeted(compiled: regex.Pattern[str], deadline: float) -> Matcher:
    def matches(text: str) -> bool:
        left = deadline - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            return compiled.search(text, timeout=left) is not None
        except TimeoutError:
            raise PatternTooSlow(
                "The regular expression took too long on this project's paragraphs; "
                "simplify it or anchor it (^ … $)."
            ) from None

    return matches


def _search_or_false(compiled: regex.Pattern[str], text: str) -> bool:
    try:
        return compiled.search(text, timeout=IMPORT_MATCH_SECONDS) is not None
    except TimeoutError:
        log.warning("boilerplate rule %r timed out on a paragraph: not applied", compiled.pattern)
        return False

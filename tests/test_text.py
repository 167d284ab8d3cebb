"""Pure text rules: paragraphs, boilerplate, hashes and offsets."""

import hashlib
import json

import pytest

from annotator.text import (
    content_hash,
    from_utf16,
    guess_source,
    is_single_line_boilerplate,
    mark_boilerplate,
    normalise_line,
    normalise_newlines,
    span_error,
    split_title_and_body,
    to_utf16,
    unstorable_path,
    utf16_reader,
    utf16_writer,
)


def test_line_endings_are_normalised_and_nothing_else_changes() -> None:
    assert normalise_newlines("a\r\nb\rc\n  d ") == "a\nb\nc\n  d "


def test_first_non_empty_line_is_the_title_and_each_line_a_paragraph() -> None:
    title, body = split_title_and_body("\n\n  Title here \r\nFirst para.\n\n  Second para. \n")
    assert title == "Title here"
    assert body == ["First para.", "  Second para. "]  # paragraph text is kept exactly


@pytest.mark.parametrize(
    "line",
    [
        "Read More: China, Japan, South Korea Aim to Hold Summit in May, Reports Say",
        "--With assistance from Jacob Gu.",
        "—With assistance from Jacob Gu and Ann Lee.",
        "(Updates with details of talks from South Korea.)",
        "(Adds analyst comment in fifth paragraph.)",
        "©2024 Bloomberg L.P.",
        "Copyright 2024 The Associated Press. All rights reserved.",
        "To contact the reporter on this story: Jane Doe in Seoul",
    ],
)
def test_single_line_boilerplate_is_recognised(line: str) -> None:
    assert is_single_line_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "He urged South Korea to “abide by the one-China principle,” the statement said.",
        "Readers asked more questions (and got answers).",
        "The copyright dispute went to court on Monday.",
    ],
)
def test_ordinary_paragraphs_are_not_boilerplate(line: str) -> None:
    assert not is_single_line_boilerplate(line)


def test_promo_block_marks_its_headlines_but_stops_at_the_next_sentence() -> None:
    drafts = mark_boilerplate(
        [
            "(Bloomberg) -- A body paragraph that ends like a sentence.",
            "Most Read from Bloomberg",
            "Trump Vows ‘Day One’ Executive Order Targeting Offshore Wind",
            "‘The Caitlin Clark Effect Is Real,’ and It’s Already Changing the WNBA",
            "South Korea’s Foreign Minister met China’s Wang Yi on Monday.",
            "A Headline-Like Line After Body Text Stays Content",
        ]
    )
    assert [d.is_boilerplate for d in drafts] == [False, True, True, True, False, False]


def test_dateline_names_the_source() -> None:
    assert guess_source(["(Bloomberg) -- The top diplomats met."]) == "Bloomberg"
    assert guess_source(["No dateline here."]) is None


def test_content_hash_depends_on_title_and_every_paragraph() -> None:
    base = content_hash("T", ["a", "b"])
    assert base == content_hash("T", ["a", "b"])
    assert base != content_hash("T", ["a", "b "])
    assert base != content_hash("T", ["ab"])
    assert base != content_hash("T2", ["a", "b"])


def _json_hash(title: str, paragraphs: list[str]) -> str:
    """content_hash as first written: SHA-256 of compact JSON, what stored hashes hold."""
    payload = json.dumps([title, paragraphs], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def test_content_hash_is_the_sha256_of_the_articles_compact_json() -> None:
    assert content_hash("T", ["plain", "café ☕ 𝄞"]) == (
        "69f2b800acd96e9d2849b62c8228678b81c6ccdce01b7a9dc8f8098ffedfeae4"
    )
    assert content_hash("Titre “é”", ['a "quoted" line', "tab\there"]) == (
        "7c2b4899ea6d44b75bf5629c675acb1ed45c971fe3226377cda635c207b3f9cd"
    )
    assert content_hash("T", []) == (
        "27da84dce025152d762dfb3a36d4f651dc9260174df21dfd3f62b24670e63f67"
    )


def test_content_hash_writes_every_character_as_json_does() -> None:
    chars = [chr(point) for point in [*range(0x800), 0x2028, 0xFEFF, 0xFFFF, 0x1F600]]
    for char in chars:
        for title, paragraphs in ((f"T{char}", ["a", "b"]), ("T", ["a", f"b{char}c"])):
            assert content_hash(title, paragraphs) == _json_hash(title, paragraphs), hex(ord(char))


def test_content_hash_of_a_lone_surrogate_fails_as_before() -> None:
    with pytest.raises(UnicodeEncodeError, match="position 8"):
        content_hash("T", ["a\ud800"])


def test_span_error_accepts_code_point_spans_only() -> None:
    text = "😀 Wang Yi 𠀋"
    assert text[2:9] == "Wang Yi"
    assert span_error(text, 2, 9) is None
    assert span_error(text, 0, len(text)) is None
    assert span_error(text, 3, 3) is not None
    assert span_error(text, -1, 2) is not None
    assert span_error(text, 0, len(text) + 1) is not None
    assert span_error(text, "2", 9) == "offsets must be integers"
    assert span_error(text, True, 9) == "offsets must be integers"


def test_utf16_offsets_convert_both_ways_around_astral_characters() -> None:
    text = "😀 Wang Yi 𠀋 e\u0301 北京"
    for offset in range(len(text) + 1):
        units = to_utf16(text, offset)
        assert units == len(text[:offset].encode("utf-16-le")) // 2
        assert from_utf16(text, units) == offset
    assert from_utf16(text, 1) is None  # inside the surrogate pair of 😀
    assert from_utf16(text, len(text.encode("utf-16-le")) // 2 + 1) is None
    assert to_utf16("plain", 3) == 3 and from_utf16("plain", 9) is None


@pytest.mark.parametrize(
    "text", ["plain", "café – “quoted”", "😀 Wang Yi 𠀋 e\u0301 北京 😀", "lone \ud800 😀 end", ""]
)
def test_utf16_writer_converts_every_offset_as_to_utf16_does(text: str) -> None:
    units = utf16_writer(text)
    for offset in range(-2, len(text) + 3):  # outside the text too: the same as slicing gives
        assert units(offset) == to_utf16(text, offset), offset


@pytest.mark.parametrize(
    "text",
    ["plain", "", "Marcus Müller in Zürich, 北京", "😀 Wang Yi 𠀋 e\u0301 北京", "a😀b😀", "😀"],
)
def test_a_reader_converts_each_offset_as_from_utf16_does(text: str) -> None:
    length, points = utf16_reader(text)
    assert length == len(text.encode("utf-16-le")) // 2
    assert [points(u) for u in range(-1, length + 2)] == [
        from_utf16(text, u) for u in range(-1, length + 2)
    ]


LONE = "\ud800"  # what the JSON escape "\ud800" decodes to: a lone surrogate


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"attributes": {"claimant": {"text": f"Wang {LONE}"}}}, "attributes.claimant.text"),
        ({"paragraphs": ["fine", "also fine", LONE]}, "paragraphs.2"),
        ({"meta": {LONE: "the key is the problem"}}, "meta.\\ud800"),
        ([{"a": "ok"}, {"b": ["x", "\udfff"]}], "1.b.1"),
        ("\udc80 a bare string", ""),
    ],
)
def test_the_path_of_text_that_cannot_be_encoded_is_named(value: object, path: str) -> None:
    assert unstorable_path(value) == path


def test_the_first_bad_text_in_document_order_is_named() -> None:
    value = {"a": {"b": LONE}, LONE: 1, "c": [LONE]}
    assert unstorable_path(value) == "a.b"


@pytest.mark.parametrize(
    "value",
    [
        {"text": "Cho Tae-yul 조태열 said 😀", "n": 3, "ok": True, "none": None},
        ["\U0001f600 is a surrogate pair in UTF-16, one code point here"],
        "",
        {},
        12.5,
    ],
)
def test_text_that_can_be_stored_passes(value: object) -> None:
    assert unstorable_path(value) is None


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    value: object = LONE
    for _ in range(100_000):
        value = [value]
    assert unstorable_path(value) == ".".join(["0"] * 100_000)


def test_a_normal_line_is_returned_itself_and_untidy_space_collapses() -> None:
    line = "Share this “article” now."
    assert normalise_line(line) is line
    assert normalise_line(" Share  this\tarticle ") == "Share this article"
    assert normalise_line("a\u00a0b\u2028c\x1cd") == "a b c d"
    assert normalise_line("") == ""
    assert normalise_line("   ") == ""


def test_normalising_any_separator_agrees_with_split_and_join() -> None:
    """The fast path for a normal line rests on this: str.split splits on no printable
    character but the ASCII space. Then any code point between two words, and any that may be
    space at either end, normalises as split and join do (the others take the slow path)."""
    chars = [chr(point) for point in range(0x110000)]
    assert [c for c in chars if c.isspace() and c.isprintable() and c != " "] == []
    texts = [f"a{c}b" for c in chars]
    texts += [t for c in chars if c.isspace() for t in (c + "ab", "ab" + c, c)]
    assert list(map(normalise_line, texts)) == [" ".join(t.split()) for t in texts]

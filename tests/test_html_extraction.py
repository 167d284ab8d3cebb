"""Saved web pages: trafilatura finds the article; markup, navigation and footers never become text.

Each page in tests/data/boilerplate/html/ has beside it NAME.expected.json: the exact title,
author, date, site and source, the article's paragraphs in order, and phrases from its
navigation, banners, asides, comments and footer that must not be stored as content.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from annotator.ingest import IngestError, parse_html_article, parse_named_file
from annotator.webpage import PageError, decode_page, read_page

PAGES = Path(__file__).parent / "data" / "boilerplate" / "html"
SAVED = sorted(PAGES.glob("*.html"))
ARTICLE = (
    "<p>Le café de François coûte 3 € - «cher», dit-il, mais la terrasse est pleine tous les "
    "soirs d'été, et les voisins viennent y lire le journal du matin.</p>"
)


def expected(page: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(page.with_suffix(".expected.json").read_text("utf-8"))
    return loaded


def is_in_order(wanted: list[str], found: list[str]) -> bool:
    remaining = iter(found)
    return all(any(text == candidate for candidate in remaining) for text in wanted)


def test_there_are_at_least_eight_house_styles_each_with_its_expectations() -> None:
    assert len(SAVED) >= 8
    assert all(page.with_suffix(".expected.json").is_file() for page in SAVED)


@pytest.mark.parametrize("page", SAVED, ids=[p.stem for p in SAVED])
def test_saved_page_gives_the_article_and_what_is_said_about_it(page: Path) -> None:
    want = expected(page)
    draft = parse_html_article(page.name, page.read_bytes())
    assert draft.title == want["title"]
    assert draft.meta.get("author") == want["author"]
    assert draft.published == (date.fromisoformat(want["published"]) if want["published"] else None)
    assert draft.meta.get("site") == want["site"]
    assert draft.source == want["source"]
    assert draft.external_id == page.stem


@pytest.mark.parametrize("page", SAVED, ids=[p.stem for p in SAVED])
def test_saved_page_keeps_the_paragraphs_and_stores_no_furniture_as_content(page: Path) -> None:
    want = expected(page)
    draft = parse_html_article(page.name, page.read_bytes())
    content = [p.text for p in draft.paragraphs if not p.is_boilerplate]
    assert is_in_order(want["paragraphs"], content), content
    for phrase in want["not_content"]:
        assert not [text for text in content if phrase in text], phrase
    assert not [text for text in content if "<" in text and ">" in text]


HOSTILE = b"""<!DOCTYPE html><html><head>
<title>Budget <b>vote</b> &amp; <script>alert('t')</script>reaction</title>
<script>document.cookie = 'x'; alert("head")</script>
<style>body { background: url("javascript:alert(1)") }</style>
</head><body onload="alert('load')">
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<p onclick="alert('p')">The council <b>approved</b> the <a href="javascript:alert(1)"
 onmouseover="steal()">budget</a> by <span><em>31 votes</em> to <strong>9</strong></span> on
 Tuesday night.</p>
<p>Entities decode: caf&eacute;, &#8220;quoted&#8221;, &#x1F600;, AT&amp;T and
 non&nbsp;breaking.</p>
<script>var s = "</p><p>injected paragraph</p>"; alert(s);</script>
<!-- <p>commented-out paragraph</p> -->
<p>Residents will see the changes in their <![CDATA[ hidden cdata ]]>April bills, officials
 said.</p>
<p><img src=x onerror="alert('img')">Critics said the rise was too small to help schools.</p>
<style>p { color: red }</style>
<p>The mayor thanked staff for <svg onload="alert(2)"><script>alert(3)</script></svg>their work.</p>
<noscript><p>Please enable JavaScript</p></noscript>
<iframe src="javascript:alert(4)"><p>iframe text</p></iframe>
</article>
<footer>Copyright 2024 Example</footer>
</body></html>"""


def test_a_hostile_page_gives_text_only() -> None:
    page = read_page(HOSTILE)
    assert page.title == "Budget vote & reaction"
    assert page.paragraphs == [
        "The council approved the budget by 31 votes to 9 on Tuesday night.",
        "Entities decode: café, “quoted”, 😀, AT&T and non breaking.",
        "Residents will see the changes in their April bills, officials said.",
        "Critics said the rise was too small to help schools.",
        "The mayor thanked staff for their work.",
    ]
    stored = " ".join([page.title, *page.paragraphs])
    for trace in ("<", "alert", "onclick", "steal", "cookie", "CDATA", "injected", "commented"):
        assert trace not in stored


def test_a_title_holding_markup_is_stored_as_its_text() -> None:
    markup = (
        b"<html><head><title>Only <b>markup</b> &amp; <i>title</i></title></head><body><div>"
        + b"<p>"
        + b"A paragraph long enough to count as the article for the extractor to find it. " * 3
        + b"</p></div></body></html>"
    )
    assert read_page(markup).title == "Only markup & title"


def test_text_that_looks_like_markup_is_kept_as_the_page_shows_it() -> None:
    shown = (
        "<p>To send, press &lt;Enter&gt;; the &lt;div&gt; element then wraps "
        "&lt;script&gt;alert('x')&lt;/script&gt;, which the page shows as text, as it is here "
        "for the readers of this tutorial on escaping.</p>"
    )
    page = read_page(page_in("", ARTICLE + shown).encode("utf-8"))
    assert page.paragraphs[-1] == (
        "To send, press <Enter>; the <div> element then wraps <script>alert('x')</script>, "
        "which the page shows as text, as it is here for the readers of this tutorial on "
        "escaping."
    )


def test_a_headline_that_reads_like_a_tag_is_a_title_not_a_missing_one() -> None:
    markup = (
        "<html><head><title>&lt;img src=x onerror=alert(1)&gt;</title></head><body><article>"
        + ARTICLE
        + "</article></body></html>"
    )
    assert read_page(markup.encode("utf-8")).title == "<img src=x onerror=alert(1)>"


def page_in(head: str, text: str = ARTICLE) -> str:
    body = f"<body><article>{text}</article></body>"
    return f"<html><head>{head}<title>Cafe</title></head>{body}</html>"


ENCODED = {
    "meta": (page_in('<meta charset="windows-1252">').encode("cp1252"), "coûte 3 €"),
    # The standard reads "ISO-8859-1" as windows-1252, where € is 0x80.
    "http-equiv": (
        page_in('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">').encode(
            "cp1252"
        ),
        "coûte 3 €",
    ),
    "shift_jis": (
        page_in('<meta charset="shift_jis">', "<p>東京で会談</p>").encode("sjis"),
        "東京",
    ),
    "sjis-as-cp932": (page_in('<meta charset="shift_jis">', "<p>①号</p>").encode("cp932"), "①号"),
    "gb2312-as-gbk": (page_in('<meta charset="gb2312">', "<p>朱镕基</p>").encode("gbk"), "朱镕基"),
    "utf16-bom": (b"\xff\xfe" + page_in("").encode("utf-16-le"), "coûte 3 €"),
    "utf8-bom": (b"\xef\xbb\xbf" + page_in("").encode("utf-8"), "coûte 3 €"),
    "utf8": (page_in("").encode("utf-8"), "coûte 3 €"),  # no declaration: UTF-8 first
    "cp1252": (page_in("").encode("cp1252"), "coûte 3 €"),  # not UTF-8: windows-1252
    "lie": (page_in('<meta charset="utf-8">').encode("cp1252"), "coûte 3 €"),
    "bogus": (page_in('<meta charset="no-such-charset">').encode("utf-8"), "coûte 3 €"),
    # Python knows these; no browser decodes with them: as if the page named none. "base64"
    # was a traceback (a 500 on the upload page); "unicode_escape" read \\u0041 as A.
    **{
        f"not-web-{name}": (page_in(f'<meta charset="{name}">').encode("utf-8"), "coûte 3 €")
        for name in ("base64", "hex", "zlib", "rot13", "undefined", "unicode_escape", "utf-7")
    },
    # Labels of the web's encodings that Python's codec names do not know.
    "windows-874": (
        page_in('<meta charset="windows-874">', "<p>รัฐบาล</p>").encode("cp874"),
        "รัฐบาล",
    ),
    "iso-8859-8-i": (
        page_in('<meta charset="ISO-8859-8-I">', "<p>הממשלה</p>").encode("iso-8859-8"),
        "הממשלה",
    ),
    "x-sjis": (page_in('<meta charset="x-sjis">', "<p>日銀</p>").encode("cp932"), "日銀"),
    "x-gbk": (page_in('<meta charset="x-gbk">', "<p>国务院</p>").encode("gbk"), "国务院"),
    "big5-is-hkscs": (
        page_in('<meta charset="big5">', "<p>「啲樓價仲係咁貴」</p>").encode("big5hkscs"),
        "啲樓價仲係咁貴",
    ),
    # A stray byte is one U+FFFD: the page still reads as it declares, as in a browser.
    "stray-byte": (
        page_in('<meta charset="windows-1251">', "<p>Центробанк сохранил ставку STRAY</p>")
        .encode("cp1251")
        .replace(b"STRAY", b"\x98"),  # a byte windows-1251 leaves undefined
        "Центробанк сохранил ставку",
    ),
    "utf8-with-a-latin1-byte": (
        page_in('<meta charset="utf-8">', "<p>café déjà vu, naïve Zoë.</p><p>cafSTRAY</p>")
        .encode("utf-8")
        .replace(b"STRAY", b"\xe9"),  # an ad's Latin-1 e-acute
        "café déjà vu, naïve Zoë.",
    ),
    # A page saved as UTF-8 whose <meta> still names its old encoding is UTF-8 ("И" is
    # D0 98 in UTF-8, and 0x98 is undefined in windows-1251).
    "utf8-meta-says-1251": (
        page_in('<meta charset="windows-1251">', "<p>Известия: Иран и Индия</p>").encode(),
        "Известия: Иран и Индия",
    ),
    # A declaration past the first 4 KB, after a long inline style, still counts.
    "late-meta": (
        page_in(
            f'<style>{"p { color: red; } " * 400}</style><meta charset="windows-1251">',
            "<p>Центробанк сохранил ставку.</p>",
        ).encode("cp1251"),
        "Центробанк",
    ),
    # No declaration and not UTF-8: a script windows-1252 would garble is guessed...
    "guessed-cyrillic": (
        page_in("", "<p>Банк России в пятницу сохранил ключевую ставку на уровне 16%.</p>").encode(
            "cp1251"
        ),
        "Банк России",
    ),
    # ... while a Latin page stays windows-1252 (a guess took French for Baltic).
    "latin-stays-1252": (
        page_in("", "<p>Le café de François coûte 3 € à l'été, déjà très cher.</p>").encode(
            "cp1252"
        ),
        "Le café de François coûte 3 € à l'été",
    ),
    "escape-kept": (
        page_in('<meta charset="unicode_escape">', r"<p>\u0041 stays</p>").encode("utf-8"),
        r"\u0041 stays",
    ),
}


@pytest.mark.parametrize(("data", "wanted"), list(ENCODED.values()), ids=list(ENCODED))
def test_encoding_follows_bom_then_declaration_then_utf8_then_windows_1252(
    data: bytes, wanted: str
) -> None:
    assert wanted in decode_page(data)


def test_an_xml_declaration_names_the_encoding_and_does_not_trip_the_parser() -> None:
    data = ('<?xml version="1.0" encoding="iso-8859-15"?>' + page_in("")).encode("iso-8859-15")
    assert read_page(data).paragraphs[0].startswith("Le café de François coûte 3 €")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \r\n ", "the file is empty"),
        (b"just some words, not a page", "no HTML in the file"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text found"),
        (b"<html><head><title>T</title></head><body></body></html>", "no article text found"),
        (bytes(range(256)) * 20, "no article text found"),
        (
            b"<html><body><div><p>" + b"Text without any title at all here. " * 5 + b"</p></div>",
            "no title",
        ),
    ],
    ids=["empty", "blank", "no-markup", "nav-only", "no-body", "binary", "no-title"],
)
def test_a_page_without_an_article_is_refused_naming_the_file_and_why(
    data: bytes, reason: str
) -> None:
    with pytest.raises(IngestError) as caught:
        parse_named_file("saved/page.html", data)
    assert str(caught.value).startswith("saved/page.html: ")
    assert reason in str(caught.value)


def test_read_page_raises_page_errors_only() -> None:
    with pytest.raises(PageError):
        read_page(b"<html></html>")


def test_htm_files_are_pages_too() -> None:
    page = SAVED[0]
    assert parse_named_file("copy.HTM", page.read_bytes())[0].title == expected(page)["title"]


def test_trafilatura_is_imported_only_when_a_page_is_read() -> None:
    script = (
        "import sys\n"
        "from annotator import create_app\n"
        "create_app({'DATABASE_URL': 'sqlite://', 'SECRET_KEY': 'x' * 32})\n"
        "print(sorted(m for m in ('trafilatura', 'lxml') if m in sys.modules))\n"
    )
    root = Path(__file__).parent.parent
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root
    ).stdout
    assert output.strip().splitlines()[-1] == "[]"


def test_control_characters_never_reach_the_text() -> None:
    sentence = b"Councillors approved the plan after a long debate that ran past midnight. "
    data = (
        b"<html><head><title>Vote\x00 night</title></head><body><article><p>"
        + sentence * 3
        + b"</p><p>A bell\x07 and an escape\x1b were in this paragraph of the article body.</p>"
        + b"</article></body></html>"
    )
    page = read_page(data)
    assert page.title == "Vote night"
    assert page.paragraphs[1] == "A bell and an escape were in this paragraph of the article body."


def test_a_page_the_parser_gives_up_on_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def give_up(*args: object, **kwargs: object) -> None:
        raise ValueError("Document is empty")

    monkeypatch.setattr(trafilatura, "bare_extraction", give_up)
    with pytest.raises(IngestError, match=r"^soup\.html: the page cannot be read as HTML"):
        parse_named_file("soup.html", b"<html><p>soup</p></html>")


def test_extracted_paragraphs_go_through_the_boilerplate_marking() -> None:
    sentence = "Councillors approved the plan after a long debate that ran past midnight. "
    markup = (
        "<html><head><title>Vote night</title></head><body><article>"
        f"<p>{sentence * 3}</p><p>Read More: How the council budget works</p>"
        f"<p>{sentence * 2}</p><p>© 2024 Example News</p></article></body></html>"
    )
    draft = parse_named_file("vote.html", markup.encode("utf-8"))[0]
    flags = {p.text: p.is_boilerplate for p in draft.paragraphs}
    assert flags["Read More: How the council budget works"] is True
    assert flags["© 2024 Example News"] is True
    assert flags[(sentence * 3).strip()] is False


LONG = "The first paragraph of the story is long enough to count as real content here."


@pytest.mark.parametrize(
    ("markup", "wanted"),
    [
        ("<p>Our office: 1 High St<br>London<br>UK.</p>", ["Our office: 1 High St London UK."]),
        (
            "<blockquote><p>Quoted one matter.</p><p>Quoted two.</p></blockquote>",
            ["Quoted one matter.", "Quoted two."],
        ),
        (
            "<ul><li>Outer<ul><li>inner</li></ul></li><li>Second item</li></ul>",
            ["Outer", "inner", "Second item"],
        ),
        ("<p>Some <b>bold</b> and <a href='x'>a link</a>.</p>", ["Some bold and a link."]),
        # A CMS that writes <br><br> between paragraphs means a paragraph break.
        (
            "<p>Vote held.<br><br>\nThe mayor signed.<br> <br><br>It takes effect.</p>",
            ["Vote held.", "The mayor signed.", "It takes effect."],
        ),
    ],
)
def test_a_page_reads_as_a_reader_sees_it_no_word_glued_or_repeated(
    markup: str, wanted: list[str]
) -> None:
    """Each block's text was joined as it came: a <br> glued the words on either side, a
    quote's paragraphs ran into one, and a list inside an item was read twice."""
    page = read_page(page_in("", f"<h1>Cafe</h1><p>{LONG}</p>{markup}").encode("utf-8"))
    assert page.paragraphs == [LONG, *wanted]


def test_paragraphs_in_wrappers_at_any_depth_are_all_imported() -> None:
    """trafilatura keeps a page's <div> wrappers around its paragraphs; only the body's own
    blocks were read, so this story kept its one paragraph outside the wrapper."""
    paragraphs = [
        f"Paragraph {n} of a story that is long enough to be real content." for n in "1234"
    ]
    inner = "".join(f'<div class="para">{p}</div>\n' for p in paragraphs[:3])
    page = read_page(
        (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Port strike</title>'
            f'</head><body>\n<div class="article"><h1>Port strike</h1>\n{inner}</div>\n'
            f"<p>{paragraphs[3]}</p>\n</body></html>"
        ).encode()
    )
    assert page.paragraphs == paragraphs


def test_what_a_reader_never_sees_is_not_imported() -> None:
    """trafilatura read <p hidden> and <template> content as the article's."""
    markup = (
        f"<h1>Cafe</h1><p>{LONG}</p><p hidden>A hidden paragraph.</p>"
        "<template><p>A template's paragraph.</p></template>"
        "<p>Seen <span hidden>unseen </span>words.</p>"
    )
    page = read_page(page_in("", markup).encode("utf-8"))
    assert page.paragraphs == [LONG, "Seen words."]


def test_a_headline_broken_by_two_line_breaks_reads_as_one_line() -> None:
    page = read_page(
        page_in("", f"<h1>Port strike<br><br>enters third week</h1><p>{LONG}</p>")
        .replace("<title>Cafe</title>", "")
        .encode("utf-8")
    )
    assert page.title == "Port strike enters third week"
    assert page.paragraphs == [LONG]


def _short_page(title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body><article>{body}</article></body></html>".encode()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            _short_page(
                "Sorry – we can’t find that page",
                "The page you are looking for may have been moved, deleted or never existed.",
            ),
            "an error page",
        ),
        (
            _short_page(
                "We value your privacy",
                "We and our 238 partners store and access information on a device, such as "
                "cookies, and process personal data.",
                "You can click 'Accept all' to agree, or 'Reject all' to refuse.",
            ),
            "a cookie-consent page",
        ),
        (
            _short_page(
                "Central banks prepare for higher rates",
                "Subscribe to unlock this article. Try unlimited access for $1 for 4 weeks.",
                "Explore our full range of subscriptions. Already a subscriber? Sign in.",
            ),
            "a subscription offer",
        ),
    ],
    ids=["error-page", "consent-wall", "paywall"],
)
def test_what_was_saved_instead_of_the_article_is_refused_saying_what_it_is(
    data: bytes, reason: str
) -> None:
    with pytest.raises(PageError, match=reason):
        read_page(data)


@pytest.mark.parametrize(
    "data",
    [
        _short_page("Missing hiker not found after three days", "Rescuers searched the hills."),
        _short_page(
            "Union votes to reject all offers",
            "The union voted to reject all offers, saying the cookie factory must pay more.",
        ),
        _short_page(
            "Streaming service raises subscription prices",
            "Subscribers will pay $2 more a month, and new subscribers $3.",
        ),
    ],
    ids=["not-found-in-a-headline", "cookie-factory", "subscriptions-story"],
)
def test_a_short_story_about_such_things_is_still_an_article(data: bytes) -> None:
    assert read_page(data).paragraphs


def test_screen_reader_text_and_pull_quotes_are_not_the_story() -> None:
    """Screen-reader text ("(opens in new window)") was glued to the sentence before it, and
    a pull quote repeated a line of the story as a paragraph of its own."""
    markup = (
        f"<h1>Cafe</h1><p>{LONG}</p>"
        '<blockquote class="pullquote">“sweeping powers”</blockquote>'
        '<p>They gave the governor sweeping powers.<span class="sr-only"> (opens in new window)'
        "</span></p>"
        '<aside class="pull-quote"><p>“We had no choice,” the governor said.</p></aside>'
    )
    page = read_page(page_in("", markup).encode("utf-8"))
    assert page.paragraphs == [LONG, "They gave the governor sweeping powers."]

"""Saved web pages: decode them as a browser would, then extract the article with trafilatura.

trafilatura (and lxml under it) is imported only when a page is read, so start-up stays fast.
Only text leaves this module: trafilatura drops scripts, styles, comments, navigation and
footers; paragraphs are the text nodes of what is left, metadata is cleaned of markup, and
every string of control characters. What reads like a tag in a paragraph is text the page
shows (it wrote &lt;Enter&gt;), kept as such: the app renders every string as text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from annotator.text import unstorable_path
from annotator.web_encodings import codec_of_label, guessed_codec

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Browsers look for the declared charset in the first 1,024 bytes; saved pages sometimes
#: carry a longer preamble (a "saved from" comment, a script), so we look a little further.
PRESCAN_BYTES = 4096
META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
XML_ENCODING = re.compile(rb"""<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
#: A declaration past the prescan is still honoured within the head (a browser meeting it
#: while parsing decodes the page again): a long inline style or script can come first.
HEAD_BYTES = 65536
HEAD_END = re.compile(rb"</head\s*>", re.I)
#: Of the non-ASCII characters a declared encoding reads, the share that may fail before
#: the declaration is taken for a lie: stray bytes (an ad's Latin-1 e-acute in a UTF-8
#: page) are U+FFFD, as in a browser, and the rest of the page reads as declared; a page
#: whose accents nearly all fail (windows-1252 declared as UTF-8) is read as what it is.
STRAY_SHARE = 0.5
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
TAG = re.compile(r"</?[A-Za-z!][^<>]*>")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SPACES = re.compile(r"\s+")
#: A <br> while a block's text is gathered: a space, or with another one a paragraph break.
#: NUL: lxml holds none in a page's text, so it can only be ours.
LINE_BREAK = "\x00"
#: Two <br> in a row, marked in the page before trafilatura reads it (it folds them into
#: one inside a <p>): two private-use characters in a row, which no font or text pairs.
BREAKS_MARK = "\ue000\ue001"
PARAGRAPH_BREAK = re.compile(r"\x00\s*\x00[\s\x00]*|[\s\x00]*(?:\ue000\ue001[\s\x00]*)+")
#: What trafilatura's body holds as one block each; a list gives one paragraph per item.
BLOCKS = {"p", "head", "quote", "item", "code"}
NO_TEXT = (
    "no article text found in the page (is it a saved article, not an index or an error page?)"
)


#: What is left of a page that holds no article, however little of it there is: an error
#: page's title, a consent wall's wording, a paywall's offer. A page this short that says so
#: is not imported as an article.
NOT_AN_ARTICLE_CHARS = 1500
ERROR_TITLE = re.compile(
    r"\b404\b|\bpage\s+not\s+found\b|^\s*not\s+found\b|\bcan[’']?t\s+find\s+(?:that|this|the)\s+page"
    r"|\bpage\s+(?:does\s+not|doesn[’']?t)\s+exist|\bpage\s+(?:is\s+)?no\s+longer\s+available"
    r"|seite\s+nicht\s+gefunden|page\s+introuvable|página\s+no\s+encontrada"
    r"|pagina\s+non\s+trovata|página\s+não\s+encontrada|страница\s+не\s+найдена"
    r"|页面不存在|找不到页面|ページが見つかりません",
    re.I,
)
#: An error page's own words, where its title was cut at a dash ("Sorry – we can't …").
ERROR_TEXT = re.compile(
    r"\bthe\s+page\s+you\s+(?:are|were|have\s+been)\s+looking\s+for\b|\bthe\s+page\s+you\s+requested\b"
    r"|\bpage\s+(?:may\s+have\s+been|has\s+been|was)\s+(?:re)?moved\b",
    re.I,
)
#: A consent wall speaks of cookies (or privacy) and asks for a choice about them.
CONSENT_TOPIC = re.compile(r"\bcookies?\b|\bwe\s+value\s+your\s+privacy\b", re.I)
#: ... and offers its choices: two of these at least ("Accept all" and "Reject all").
CONSENT_CHOICES = [
    re.compile(pattern, re.I)
    for pattern in (
        r"\bwe\s+value\s+your\s+privacy\b",
        r"\baccept\s+all\b",
        r"\b(?:reject|refuse|decline)\s+all\b",
        r"\bmanage\s+(?:your\s+)?(?:choices|preferences|consent|options|settings)\b",
        r"\bpartners\s+(?:store|use)\b",
    )
]
#: A paywall's offer: every paragraph about subscribing or signing in, one of them asking.
PAYWALL = re.compile(
    r"\bsubscri(?:be|bers?|ptions?)\b|\bunlock\b|\bsign\s+in\b|\blog\s*in\b|\bfree\s+trial\b"
    r"|\bunlimited\s+access\b",
    re.I,
)
PAYWALL_ASK = re.compile(
    r"\bunlock\s+(?:this|the\s+full)\s+(?:article|story)\b|\bto\s+continue\s+reading\b"
    r"|\balready\s+a\s+subscriber\b|\bfor\s+subscribers\s+only\b|\bsubscribers?[-\s]only\b"
    r"|\bsubscribe\s+(?:now\s+)?to\s+(?:read|continue|unlock|access)\b",
    re.I,
)


class PageError(ValueError):
    """A page that cannot be imported, with the reason in words a user can act on."""


@dataclass
class Page:
    """What a saved page holds: the article's title, paragraphs and what is said about it."""

    title: str
    paragraphs: list[str]
    author: str | None = None
    published: date | None = None
    site: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def read_page(data: bytes) -> Page:
    """The article in a saved page, or a PageError saying why there is none."""
    if not data.strip():
        raise PageError("the file is empty")
    markup = decode_page(data)
    if "<" not in markup:
        raise PageError("no HTML in the file (save the page as HTML, or import it as .txt)")
    return extract_page(markup)


def decode_page(data: bytes) -> str:
    """The page's text, decoded as a browser would: its BOM; else UTF-8 if it is (a saved
    page is often UTF-8 whatever its <meta> still says, and text in another encoding is
    practically never valid UTF-8); else its declared charset, a stray byte read as U+FFFD;
    else the encoding its text reads as (web_encodings.guessed_codec), or windows-1252, the
    web's legacy default."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    if declared is not None:
        text = data.decode(declared, errors="replace")
        if _mostly_read(text, data, declared):
            return text
    return data.decode(guessed_codec(data) or "cp1252", errors="replace")


def _mostly_read(text: str, data: bytes, codec: str) -> bool:
    """Whether the codec read the page but for stray bytes (STRAY_SHARE): of the non-ASCII
    characters it gave, how many are U+FFFD for bytes it could not read (not counting a
    U+FFFD the page itself holds)."""
    failed = text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")
    if failed == 0:
        return True
    non_ascii = sum(1 for char in text if char > "\x7f")
    return failed / non_ascii <= STRAY_SHARE


def declared_encoding(data: bytes) -> str | None:
    """The codec a <meta> tag or XML declaration in the page's head names, if browsers
    decode with it: looked for where browsers look first, then in the rest of the head."""
    head = data[:PRESCAN_BYTES]
    match = META_CHARSET.search(head) or XML_ENCODING.search(head)
    if match is None:
        end = HEAD_END.search(data, 0, HEAD_BYTES)
        head = data[: end.start() if end else HEAD_BYTES]
        match = META_CHARSET.search(head)
    if match is None:
        return None
    return codec_of_label(match.group(1).decode("ascii"))


def extract_page(markup: str) -> Page:
    """Title, paragraphs and metadata of the article in a decoded page."""
    import trafilatura  # lazily: only an HTML import pays for lxml and trafilatura
    from lxml.etree import LxmlError

    markup = XML_DECLARATION.sub("", markup, count=1)  # lxml refuses str with an encoding
    document: Any = None
    try:
        tree = trafilatura.load_html(markup)  # None: nothing lxml can read as a page
        if tree is not None:
            document = trafilatura.bare_extraction(
                _seen(tree),
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                include_images=False,
                include_links=False,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
    except (ValueError, TypeError, LxmlError, RecursionError) as exc:  # byte soup lxml gives up on
        raise PageError(f"the page cannot be read as HTML ({type(exc).__name__})") from None
    if document is None or document.body is None:
        raise PageError(NO_TEXT)
    return _page(document)


#: The classes CMSs give text a sighted reader never sees (screen-reader text such as "(opens
#: in new window)", glued to the sentence before it) and pull quotes, which repeat a line of
#: the story in large type.
UNSEEN_CLASSES = (
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
    "screen-reader-only",
    "pullquote",
    "pull-quote",
    "wp-block-pullquote",
)
#: What a reader never sees as the story's text: a template's content, an element marked
#: hidden, and the classes above.
UNSEEN = " | ".join(
    [
        "//template",
        "//*[@hidden]",
        *(
            f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
            for name in UNSEEN_CLASSES
        ),
    ]
)


def _seen(tree: Any) -> Any:
    """The tree without what a reader never sees, keeping the text that follows each
    element: trafilatura reads <p hidden> and <template> content as the article's. Two
    line breaks in a row are marked as the paragraph break a reader sees."""
    for element in tree.xpath(UNSEEN):
        if element.getparent() is not None:
            element.drop_tree()
    for br in tree.iter("br"):
        after = br.getnext()
        if after is not None and after.tag == "br" and not (br.tail or "").strip():
            br.tail = BREAKS_MARK + (br.tail or "")
    return tree


def _page(document: Any) -> Page:
    title = clean_text(document.title or "")
    paragraphs = [text for text in map(plain_text, _blocks(document.body)) if text]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline, repeated as the page's first heading
    if not paragraphs:
        raise PageError(NO_TEXT)
    if not title:
        raise PageError("no title found (the page has no <title>, <h1> or og:title)")
    _refuse_what_is_no_article(title, paragraphs)
    _refuse_unencodable([title, *paragraphs])
    author, site = clean_text(document.author or ""), clean_text(document.sitename or "")
    meta = {key: value for key, value in (("author", author), ("site", site)) if value}
    if document.url:
        meta["url"] = clean_text(document.url)
    return Page(title, paragraphs, author or None, _date(document.date), site or None, meta)


def _blocks(body: Any) -> list[str]:
    """Each block's text, inline tags flattened; a list gives one paragraph per item, and a
    block holding blocks (a quote of paragraphs, an item with a list in it) one per block."""
    texts: list[str] = []
    _walk(body, texts)
    return texts


def _walk(container: Any, texts: list[str]) -> None:
    """The blocks of a container (the body, or a <div> trafilatura kept around part of the
    article) in reading order, those of the containers in it at any depth included. Only
    the body's own blocks were read before: a page whose paragraphs sat in a wrapper kept
    one paragraph of five, or none. Text outside any block is what trafilatura left of the
    page's chrome (a body of <nav>Home</nav>), as before."""
    for child in container:
        if child.tag in BLOCKS or child.tag == "list":
            _collect(child, texts)
        elif any(e.tag in BLOCKS or e.tag == "list" for e in child.iterdescendants()):
            _walk(child, texts)


def _collect(element: Any, texts: list[str]) -> None:
    """The element's paragraphs, appended in reading order: its own text, then each block
    nested in it."""
    if element.tag == "list":
        for item in element:
            if item.tag == "item":
                _collect(item, texts)
        return
    own: list[str] = []
    nested: list[str] = []
    _inline(element, own, nested)
    if element.tag == "head":  # a heading is one line, however it was broken
        texts.append("".join(own).replace(LINE_BREAK, " "))
    else:
        texts.extend(_split_at_breaks("".join(own)))
    texts.extend(nested)


def _inline(element: Any, own: list[str], nested: list[str]) -> None:
    """The element's inline text into `own`; the paragraphs of blocks in it into `nested`."""
    own.append(element.text or "")
    for child in element:
        if child.tag in BLOCKS or child.tag == "list":
            _collect(child, nested)
        else:
            if child.tag == "lb":
                own.append(LINE_BREAK)
            _inline(child, own, nested)
        own.append(child.tail or "")


def _split_at_breaks(text: str) -> list[str]:
    """A block's text as a reader sees it: two line breaks or more in a row (whitespace
    between) start a new paragraph, as CMSs that write <br><br> for one mean it; one line
    break is a space ("1 High St<br>London" was "1 High StLondon")."""
    return [part.replace(LINE_BREAK, " ") for part in PARAGRAPH_BREAK.split(text)]


def clean_text(text: str) -> str:
    """One line of plain text from a metadata field (title, author, site): no markup left,
    no control characters, single spaces. A <title> holds its markup as text (a browser
    shows "<b>" there), which a page means as markup; a field that is nothing but what looks
    like markup (a headline reading "<img …>") is text, and kept as such."""
    stripped = plain_text(TAG.sub(" ", SCRIPT_OR_STYLE.sub(" ", text)))
    return stripped or plain_text(text)


def plain_text(text: str) -> str:
    """One line of text as the page shows it: no control characters, single spaces. What
    looks like a tag in a paragraph's text was written as text (&lt;Enter&gt;): the page's
    real tags were parsed away with its markup, and what is left is never rendered as HTML."""
    return SPACES.sub(" ", CONTROL.sub("", text.replace(BREAKS_MARK, " "))).strip()


def _refuse_what_is_no_article(title: str, paragraphs: list[str]) -> None:
    """A short page that is an error page, a cookie wall or a paywall's offer is what was
    saved instead of the article: it would be annotated as one, so say what it is."""
    if sum(map(len, paragraphs)) > NOT_AN_ARTICLE_CHARS:
        return
    text = " ".join([title, *paragraphs])
    if ERROR_TITLE.search(title) or ERROR_TEXT.search(text):
        raise PageError(f"an error page ({title!r}), not an article: save the article's own page")
    choices = sum(1 for choice in CONSENT_CHOICES if choice.search(text))
    if CONSENT_TOPIC.search(text) and choices >= 2:
        raise PageError(
            "a cookie-consent page, not the article: save the page again once you have "
            "accepted or refused the cookies"
        )
    if PAYWALL_ASK.search(text) and all(PAYWALL.search(p) for p in paragraphs):
        raise PageError(
            "a subscription offer, not the article: its text is behind the paywall; save the "
            "page while signed in"
        )


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _refuse_unencodable(texts: list[str]) -> None:
    if unstorable_path(texts) is not None:
        raise PageError("the page holds text that cannot be encoded as UTF-8 (a lone surrogate)")

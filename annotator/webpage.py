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
#: As the HTML standard says: these labels mean windows-1252, and a declared UTF-16 in an
#: ASCII-readable meta tag cannot be true, so it means UTF-8.
LABEL_MEANS = {"latin_1": "cp1252", "ascii": "cp1252", "utf_16": "utf_8"}
LABEL_MEANS |= {"utf_16_le": "utf_8", "utf_16_be": "utf_8", "iso8859_1": "cp1252"}
#: ... and these legacy labels mean the larger code page that pages labelled so really use.
LABEL_MEANS |= {"gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932"}
LABEL_MEANS |= {"iso8859_11": "cp874", "tis_620": "cp874", "iso8859_9": "cp1254"}
#: The encodings of the web (the WHATWG Encoding Standard's), by Python's names, after
#: LABEL_MEANS. Python knows others a page could name but no browser decodes with:
#: "base64" or "zlib" (not text: a traceback), "unicode_escape" (reads \\u0041 in the text
#: as A), "utf-7". A page naming one is decoded as if it named none.
WEB_ENCODINGS = frozenset(
    {"utf_8", "cp866", "koi8_r", "koi8_u", "mac_roman", "mac_cyrillic", "cp874"}
    | {f"iso8859_{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)}
    | {f"cp125{n}" for n in range(9)}
    | {"gb18030", "big5", "big5hkscs", "euc_jp", "iso2022_jp", "cp932", "cp949"}
)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
TAG = re.compile(r"</?[A-Za-z!][^<>]*>")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SPACES = re.compile(r"\s+")
#: What trafilatura's body holds as one block each; a list gives one paragraph per item.
BLOCKS = {"p", "head", "quote", "item", "code"}
NO_TEXT = (
    "no article text found in the page (is it a saved article, not an index or an error page?)"
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
    """The page's text, decoded as a browser would: BOM, then declared charset, then UTF-8,
    then windows-1252 (the web's legacy default, which never fails)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = declared_encoding(data[:PRESCAN_BYTES])
    for encoding in dict.fromkeys(e for e in (declared, "utf-8", "cp1252") if e):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode(declared or "cp1252", errors="replace")


def declared_encoding(head: bytes) -> str | None:
    """The charset a <meta> tag or XML declaration names, if it is one of the web's."""
    match = META_CHARSET.search(head) or XML_ENCODING.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name.replace("-", "_")
    except LookupError:
        return None
    name = LABEL_MEANS.get(name, name)
    return name if name in WEB_ENCODINGS else None


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


#: What a browser never shows: a template's content, and an element marked hidden.
UNSEEN = "//template | //*[@hidden]"


def _seen(tree: Any) -> Any:
    """The tree without what a reader never sees, keeping the text that follows each
    element: trafilatura reads <p hidden> and <template> content as the article's."""
    for element in tree.xpath(UNSEEN):
        if element.getparent() is not None:
            element.drop_tree()
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
    for element in body:
        if element.tag in BLOCKS or element.tag == "list":
            _collect(element, texts)
    return texts


def _collect(element: Any, texts: list[str]) -> None:
    """The element's paragraphs, appended in reading order: its own text, then each block
    nested in it. A line break is a space: "1 High St<br>London" was "1 High StLondon"."""
    if element.tag == "list":
        for item in element:
            if item.tag == "item":
                _collect(item, texts)
        return
    own: list[str] = []
    nested: list[str] = []
    _inline(element, own, nested)
    texts.append("".join(own))
    texts.extend(nested)


def _inline(element: Any, own: list[str], nested: list[str]) -> None:
    """The element's inline text into `own`; the paragraphs of blocks in it into `nested`."""
    own.append(element.text or "")
    for child in element:
        if child.tag in BLOCKS or child.tag == "list":
            _collect(child, nested)
        else:
            if child.tag == "lb":
                own.append(" ")
            _inline(child, own, nested)
        own.append(child.tail or "")


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
    return SPACES.sub(" ", CONTROL.sub("", text)).strip()


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _refuse_unencodable(texts: list[str]) -> None:
    if unstorable_path(texts) is not None:
        raise PageError("the page holds text that cannot be encoded as UTF-8 (a lone surrogate)")

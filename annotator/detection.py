"""Built-in boilerplate detection: which paragraphs of a news article are not the story, and
who sent it.

Pure functions over paragraph texts, shared by every importer (plain text, JSONL, saved HTML).
The rules describe the shapes of news boilerplate across publishers (promo headers with their
headline lists, credits, share and ad slots, newsletter and privacy notices, copyright lines)
rather than one site's strings; a site's own footers are caught by corpus learning instead
(``repeated_lines`` here, applied to stored articles by ``annotator.repeats``).

Precision comes first: a flagged paragraph is hidden from annotators, so each rule is anchored
to the whole line or its start, and a paragraph longer than ``LONG_PARAGRAPH`` is never flagged
by a rule: prose that quotes "read more" or "share" stays content.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence

from annotator.text import MAX_LEARNED_CHARS, normalise_line

#: Longer than this, a paragraph is prose: no rule flags it.
LONG_PARAGRAPH = 400
#: A promo block's headlines: short lines that do not end like a sentence.
HEADLINE_MAX_CHARS = 160
PROMO_MAX_HEADLINES = 12
#: How a sentence ends, once closing quotes and brackets are set aside; "?" and "!" end
#: headlines as often as sentences.
SENTENCE_END = tuple(".:;")
CLOSERS = "\"'”’)]» "
#: A repeated line this short that introduces prose is the story's own subheading.
SUBHEADING_MAX_CHARS = 60

_I = re.I

#: A line that is only a promo header: what follows it, while it looks like headlines, is promo.
PROMO_HEADER = re.compile(
    r"^\s*(?:"
    r"(?:the\s+)?most\s+(?:read|popular|viewed|shared|commented|watched)\b.{0,60}"
    r"|related(?:\s+(?:coverage|stories|articles|topics|content|links|reading|news))?"
    r"|more\s+(?:from|on|in|stories|news|coverage|about)\b.{0,60}"
    r"|explore\s+more(?:\s+on\s+th(?:ese|is)\s+topics?)?"
    r"|trending(?:\s+(?:now|stories|news|today))?"
    r"|recommended(?:\s+(?:for\s+you|stories|reading|articles|videos?))?"
    r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)"
    r"|(?:read|watch|see)\s+(?:more|next|also)"
    r"|(?:top|latest|popular|featured|editor'?s?’?s?)\s+(?:stories|news|picks|now|headlines)"
    r"|popular\s+on\b.{0,40}|what\s+to\s+read\s+next|don'?’?t\s+miss|key\s+events"
    r"|in\s+case\s+you\s+missed\s+it|further\s+reading|also\s+on\b.{0,40}"
    r"|letters?\s+in\s+response\s+to\s+this\s+(?:article|story|piece)"
    r")\s*[:…]?\s*$",
    _I,
)

#: Lines that are boilerplate on their own, wherever they stand (each anchored at the start).
SINGLE_LINE_BOILERPLATE = [
    # a labelled link to another story: "Related: …", "Read more: …", "Watch: …"
    re.compile(
        r"^\s*(?:related|read\s+(?:more|next|also)|also\s+read|see\s+also|more|watch|listen"
        r"|recommended|further\s+reading|more\s+on\s+this\s+story)\s*:",
        _I,
    ),
    # share, save and comment buttons
    re.compile(
        r"^\s*(?:share(?:\s+this(?:\s+(?:article|story|post|page|video))?)?|share\s+on\s+\w+"
        r"|share\s+via\b.*|tweet|email|print|copy\s+link|save(?:\s+article)?|comments?"
        r"|comments\s+are\s+closed|reuse\s+this\s+content|view\s+comments|show\s+key\s+events"
        r"(?:\s+only)?|join\s+the\s+(?:conversation|discussion|debate)|comments?\s*\(\d[\d,]*\)"
        r"|\d[\d,]*\s+comments?)\s*[.!]?\s*$",
        _I,
    ),
    # ad slots
    re.compile(
        r"^\s*(?:advertisement|advertising|adverts?|sponsored(?:\s+content)?|ad"
        r"|(?:story|article)\s+continues\s+(?:below|after\s+(?:the\s+)?(?:advertisement|ad))"
        r"(?:\s+advertisement)?|skip\s+(?:past\s+)?(?:the\s+)?(?:advertisement|newsletter"
        r"\s+promotion)|after\s+newsletter\s+promotion)\s*[.:]?\s*$",
        _I,
    ),
    # separators: ___  ***  ---  • • •
    re.compile(r"^\s*(?:[-_*=~•·#]\s*){3,}$"),
    # credits
    re.compile(
        r"^\s*\(?\s*(?i:(?:additional\s+)?(?:reporting|writing|editing|edited|reported|compiled"
        r"|research|produced|fact[- ]checking)\s+by)\s+[A-Z\u00c0-\u024f]"
    ),
    re.compile(r"^\s*[-—–]{1,2}\s*With\s+assistance\s+from\b", _I),
    re.compile(r"^\s*To\s+contact\s+the\s+(?:reporters?|editors?|writers?)\b", _I),
    re.compile(r"^\s*(?:Got|Have)\s+a\s+(?:story|news\s+tip|tip)\b.{0,40}\?", _I),
    # update and correction notes: "(Updates with …)", "This article was amended on …"
    re.compile(r"^\s*\((?:Updates?|Adds?|Recasts?|Corrects?|Changes?)\b.*\)\.?\s*$", _I),
    re.compile(
        r"^\s*(?:This|A\s+version\s+of\s+this)\s+(?:article|story|piece|post|report)\b.{0,120}?"
        r"\b(?:originally|first)\s+(?:published|appeared)|^\s*This\s+(?:article|story|piece)"
        r"\s+(?:appears|appeared|was\s+amended|was\s+updated|has\s+been\s+(?:updated|amended)"
        r"|has\s+been\s+corrected|was\s+corrected|is\s+more\s+than)\b",
        _I,
    ),
    # bylines and timestamps of blogs and live blogs: "Posted by … · 6 min read", "Updated at 13.45"
    re.compile(
        r"^\s*(?:Last\s+)?(?:Updated|Published|Posted|First\s+published)\b.{0,70}(?<![.!?])$"
    ),
    re.compile(r"^\s*Please\s+(?:turn\s+on|enable)\s+JavaScript\b", _I),
    # a paywall's teaser where the story stops: "This article is for subscribers only. …"
    re.compile(
        r"^\s*(?:This\s+(?:article|story|content)\s+is\s+(?:for|available\s+(?:only\s+)?to)"
        r"\s+(?:paying\s+)?subscribers(?:\s+only)?\b|Already\s+a\s+subscriber\s*\?\s*(?:$|Sign\s+in|Log\s*in)"
        r"|Subscribe\s+(?:now\s+)?(?:to|for)\b.{0,80}\b(?:continue\s+reading|read\s+the\s+full"
        r"|unlimited\s+access)|To\s+continue\s+reading\b.{0,80}\b(?:subscribe|sign\s+in|log\s*in))",
        _I,
    ),
    # section labels and tags: "Opinion", "Topics: Tennis, Madrid Open", "Filed under: …"
    re.compile(
        r"^\s*(?:Opinion|Comment|Analysis|Editorial|Exclusive|Breaking(?:\s+news)?|Explainer"
        r"|Partner\s+content|Paid\s+content|Letters?)\s*$",
        _I,
    ),
    re.compile(r"^\s*(?:Topics|Tags|Filed\s+under|Categories|Keywords|More\s+about)\s*:", _I),
    # disclaimers, contacts and press-release furniture
    re.compile(
        r"^\s*(?:Media|Press|Investor|News)(?:\s+relations)?\s+(?:contacts?|enquiries"
        r"|inquiries)\s*:|^\s*SOURCE\s+[A-Z]|^\s*Forward[- ]Looking\s+Statements?\s*$"
        r"|^\s*(?:This|The)\s+(?:press\s+)?(?:release|announcement|communication)\s+"
        r"(?:contains|includes|may\s+contain)\s+forward[- ]looking",
        _I,
    ),
    # calls to action that point elsewhere: "Download the … app", "Find more … at https://…"
    re.compile(r"^\s*Download\s+(?:the|our)\b.{0,80}\bapp\b", _I),
    re.compile(
        r"^\s*(?:Find|See|Read|Get|Visit|Discover|Explore)\b.{0,150}(?:https?://|www\.)", _I
    ),
    # copyright, in any form
    re.compile(r"^\s*(?:©|\(c\)\s*\d|Copyright\s*(?:©|\(c\)|\d{4}|by\b))", _I),
]


#: Rules that search anywhere in the line, each behind the words it needs: a quick
#: substring test on the lower-cased line spares the regular expression on most prose.
KEYWORD_RULES: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    (
        ("contributed",),
        re.compile(
            r"\bcontributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article)\.?\s*$", _I
        ),
    ),
    (("read",), re.compile(r"\b\d+\s*min(?:ute)?s?\s+read\s*$", _I)),
    (
        ("expressed",),
        re.compile(
            r"\bviews\s+expressed\b.{0,60}\b(?:author|writer|contributor)s?['’]?s?\s+own\b", _I
        ),
    ),
    # copyright anywhere in the line: "… © 2024 Coastline Media Ltd", "All rights reserved."
    (
        ("©", "(c)", "rights"),
        re.compile(r"(?:©|\(c\))\s*\d{4}|\bAll\s+rights\s+reserved\s*(?:\.|$)", _I),
    ),
    # newsletter sign-ups and e-mail furniture
    (
        ("unsubscribe", "forwarded", "inbox", "preferences", "subscribe", "reply", "email", "sign"),
        re.compile(
            r"\bunsubscribe\b|\bforwarded\s+this\b|\b(?:in|to)\s+your\s+inbox\b"
            r"|\bmanage\s+(?:your\s+)?preferences\b|\bsubscribe\s+(?:now|here|today)\b"
            r"|\breply\s+to\s+this\s+email\b|\bthis\s+email\s+because\b|\bsign(?:ed)?\s+up\s+here\b",
            _I,
        ),
    ),
    # privacy and cookie notices
    (
        ("privacy", "cookie", "recaptcha"),
        re.compile(
            r"^\s*(?:Privacy|Cookies?)(?:\s+(?:Notice|Policy|Statement|Settings))?\s*:"
            r"|\bwe\s+use\s+cookies\s+(?:to|and|on)\b|\breCaptcha\b",
            _I,
        ),
    ),
]

#: "Sign up to …" is a promo only when it is about newsletters, alerts and the like.
SIGN_UP = re.compile(r"^\s*Sign\s+up\s+(?:to|for|now)\b", _I)
SIGN_UP_PROMO = re.compile(
    r"\b(?:newsletter|inbox|e-?mail|alerts?|free|weekly|daily|briefing|digest)\b", _I
)
#: "Follow …" is a promo only when it points at a social network or an address.
FOLLOW = re.compile(r"^\s*Follow\b", _I)
FOLLOW_PROMO = re.compile(
    r"\b(?:Facebook|Twitter|X|Instagram|TikTok|Threads|Bluesky|LinkedIn|YouTube|WhatsApp"
    r"|Telegram|Mastodon)\b|https?://|www\.|@\w"
)
#: Picture credits and captions: "Photograph: …", "Illustration by …", "Image source, …".
IMAGE_CAPTION = re.compile(
    r"^\s*(?:Photo(?:graph)?s?|Pictures?|Images?|Illustrations?|Video|Graphic|Caption"
    r"|Image\s+(?:source|caption))\s*[:,]",
    _I,
)
#: A caption whose credit ends it: "Sewage outflow on the River Wye. Photograph: Tom Price/
#: The Chronicle" (a credit, with no full stop after it).
CREDIT_AT_END = re.compile(
    r"\b(?:Photo(?:graph)?s?|Pictures?|Images?|Illustrations?)\s*:\s*[^.:]{2,80}/[^.:]{2,60}$",
    _I,
)
IMAGE_BY = re.compile(
    r"^\s*\(?(?:Photo(?:graph)?s?|Pictures?|Illustrations?|Artwork|Graphics?|Video)\s+by\s+[A-Z]",
    _I,
)
#: A bare credit: "Jordan Pettitt/PA", "(AP Photo/Evan Vucci)".
BARE_CREDIT = re.compile(
    r"^\s*\(?[A-Z][a-z'’-]+(?:\s+[A-Z][\w'’-]+){1,3}\s*/\s*[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}\)?\s*$"
    r"|^\s*\(?(?:AP|AFP|Getty)\s+Photo"
    r"|^\s*(?:Getty\s+Images|AFP|Reuters|AP|PA(?:\s+Media|\s+Wire)?|EPA|Shutterstock|Alamy"
    r"|Bloomberg)(?:\s+via\s+[\w .]+)?\s*$"
)

#: A wire dateline naming its source: "ROTTERDAM, March 3 (Newswire) -", "(Agency) --",
#: "NAIROBI, Kenya (Continental Press) —".
DATELINE_SOURCE = re.compile(
    r"^\s*(?:(?:[A-Z\u00c0-\u00deА-ЯЁΑ-Ω][A-Z\u00c0-\u00deА-ЯЁΑ-Ω.'’ -]{1,40}"  # CITY in capitals
    # or a City written so, before an agency in capitals or dpa's own lower case: "Paris (AFP)"
    r"|[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+(?:[ -][A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+){0,2}"
    r"(?=\s*\((?:[A-Z]{2,}|dpa)\)))"
    r"(?:,\s*\w[\w.]*(?:\s+[\w.]+){0,3}){0,3}\s*)?"  # , Country, Month Day (any language)
    r"(?:\(([A-Z][^()]{1,40}|dpa)\)|/([A-ZА-ЯЁ][^/]{1,40})/)"  # (Agency) or /Agency/
    r"\s*(?:\.?\s*(?:--?|—|–)|\.(?=\s))"  # then a dash (".-" in Spanish), or /TASS/.
    # Xinhua's and China News Service's own: "新华社北京7月16日电"
    r"|^\s*(新华社|中新社)\w{0,12}电"
)
#: A byline standing alone: "By Tom Reyes", "By Ruth Adeyemi, a former city planner".
BYLINE = re.compile(r"^\s*By\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,4}\s*(?:[,|·].{0,60})?$")
#: "About Nimbus Software" heads a press release's boilerplate paragraph about the company.
ABOUT_HEADER = re.compile(r"^\s*About\s+((?:[A-Z0-9][\w&.'’-]*\s*){1,6})$")
ABOUT_MAX_CHARS = 700


#: How every rule that reads a line from its start begins: at the start, past any space.
LINE_START = r"^\s*"


def _any_at_start(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str]:
    r"""One expression that matches where any of the patterns matches, each keeping its own
    case rule: one call into the regular-expression engine instead of one per pattern.

    Each pattern begins with LINE_START, which the combined expression reads once for all:
    ``^\s*(?:A|B)`` matches a line where ``^\s*A`` or ``^\s*B`` does (the space skipped is
    the same choice either way), and skipping it once per line instead of once per pattern
    is a sixth of the match (issue 13's import). Only whether it matches is meant."""
    if any(p.flags & ~(re.I | re.U) for p in patterns):
        raise ValueError("only case-insensitivity can be carried into a combined pattern")
    if not all(p.pattern.startswith(LINE_START) for p in patterns):
        raise ValueError(f"each pattern must begin with {LINE_START}")
    rests = "|".join(
        f"(?{'i' if p.flags & re.I else ''}:{p.pattern[len(LINE_START) :]})" for p in patterns
    )
    return re.compile(f"{LINE_START}(?:{rests})")


#: The same furniture in the newsrooms' other languages (German, French, Spanish, Italian,
#: Portuguese, Dutch, Polish, Russian, Ukrainian, Turkish, Arabic, Chinese, Japanese,
#: Korean). Such a line is short: these rules read only lines of at most
#: FURNITURE_MAX_CHARS, so the prose paragraphs of an import do not pay for them.
FURNITURE_MAX_CHARS = 200
OTHER_LANGUAGES_AT_START = [
    # a labelled link to another story ("Lesen Sie auch: …", "Читайте также: …",
    # "相关阅读：…"), alone or before a colon, a dash or a quote mark; an ad slot or a
    # share button alone on its line
    re.compile(
        r"^\s*(?:lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|auch\s+interessant|weiterlesen"
        r"|das\s+könnte\s+sie\s+auch\s+interessieren|[àa]\s+lire\s+(?:aussi|également)"
        r"|lire\s+(?:aussi|également|la\s+suite)|voir\s+aussi|sur\s+le\s+même\s+sujet"
        r"|le[ea]\s+también|leer\s+más|te\s+puede\s+interesar|noticias?\s+relacionadas?"
        r"|leggi\s+anche|potrebbe\s+interessarti|leia\s+(?:também|mais)|veja\s+também"
        r"|saiba\s+mais|lees\s+(?:ook|meer)|czytaj\s+(?:też|także|więcej)|zobacz\s+(?:też|także)"
        r"|читайте\s+(?:также|також|ещё|еще)|читать\s+также|смотрите\s+также|по\s+теме"
        r"|подробнее|ayrıca\s+okuyun|ilgili\s+haber(?:ler)?|اقرأ\s+(?:أيضا|أيضاً|ايضا|المزيد)"
        r"|مواضيع\s+ذات\s+صلة|相关(?:阅读|新闻|报道)|相關(?:閱讀|新聞|報導)|延伸(?:阅读|閱讀)"
        r"|推荐阅读|推薦閱讀|関連記事|あわせて読みたい|관련\s*기사|함께\s+보면\s+좋은\s+기사)"
        r"\s*(?:[:：»>—–-]|$)",
        _I,
    ),
    re.compile(
        r"^\s*(?:anzeige|werbung|publicité|publicidad|anuncio|pubblicità|publicidade"
        r"|advertentie|реклама|reklama|reklam|إعلان|广告|廣告|広告|광고"
        r"|teilen|partager(?:\s+sur\s+\w+)?|compartir(?:\s+en\s+\w+)?|condividi|compartilhar"
        r"|delen|поделиться|udostępnij|paylaş|شارك|分享|シェア|공유(?:하기)?)\s*[.:]?\s*$",
        _I,
    ),
    # picture credits: "Foto: Kay Nietfeld/dpa", "写真：共同", "사진=연합뉴스"
    re.compile(
        r"^\s*(?:Fotos?|Bild(?:er)?|Imagen|Immagine|Imagem|Фото|Zdjęcie|صورة|图片|圖片|写真)"
        r"\s*[:,：]|^\s*사진\s*=",
        _I,
    ),
]
_OTHER_LANGUAGES_AT_START = re.compile(
    "|".join(f"(?:{rule.pattern})" for rule in OTHER_LANGUAGES_AT_START), _I
)
#: "Follow us …", pointing at a social network or an address (FOLLOW_PROMO).
OTHER_LANGUAGES_FOLLOW = re.compile(
    r"^\s*(?:(?:Folgen\s+Sie|Folge\s+uns|Suivez|Síguenos|Seguici|Siga|Volg\s+ons"
    r"|Подписывайтесь|Подпишитесь|Следите\s+за|Obserwuj|Takip\s+edin|تابعونا|تابعوا)\b"
    r"|关注|關注|フォロー)",
    _I,
)
#: "All rights reserved", anywhere in the line.
OTHER_LANGUAGES_COPYRIGHT = re.compile(
    r"\bAlle\s+Rechte\s+vorbehalten|\bTous\s+droits\s+réservés"
    r"|\bTodos\s+los\s+derechos\s+reservados|\bTutti\s+i\s+diritti\s+riservati"
    r"|\bTodos\s+os\s+direitos\s+reservados|\bВсе\s+права\s+защищены"
    r"|\bWszelkie\s+prawa\s+zastrzeżone|\bTüm\s+hakları\s+saklıdır|جميع\s+الحقوق\s+محفوظة"
    r"|版权所有|版權所有|無断転載|무단\s*(?:전재|복제)",
    _I,
)


def is_other_language_furniture(text: str) -> bool:
    """A short line of furniture in another language than English (the rules above)."""
    if len(text) > FURNITURE_MAX_CHARS:
        return False
    if _OTHER_LANGUAGES_AT_START.match(text):
        return True
    if OTHER_LANGUAGES_FOLLOW.match(text) and FOLLOW_PROMO.search(text):
        return True
    return OTHER_LANGUAGES_COPYRIGHT.search(text) is not None


#: Every rule that reads a line from its start, as one expression. Most prose matches none
#: of them and holds no rule's keyword, and is then content whatever its neighbours: one
#: match in C where the rules one by one cost Python a call each (issue 13's import).
AT_START_RULES = [
    PROMO_HEADER,
    SIGN_UP,
    ABOUT_HEADER,
    *SINGLE_LINE_BOILERPLATE,
    FOLLOW,
    IMAGE_CAPTION,
    BARE_CREDIT,
    IMAGE_BY,
    BYLINE,
]
_AT_START = _any_at_start(AT_START_RULES)
_KEYWORDS = tuple(word for words, _ in KEYWORD_RULES for word in words)


def _may_be_boilerplate(text: str) -> bool:
    """False when no rule can flag the line on its own or open a block with it: no rule
    matches its start and it holds no keyword. True says only "ask the rules"."""
    if _AT_START.match(text) is not None or is_other_language_furniture(text):
        return True
    if len(text) <= FURNITURE_MAX_CHARS and CREDIT_AT_END.search(text.rstrip()):
        return True
    return len(text) <= LONG_PARAGRAPH and any(map(text.lower().__contains__, _KEYWORDS))


def boilerplate_flags(paragraphs: Sequence[str], repeated: Collection[str] = ()) -> list[bool]:
    """Whether each paragraph is boilerplate: by the rules, or because its normalised text is
    one of ``repeated`` (lines seen in many articles of the same source)."""
    return apply_repeated(paragraphs, rule_flags(paragraphs), repeated)


def apply_repeated(
    paragraphs: Sequence[str], flags: Sequence[bool], repeated: Collection[str]
) -> list[bool]:
    """``flags`` plus the paragraphs whose normalised text is in ``repeated``, except a short
    heading that introduces prose: a recurring "Also today" is the story's own subheading."""
    if not repeated:
        return list(flags)
    marked = [
        flag or normalise_line(text) in repeated
        for text, flag in zip(paragraphs, flags, strict=True)
    ]
    return [
        flag or (marked[index] and not _introduces_prose(paragraphs, marked, index))
        for index, flag in enumerate(flags)
    ]


def rule_flags(paragraphs: Sequence[str]) -> list[bool]:
    """The built-in rules alone: promo blocks (a header and the headlines after it), "About
    <company>" sections, and lines that are boilerplate on their own."""
    flags: list[bool] = []
    headlines_left = 0
    about: str | None = None
    for text in paragraphs:
        if not headlines_left and about is None and not _may_be_boilerplate(text):
            flags.append(False)  # what the rules below would say, at a fraction of the cost
            continue
        if is_promo_header(text):
            flags.append(True)
            headlines_left = PROMO_MAX_HEADLINES
            continue
        if headlines_left and looks_like_headline(text):
            flags.append(True)
            headlines_left -= 1
            continue
        headlines_left = 0
        if about is not None and _describes(text, about):
            flags.append(True)
            continue
        about = _about_subject(text)
        flags.append(about is not None or is_single_line_boilerplate(text))
    return flags


def _about_subject(text: str) -> str | None:
    match = ABOUT_HEADER.match(text)
    return match.group(1).strip() if match else None


def _describes(text: str, subject: str) -> bool:
    """The paragraph after "About Nimbus Software" that starts "Nimbus Software serves …"."""
    return len(text) <= ABOUT_MAX_CHARS and text.lstrip().startswith(subject)


def is_promo_header(text: str) -> bool:
    """A header such as "Most Popular", "Related coverage" or a newsletter's "Sign up to
    Football Daily" that introduces promoted links or a tagline."""
    if len(text) > HEADLINE_MAX_CHARS:
        return False
    if text.rstrip(CLOSERS).endswith((".", ";")):
        return False  # "More from the minister's speech was released." is a sentence
    return PROMO_HEADER.match(text) is not None or (
        SIGN_UP.match(text) is not None and _short_phrase(text)
    )


def looks_like_headline(text: str) -> bool:
    """Short and not ending like a sentence: a headline or a topic tag, not prose."""
    stripped = text.strip()
    return len(stripped) <= HEADLINE_MAX_CHARS and not _ends_sentence(stripped)


def _ends_sentence(text: str) -> bool:
    return text.rstrip(CLOSERS).endswith(SENTENCE_END)


def _introduces_prose(paragraphs: Sequence[str], flags: list[bool], index: int) -> bool:
    """A short heading followed by prose ("Also today", "What happens next?") is part of the
    story even when every issue of a newsletter repeats it."""
    text = paragraphs[index].strip()
    if len(text) > SUBHEADING_MAX_CHARS or _ends_sentence(text):
        return False
    following = index + 1
    return (
        following < len(paragraphs)
        and not flags[following]
        and (not looks_like_headline(paragraphs[following]))
    )


def is_single_line_boilerplate(text: str) -> bool:
    """True for a line that is boilerplate on its own (not part of a promo block)."""
    if len(text) > LONG_PARAGRAPH or not _may_be_boilerplate(text):
        return False
    if any(pattern.match(text) for pattern in SINGLE_LINE_BOILERPLATE):
        return True
    if is_other_language_furniture(text):
        return True
    lowered = text.lower()
    if any(
        any(word in lowered for word in words) and pattern.search(text)
        for words, pattern in KEYWORD_RULES
    ):
        return True
    return (
        _is_promo_sign_up(text)
        or _is_social_follow(text)
        or _is_picture_credit(text)
        or _is_byline(text)
    )


def _is_byline(text: str) -> bool:
    return len(text) <= 100 and BYLINE.match(text) is not None and not _ends_sentence(text)


def _is_promo_sign_up(text: str) -> bool:
    return SIGN_UP.match(text) is not None and (
        SIGN_UP_PROMO.search(text) is not None or _short_phrase(text)
    )


def _is_social_follow(text: str) -> bool:
    return FOLLOW.match(text) is not None and FOLLOW_PROMO.search(text) is not None


def _is_picture_credit(text: str) -> bool:
    if IMAGE_CAPTION.match(text) or BARE_CREDIT.match(text):
        return True
    if len(text) <= FURNITURE_MAX_CHARS and CREDIT_AT_END.search(text.rstrip()):
        return True
    # "Photograph by Ann Lee" is a credit; "Photograph by Ann Lee shows the quay." is prose.
    return IMAGE_BY.match(text) is not None and not text.rstrip().endswith(".")


def _short_phrase(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) <= 60 and not _ends_sentence(stripped)


def guess_source(paragraphs: Sequence[str]) -> str | None:
    """The agency named in a leading wire dateline ("LAGOS, Nigeria (Newswire) –", "(AP) —")."""
    for text in paragraphs[:3]:
        match = DATELINE_SOURCE.match(text)
        if match:
            return next(group for group in match.groups() if group).strip()
    return None


def repeated_lines(articles: Iterable[Sequence[str]], min_articles: int) -> set[str]:
    """The normalised lines that occur in at least ``min_articles`` of the given articles
    (each its paragraph texts, all of one source): a site's footers and promos.

    An article whose prose (what the rules leave as content) is mostly such lines is a copy
    (a later version of a story, the same story under another title), not a template: it is
    left out of the count, so three versions of one story do not make the story boilerplate.
    """
    texts = [list(paragraphs) for paragraphs in articles]
    first = _lines_in(texts, min_articles)
    if not first:
        return first
    originals = [lines for lines in texts if _share_of(lines, first) <= MAX_SHARED_SHARE]
    return _lines_in(originals, min_articles)


#: An article more than this share of whose characters are repeated lines is a copy.
MAX_SHARED_SHARE = 0.5


def _lines_in(articles: list[list[str]], min_articles: int) -> set[str]:
    seen: Counter[str] = Counter()
    for paragraphs in articles:
        seen.update({line for line in map(normalise_line, paragraphs) if _learnable(line)})
    return {line for line, count in seen.items() if count >= min_articles}


def _learnable(line: str) -> bool:
    return 0 < len(line) <= MAX_LEARNED_CHARS


def _share_of(paragraphs: list[str], repeated: set[str]) -> float:
    """The share of the article's content characters (by the rules) that are repeated lines."""
    prose = [p for p, flag in zip(paragraphs, rule_flags(paragraphs), strict=True) if not flag]
    total = sum(map(len, prose))
    shared = sum(len(p) for p in prose if normalise_line(p) in repeated)
    return shared / total if total else 0.0

"""Boilerplate rules, family by family: what each one flags, and the prose it must leave alone."""

import pytest

from annotator.detection import (
    _AT_START,
    AT_START_RULES,
    boilerplate_flags,
    guess_source,
    is_promo_header,
    is_single_line_boilerplate,
    normalise_line,
    repeated_lines,
)

PROSE = "The minister said the talks had been constructive and would continue next week."


def flags(*paragraphs: str, repeated: frozenset[str] = frozenset()) -> list[bool]:
    return boilerplate_flags(list(paragraphs), repeated)


# --- promo headers and the headlines after them ------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Most Popular",
        "Most Read from Bloomberg Businessweek",
        "Most viewed",
        "Related coverage",
        "Related topics",
        "More from The Quarterly",
        "More on this story",
        "Explore more on these topics",
        "Trending",
        "Trending now",
        "Recommended",
        "You may also like",
        "You might be interested in",
        "Read more:",
        "Read next",
        "Top stories",
        "Editor's picks",
        "Don't miss",
        "Key events",
        "Sign up to Football Daily",
    ],
)
def test_a_promo_header_and_its_headlines_are_boilerplate(header: str) -> None:
    got = flags(
        PROSE,
        header,
        "Chipmaker shares slide after export curbs widened",
        "Analysis: Can lithium prices recover?",
        "Artificial intelligence (AI)",
        "‘It's a scandal’: readers on the cost of renting",
        PROSE,
    )
    assert got == [False, True, True, True, True, True, False]


def test_a_promo_block_ends_where_prose_resumes_and_later_headings_stay_content() -> None:
    got = flags(
        "Most Popular",
        "Gold hits record as rate cut bets grow",
        "“The conditions were very difficult,” said coxswain Patch Harvey.",
        "What happens next?",
        PROSE,
    )
    assert got == [True, True, False, False, False]


@pytest.mark.parametrize(
    "line",
    [
        "Recommended reading for anyone interested in cities: Jane Jacobs, still.",
        "More from the minister's speech was released on Tuesday.",
        "Trending topics on social media included the election and the storm.",
        "Related parties must disclose their holdings, the regulator said.",
        "Most popular among voters was the pledge to cut fuel duty.",
    ],
)
def test_sentences_that_begin_like_a_promo_header_are_not_headers(line: str) -> None:
    assert not is_promo_header(line)
    assert flags(line, "A Short Headline-Like Line", PROSE) == [False, False, False]


# --- single-line promos, credits and furniture ------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # links to other stories
        "Related: Suez Canal revenue falls by half as carriers avoid the route",
        "Read more: Couple who won £1m say they still shop at discount supermarket",
        "READ MORE: Full list of train services cancelled today",
        "See also: How the BOJ ended negative rates",
        "Watch: Commuters react to the strike announcement",
        # credits
        "Reporting by Bart Meijer; Editing by Alex Richardson",
        "(Reporting by Gwladys Fouche; editing by Terje Solsvik)",
        "Additional reporting by Camillus Eboh in Abuja; Writing by Elisha Bala-Gbogbo",
        "Editing by Susan Fenton",
        "Associated writer Evelyne Musambi in Nairobi contributed to this report.",
        "Jesse Bedayn contributed reporting to this story",
        "--With assistance from Jacob Gu.",
        "To contact the reporter on this story: Jane Doe in Seoul",
        "Got a story? Email news@dailyblaze.example or call 0800 123 4567",
        # social and newsletters
        "Follow The Daily Blaze on Facebook, X and Instagram for the latest news",
        "Follow CP's arts coverage: https://cpnews.example/hub/arts",
        "Follow @jdoe on Bluesky",
        "Sign up to Down to Earth, our free weekly environment newsletter",
        "Sign up for The Quarterly’s newsletter to get our best stories every Sunday.",
        "You're reading the Morning Briefing newsletter. Sign up here to get it in your inbox.",
        "Forwarded this email? Subscribe here for more.",
        "You received this email because you signed up. Unsubscribe · Manage preferences",
        "That's it for this week. Reply to this email with tips, questions or complaints.",
        # pictures
        "Photograph: Jordan Pettitt/PA",
        "Photo: Lava flows from a fissure near Grindavik. AGENCE NORD/Marco di Marco",
        "Illustration by Kezia Gabriel",
        "Photographs by Lena Mucha for The Quarterly",
        "Image source, Getty Images",
        "Image caption, The £40m scheme was completed in the spring",
        "Jordan Pettitt/PA Wire",
        "(AP Photo/Evan Vucci)",
        # share, ads, separators
        "Share",
        "Share this article",
        "SHARE THIS ARTICLE",
        "Share on WhatsApp",
        "Reuse this content",
        "Comments are closed.",
        "ADVERTISEMENT",
        "Advertisement",
        "Story continues below",
        "Article continues below advertisement",
        "Skip past newsletter promotion",
        "___",
        "***",
        "---",
        "• • •",
        # notices
        "Privacy Notice: Newsletters may contain info about charities and online ads.",
        "We use cookies to improve your experience on our site.",
        "This article was originally published in the Harbour Herald's print edition.",
        "This article appears in the May 2024 issue of The Quarterly. Subscribe now.",
        "This article was amended on 17 August 2024 to correct the number of objects.",
        "A version of this story first appeared in our weekend edition.",
        "(Updates with details of talks from South Korea.)",
        "Updated at 13.45 GMT",
        "Posted by Priya Raman · 6 min read",
        "Please turn on JavaScript to use this feature",
        # section labels, tags, bylines, disclaimers
        "Opinion",
        "Analysis",
        "Topics: Tennis, Madrid Open",
        "Filed under: Politics",
        "By Tom Reyes",
        "By Ruth Adeyemi, a former city planner",
        "The views expressed here are the author's own.",
        "Join the conversation",
        "Comments (214)",
        "Getty Images",
        "Advert",
        "This story has been corrected to show the quake's depth was 10 kilometers, not 15.",
        # calls to action pointing elsewhere
        "Download the SportsZone app for live scores and breaking news",
        "Find more of Pacific News' Asia coverage at https://pacificnews.example/asia",
        # press-release furniture
        "Media contact: press@brightfield.example, +34 900 000 000",
        "SOURCE Brightfield Energy",
        "Forward-Looking Statements",
        "This press release contains forward-looking statements that involve risks.",
        # copyright, in any form
        "©2024 Bloomberg L.P.",
        "© Agence Nord 2024",
        "(c) 2024 Coastline Media Ltd",
        "Copyright 2024 The Continental Press. All rights reserved.",
        "Copyright © 2023 Northside Media",
        "The Harbour Herald is part of Coastline Media. © 2024 Coastline Media Ltd",
        "All rights reserved.",
    ],
)
def test_single_line_boilerplate_across_publishers(line: str) -> None:
    assert is_single_line_boilerplate(line)
    assert flags(PROSE, line, PROSE) == [False, True, False]


@pytest.mark.parametrize(
    "line",
    [
        # prose that mentions the words a rule looks for
        "Read more carefully, the central bank's statement promised only adequate liquidity.",
        "Follow the money, one former central banker said, and the pressure is clear.",
        "Follow the river path at your own risk, read a sign put up by the council.",
        "Sign up to the Warm Home Discount has been slow, charities said.",
        "Share prices of Philippine utilities fell as investors weighed the cost.",
        "Share the excitement, the company urged islanders.",
        "Copyright law was never written with machine learning in mind, the judges wrote.",
        "The copyright dispute went to court on Monday.",
        "All rights reserved, the authors' lawyer said, was no longer a meaningful phrase.",
        "Photograph by Tamsin Rowe, the organiser, shows the market in 2019.",
        "Reporting by the newspaper revealed that the minister had misled parliament.",
        "We use cookies, the old banner used to say; soon that will not be enough.",
        "Advertisement spending rose 4% in the quarter, the company said.",
        "Published on Friday, the report found that waiting lists had fallen.",
        "Readers asked more questions (and got answers).",
        "By Tuesday, the council had voted to close the library.",
        "Opinion polls show the race is tied.",
        "The company warned that its forward-looking statements were uncertain.",
        "Download speeds doubled last year, the regulator said.",
        "About 200 people attended the rally.",
        "Topics discussed included trade and security, the ministry said.",
        # short quotes and subheadings
        '"No."',
        "“Get out now.”",
        "What the hawks want",
        "Also today",
        "The backstory",
        # a long paragraph is prose, whatever it starts with
        "Related: " + "the committee heard evidence from ministers and officials. " * 8,
    ],
)
def test_prose_that_looks_like_a_promo_stays_content(line: str) -> None:
    assert not is_single_line_boilerplate(line)
    assert flags(PROSE, line, PROSE) == [False, False, False]


def test_an_about_section_flags_the_paragraph_that_describes_its_subject() -> None:
    got = flags(
        PROSE,
        "About Nimbus Software",
        "Nimbus Software serves more than 20,000 accounting firms worldwide.",
        "Media contact: media@nimbus.example",
    )
    assert got == [False, True, True, True]
    assert flags("About Time", "The film opens on Friday.") == [True, False]


# --- datelines name the source ------------------------------------------------------------


@pytest.mark.parametrize(
    ("dateline", "source"),
    [
        ("(Bloomberg) -- The top diplomats met.", "Bloomberg"),
        ("ROTTERDAM, March 3 (Newswire) - Container volumes fell.", "Newswire"),
        ("NAIROBI (Continental Press) — Herders walk for days.", "Continental Press"),
        ("LAGOS, Nigeria (Newswire) – Importers cut orders.", "Newswire"),
        ("OSLO, Aug 14 (Agence Nord) -- The fund posted a profit.", "Agence Nord"),
        ("WASHINGTON (AP) — The Senate voted on Tuesday.", "AP"),
        ("SÃO PAULO, Brazil (Continental Press) — Rain fell.", "Continental Press"),
        ("SEVILLE, Spain, May 2, 2024 /PRWire/ -- Brightfield opened a plant.", "PRWire"),
        # other newsrooms' wires
        ("BERLIN (dpa) - Der Bundestag hat am Freitag entschieden.", "dpa"),
        ("Paris (AFP) - Le gouvernement a présenté son budget.", "AFP"),
        ("MADRID, 16 jul (EFE).- El Gobierno aprobó la reforma.", "EFE"),
        ("МОСКВА, 16 июля. /ТАСС/. Госдума приняла закон.", "ТАСС"),
        ("新华社北京7月16日电 国务院常务会议周三审议通过。", "新华社"),
    ],
)
def test_a_wire_dateline_names_the_agency(dateline: str, source: str) -> None:
    assert guess_source([dateline, PROSE]) == source
    assert flags(dateline, PROSE) == [False, False]  # the dateline starts the story


@pytest.mark.parametrize(
    "opening",
    [
        "No dateline here.",
        "LONDON — The prime minister spoke.",
        "(Updates with details of talks.)",
        "The agency (Newswire) said - nothing more.",
        "Paris (Reuters correspondent) - a city of lights.",
        "Madrid (la capital) - sigue creciendo.",
    ],
)
def test_no_dateline_no_source(opening: str) -> None:
    assert guess_source([opening, PROSE]) is None


# --- lines learned from the corpus ----------------------------------------------------------


def test_a_line_repeated_in_enough_articles_of_a_source_is_learned() -> None:
    footer = "Have a story? Contact the Herald newsroom on 01234 567890"
    articles = [
        [PROSE + str(n), footer, "Our  Standards:\tthe Trust Principles."] for n in range(3)
    ]
    articles.append([PROSE, "Only once in the corpus."])
    assert repeated_lines(articles, 3) == {footer, "Our Standards: the Trust Principles."}
    assert repeated_lines(articles, 4) == set()


def test_copies_of_one_story_are_not_a_template() -> None:
    story = [f"Paragraph {n} of the story, long enough to be the bulk of it." for n in range(4)]
    copies = [[*story, "Contact us"] for _ in range(3)]
    others = [
        [f"Another story, number {n}, with its own long prose.", "Contact us"] for n in range(3)
    ]
    assert repeated_lines(copies, 3) == set()  # three versions of one story
    assert repeated_lines(copies + others, 3) == {"Contact us"}


def test_a_line_twice_in_one_article_counts_once() -> None:
    assert repeated_lines([["A footer", "A footer"], ["A footer"]], 3) == set()


def test_repeated_lines_are_boilerplate_unless_they_head_the_story_prose() -> None:
    repeated = frozenset({"Also today", "Our Standards: the Trust Principles.", "Contact us"})
    got = flags(
        PROSE,
        "Also today",  # a recurring subheading that introduces prose
        PROSE,
        "Contact us",  # short, but what follows is not the story's prose
        "Our   Standards: the Trust Principles.",  # whitespace does not matter
        repeated=repeated,
    )
    assert got == [False, False, False, True, True]


def test_normalising_collapses_whitespace_only() -> None:
    assert normalise_line("  Share\u00a0this \t article ") == "Share this article"


def _example_lines() -> list[str]:
    """Every line this module's parametrised tests name, and the prose."""
    lines = [PROSE]
    for test in list(globals().values()):
        for mark in getattr(test, "pytestmark", []):
            lines += [v for v in mark.args[1] if isinstance(v, str)]
            lines += [s for v in mark.args[1] if isinstance(v, tuple) for s in v]
    return lines


def test_the_rules_read_from_the_start_match_as_one_where_one_of_them_does() -> None:
    lines = _example_lines()
    assert len(lines) > 100
    for line in (f"{space}{line}" for line in lines for space in ("", " ", " \t\u00a0")):
        each = any(rule.match(line) is not None for rule in AT_START_RULES)
        assert (_AT_START.match(line) is not None) == each, line


@pytest.mark.parametrize(
    "line",
    [
        "Lesen Sie auch: Bundestag beschließt Haushalt",
        "Mehr zum Thema",
        "À lire aussi : la réforme des retraites",
        "Lee también: El Gobierno aprueba la reforma",
        "Leggi anche: il governo e la manovra",
        "Leia também: governo anuncia pacote",
        "Czytaj też: Sejm przyjął ustawę",
        "Читайте также: Госдума приняла закон",
        "По теме",
        "اقرأ أيضا: الحكومة تعلن خطة جديدة",
        "相关阅读：国务院发布新措施",
        "関連記事",
        "관련기사",
        "Anzeige",
        "Реклама",
        "广告",
        "Partager sur Facebook",
        "Поделиться",
        "Foto: Kay Nietfeld/dpa",
        "Фото: РИА Новости",
        "写真：共同通信",
        "사진=연합뉴스",
        "Alle Rechte vorbehalten.",
        "Tous droits réservés",
        "Все права защищены © 2024",
        "版权所有 © 新华网",
        "Подписывайтесь на «Вести Дня» в Telegram",
        "Folgen Sie uns auf Instagram",
        "Suivez-nous sur X : @lemonde",
    ],
)
def test_the_same_furniture_in_other_languages_is_boilerplate(line: str) -> None:
    assert is_single_line_boilerplate(line), line


@pytest.mark.parametrize(
    "line",
    [
        "Подробнее о решении суда станет известно в понедельник.",
        "Lesen Sie auch die Begründung des Gerichts, sagte der Anwalt.",
        "Foto des Tages zeigte den Kanzler in Kiew.",
        "Die Anzeige wurde am Montag erstattet.",
        "По теме выборов высказались все кандидаты.",
        "Suivez le guide, a lancé le ministre à l'Assemblée.",
        "分享经济在中国发展迅速。",
    ],
)
def test_prose_in_other_languages_that_starts_like_furniture_stays_content(line: str) -> None:
    assert not is_single_line_boilerplate(line), line


@pytest.mark.parametrize(
    "line",
    [
        "This article is for subscribers only. Subscribe for $1 a week to continue reading.",
        "Already a subscriber? Sign in",
        "Subscribe now for unlimited access to our journalism.",
        "Sewage outflow on the River Wye in April. Photograph: Tom Price/The Chronicle",
        "Rescue teams at the quay on Monday. Photo: Ann Lee/Reuters",
    ],
)
def test_a_paywall_teaser_and_a_caption_ending_in_its_credit_are_boilerplate(line: str) -> None:
    assert is_single_line_boilerplate(line), line


@pytest.mark.parametrize(
    "line",
    [
        "Subscribers to the service will pay $2 more a month from June, the company said.",
        "The photo: a crowd at the quay, taken by a reader, went round the world.",
        "Already a subscriber to three papers, she said she would not pay for a fourth.",
    ],
)
def test_prose_about_subscriptions_and_photos_stays_content(line: str) -> None:
    assert not is_single_line_boilerplate(line), line

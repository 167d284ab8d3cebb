"""Propagation finds a labelled string again as whole words, same case, in any script."""

from __future__ import annotations

import pytest

from annotator.suggestions.matching import find_whole_words, joins, worth_propagating


def spans(text: str, needle: str) -> list[str]:
    return [f"{s}-{e}" for s, e in find_whole_words(text, needle)]


def test_whole_words_only_and_case_matters() -> None:
    text = "China, Indochina and CHINA; china. China’s"
    assert spans(text, "China") == ["0-5", "35-40"]


def test_offsets_are_code_points_after_emoji() -> None:
    text = "🙂🙂 Seoul met Seoul🙂"
    found = list(find_whole_words(text, "Seoul"))
    assert found == [(3, 8), (13, 18)]
    assert all(text[s:e] == "Seoul" for s, e in found)


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("中国外交部长王毅在北京会见", "王毅", ["6-8"]),  # no spaces around Han
        ("日本とChinaの会談", "China", ["3-8"]),  # Latin between kana
        ("서울에서 서울 회담", "서울", ["5-7"]),  # Hangul is written with spaces
        ("Kyiv–Odesa Kyiv", "Kyiv", ["0-4", "11-15"]),  # an en dash ends a word
        ("Ἀθῆναι Ἀθῆναιος", "Ἀθῆναι", ["0-6"]),
    ],
)
def test_scripts_with_and_without_spaces(text: str, needle: str, expected: list[str]) -> None:
    assert spans(text, needle) == expected


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("the one-China principle; China", "China", ["25-30"]),
        ("Taiwan-related issues in Taiwan", "Taiwan", ["25-31"]),
        ("Cho Tae-yul met Tae", "Tae", ["16-19"]),
        ("Jean-Pierre and Jean", "Jean", ["16-20"]),
        ("Kyiv-based Kyiv", "Kyiv", ["11-15"]),
        ("Cho Tae\u2010yul, Cho Tae\u2011yul", "Tae", []),  # Unicode hyphens join too
        ("Cho Tae-yul and Cho Tae", "Cho Tae", ["16-23"]),
        ("Cho Tae-yul", "Cho Tae-yul", ["0-11"]),  # the whole compound is a match
        ("US-China, China-US, EU-China", "China", ["3-8", "10-15", "23-28"]),
        ("US-China", "US", ["0-2"]),  # the workspace splits acronym pairings
        ("China's and China’s talks", "China", ["0-5", "12-17"]),  # apostrophes never join
        ("-China and China-", "China", ["1-6", "11-16"]),  # a hyphen with no word beyond
        ("中国-日本 中国", "中国", ["0-2", "6-8"]),  # Han never joins, hyphen or not
        ("🙂-China China-🙂", "China", ["2-7", "8-13"]),
        ("서울-based 서울", "서울", ["9-11"]),
    ],
)
def test_a_joining_hyphen_glues_words_as_the_workspace_snaps_them(
    text: str, needle: str, expected: list[str]
) -> None:
    assert spans(text, needle) == expected


def test_what_joins_a_word() -> None:
    assert joins("a") and joins("7") and joins("é") and joins("한")
    assert not joins("中") and not joins("の") and not joins("🙂") and not joins("-")


@pytest.mark.parametrize(
    ("needle", "worth"), [("US", True), ("王毅", True), ("a", False), (" x ", False), ("--", False)]
)
def test_strings_worth_propagating(needle: str, worth: bool) -> None:
    assert worth_propagating(needle) is worth

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
        ("Kyiv-based Kyiv", "Kyiv", ["0-4", "11-15"]),  # a hyphen ends a word
        ("Ἀθῆναι Ἀθῆναιος", "Ἀθῆναι", ["0-6"]),
    ],
)
def test_scripts_with_and_without_spaces(text: str, needle: str, expected: list[str]) -> None:
    assert spans(text, needle) == expected


def test_what_joins_a_word() -> None:
    assert joins("a") and joins("7") and joins("é") and joins("한")
    assert not joins("中") and not joins("の") and not joins("🙂") and not joins("-")


@pytest.mark.parametrize(
    ("needle", "worth"), [("US", True), ("王毅", True), ("a", False), (" x ", False), ("--", False)]
)
def test_strings_worth_propagating(needle: str, worth: bool) -> None:
    assert worth_propagating(needle) is worth

"""Quotations in straight, curly and « » marks, over paragraphs, and unbalanced marks."""

from __future__ import annotations

from kgpub.draft.quotes import find_quotations
from kgpub.draft.text import build_document


def quotes(text: str) -> tuple[list[str], list[str]]:
    doc = build_document(text)
    found, problems = find_quotations(doc)
    return [q.text(doc) for q in found], [f"{p.mark}@{p.offset}:{p.why}" for p in problems]


def test_each_kind_of_mark() -> None:
    text = ('He said "straight one," then \u201ccurly one\u201d and \u00abguillemets\u00bb, '
            "and \u2018single one\u2019 too.")
    assert quotes(text) == (["straight one,", "curly one", "guillemets", "single one"], [])


def test_apostrophes_and_inch_marks_are_not_quotation_marks() -> None:
    text = "Norway's pipe is 12\" wide, the ministers' talks said 'yes' to it; it's 5'10\" tall."
    found, problems = quotes(text)
    assert found == ["yes"] and problems == []


def test_nested_single_quotes_stay_inside_the_double_quotation() -> None:
    assert quotes('She said: "They called it \'a plan\' yesterday."') == (
        ["They called it 'a plan' yesterday."], [])


def test_a_quotation_over_paragraphs_is_one_quote_per_paragraph() -> None:
    text = ("He said:\n\n\u201cFirst part of it.\n\n\u201cSecond part.\n\n"
            "\u201cLast part,\u201d he added.")
    doc = build_document(text)
    found, problems = find_quotations(doc)
    assert problems == []
    assert [q.text(doc) for q in found] == ["First part of it.", "Second part.", "Last part,"]
    assert [(q.continued, q.continues) for q in found] == [
        (False, True), (True, True), (True, False)]


def test_unbalanced_marks_are_found_with_their_offset() -> None:
    assert quotes("A \u201cnever closed.\n\nNext paragraph.")[1] == [
        "\u201c@2:is never closed, and the next paragraph does not continue the quotation"]
    assert quotes("A closing \u201d alone.")[1] == [
        "\u201d@10:closes a quotation that was never opened"]
    assert quotes("\u00abOpen \u00abagain\u00bb")[1] == [
        "\u00ab@0:is opened again before it is closed"]

"""Paragraphs and sentences as offsets: abbreviations and quotations do not end a sentence."""

from __future__ import annotations

from kgpub.draft.quotes import find_quotations
from kgpub.draft.text import build_document, count_overlapping, paragraphs_of, split_sentences


def sentences(text: str) -> list[str]:
    doc = build_document(text)
    quotes, _ = find_quotations(doc)
    return [text[s.start:s.end] for s in split_sentences(doc, [q.outer for q in quotes])]


def test_paragraphs_join_hard_wrapped_lines_and_split_on_blank_lines() -> None:
    text = "Title line\n\nThe minister said that the\ntalks would go on. They did.\n\nNext one."
    assert [text[p.start:p.end] for p in paragraphs_of(text)] == [
        "Title line", "The minister said that the\ntalks would go on. They did.", "Next one."]


def test_a_line_ending_a_sentence_before_a_capital_starts_a_paragraph() -> None:
    text = "First paragraph ends here.\nSecond paragraph starts here."
    assert len(paragraphs_of(text)) == 2


def test_sentences_skip_abbreviations_initials_and_quotations() -> None:
    text = ('Mr. Holm met Gen. Berg in the U.S. capital on Jan. 5. "We agreed. We will sign," '
            "he said. It rained.")
    assert sentences(text) == [
        "Mr. Holm met Gen. Berg in the U.S. capital on Jan. 5.",
        '"We agreed. We will sign," he said.', "It rained."]


def test_a_full_stop_before_a_quotations_closing_mark_ends_the_sentence() -> None:
    text = 'Holm called it "a threat to us." He said Oslo would wait.'
    assert sentences(text) == ['Holm called it "a threat to us."', "He said Oslo would wait."]


def test_offsets_are_code_points_and_lines_count_from_one() -> None:
    doc = build_document("Ä line\n\u201cquote\u201d here\r\nthird")
    assert doc.line_col(doc.text.index("here")) == (2, 9)
    assert doc.line_col(doc.text.index("third")) == (3, 1)


def test_overlapping_occurrences_are_counted_as_the_converter_counts_them() -> None:
    assert count_overlapping("aaaa", "aa") == [0, 1, 2]


def test_the_headline_is_the_first_line_before_the_prose_not_a_short_sentence() -> None:
    """draft/meta.py: page chrome ("Breaking News") is skipped; a short sentence ending with a
    full stop is prose, never the headline, even under a two-word headline."""
    from kgpub.draft.meta import headline

    for text, expected in (("Breaking News\n\nOslo and Stockholm sign a pact\n\nThey did.", 1),
                           ('Oslo talks\n\n"We agree," Jan Holm said.', 0),
                           ("Oslo talks\n\nBerg spoke.\n\nShe left.", 0)):
        assert headline(build_document(text)) == expected, text

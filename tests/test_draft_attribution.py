"""Speakers of quotes: reporting verbs before and after, inversion, "according to", a colon
before a quote paragraph, pronoun chains, role nouns, the medium, partial quotes and indirect
speech; people the registry lacks become proposals, never keys."""

from __future__ import annotations

from draft_util import PEOPLE, draft


def speakers(text: str, *entities: tuple) -> list[tuple[str, str | None]]:
    d = draft(text, *(entities or PEOPLE))
    return [(q.text, q.speaker or f"new:{q.pending[0]}") for q in d.quotes]


def test_verbs_after_and_before_and_inverted() -> None:
    text = ('Oslo talks\n\n"We agree," Anna Berg said. Jan Holm said: "We do not." '
            '"Maybe later," said Holm. According to Berg, "nothing is settled".')
    assert speakers(text) == [("We agree,", "anna-berg"), ("We do not.", "jan-holm"),
                              ("Maybe later,", "jan-holm"), ("nothing is settled", "anna-berg")]


def test_an_honorific_between_the_verb_and_the_name_after_the_quote() -> None:
    text = ('Oslo talks\n\nJan Holm met Anna Berg on Monday.\n\n"We agree," said Ms Berg. The '
            'talks went on "until late", according to Mr Holm.')
    assert speakers(text) == [("We agree,", "anna-berg"), ("until late", "jan-holm")]


def test_a_pronoun_takes_the_subject_after_an_opening_clause_over_the_last_speaker() -> None:
    text = ('Oslo talks\n\nJan Holm met Anna Berg on Monday.\n\n"We agree," said Holm.\n\n'
            'Asked about the treaty, Berg did not endorse it. Norway "decides for itself," '
            'she said.')
    assert speakers(text) == [("We agree,", "jan-holm"), ("decides for itself,", "anna-berg")]


def test_partial_quotes_take_the_sentence_speaker() -> None:
    text = ('Oslo talks\n\nAnna Berg called Sweden a "reliable partner" and said Oslo wanted '
            '"closer ties" with it.')
    assert speakers(text) == [("reliable partner", "anna-berg"), ("closer ties", "anna-berg")]


def test_pronouns_and_role_nouns() -> None:
    text = ("Oslo talks\n\nNorwegian Foreign Minister Anna Berg met Jan Holm on Monday.\n\n"
            '"We are close," the minister said. "Very close."\n\n'
            'She added that talks would go on. "Soon," he said.')
    found = speakers(text)
    assert found[:2] == [("We are close,", "anna-berg"), ("Very close.", "anna-berg")]
    # "he" is not the last speaker (Berg, she): the last person named who may be a "he".
    assert found[2] == ("Soon,", "jan-holm")


def test_a_quote_paragraph_after_a_colon_and_its_continuation() -> None:
    text = ("Oslo talks\n\nAt the briefing, Anna Berg said:\n\n"
            "\u201cFirst we talk.\n\n\u201cThen we sign.\u201d\n\nIt rained.")
    assert speakers(text) == [("First we talk.", "anna-berg"), ("Then we sign.", "anna-berg")]


def test_the_medium_and_its_carrying_over_to_the_speakers_other_quotes() -> None:
    text = ('Oslo talks\n\n"We are ready," Anna Berg told Nordic News on Monday. '
            '"And willing," Berg said.')
    d = draft(text, *PEOPLE)
    assert [(q.medium, str(q.uttered_on)) for q in d.quotes] == [
        ("nordic-news", "2024-05-13"), ("nordic-news", "2024-05-13")]


def test_a_speaker_missing_from_the_registry_is_proposed_not_keyed() -> None:
    text = 'Oslo talks\n\n"We object," spokesman Per Lund told reporters.'
    d = draft(text, *PEOPLE)
    assert [(q.speaker, q.pending, q.active) for q in d.quotes] == [
        (None, ["per-lund"], False)]
    assert d.new_actors["per-lund"].type == "Person"


def test_scare_quotes_without_a_speaker_are_not_quotes() -> None:
    assert speakers('Oslo talks\n\nThe so-called "grand bargain" failed.') == []


def test_a_pronoun_after_a_new_subject_goes_to_that_subject() -> None:
    text = ('Oslo talks\n\n"We lost," Anna Berg said on Monday.\n\n'
            'Jan Holm will take office in June. In his speech he promised "closer ties".')
    assert speakers(text)[-1] == ("closer ties", "jan-holm")


def test_a_role_noun_named_only_afterwards() -> None:
    text = ("Oslo talks\n\nNorway's foreign minister has insisted the deal is "
            "\u2018final\u2019.\n\nSpeaking on Tuesday, Anna Berg told Nordic News that talks "
            "would go on.")
    d = draft(text, *PEOPLE)
    assert [(q.text, q.speaker) for q in d.quotes] == [("final", "anna-berg")]
    assert [(t.person, t.post) for t in d.tenures] == [("anna-berg", "foreign-minister-of-norway")]


def test_the_object_of_a_preposition_is_no_subject() -> None:
    """ "X, no relation to the minister, said": X speaks, not the minister."""
    text = ('Oslo talks\n\nNorwegian Foreign Minister Anna Berg met Jan Holm on Monday.\n\n'
            'Jan Holm, no relation to the minister, said the plan was "a mistake".')
    assert speakers(text) == [("a mistake", "jan-holm")]


def test_the_answers_of_a_printed_interview_are_quotes_of_the_one_named() -> None:
    """ "Name: answer" paragraphs taking turns with the outlet's questions have no marks; each
    answer is a quote of the person its label names, the questions are not quotes."""
    from draft_util import PEOPLE, draft

    text = ("Berg on the north\n\nWe spoke to Anna Berg in Oslo.\n\n"
            "Nordic News: Will you meet Jan Holm?\n\nBerg: We are ready. Norway will wait.\n\n"
            "Nordic News: And then?\n\nBerg: Then we talk.")
    found = [(q.text, q.speaker) for q in draft(text, *PEOPLE).quotes]
    assert found == [("We are ready. Norway will wait.", "anna-berg"),
                     ("Then we talk.", "anna-berg")]


def test_a_capitalised_title_naming_its_office_after_of_before_the_name() -> None:
    """ "said the Minister of External Relations, X": the title is the person's, so X speaks;
    "the Swedish Prime Minister, X" gives X the post."""
    text = ('Oslo talks\n\nThe Swedish Prime Minister, Jan Holm, came on Monday.\n\n'
            '"We agree," said the Minister of External Relations, Anna Berg.')
    d = draft(text, *PEOPLE)
    assert [(q.text, q.speaker) for q in d.quotes] == [("We agree,", "anna-berg")]
    assert ("jan-holm", "prime-minister-of-sweden") in [(t.person, t.post) for t in d.tenures]


def test_a_role_noun_with_a_states_adjective_takes_that_states_holder() -> None:
    text = ('Oslo talks\n\nNorwegian Foreign Minister Anna Berg met Swedish Foreign Minister Jan '
            'Holm.\n\n"We agree," the Norwegian minister said.')
    assert speakers(text) == [("We agree,", "anna-berg")]


def test_a_counterpart_holds_the_office_of_the_role_noun_of_its_state() -> None:
    text = ('Oslo talks\n\nNorwegian Foreign Minister Anna Berg spoke first. Her Swedish '
            'counterpart, Jan Holm, came late.\n\n"We disagree," the Swedish minister said.')
    assert speakers(text) == [("We disagree,", "jan-holm")]


def test_the_head_of_state_is_the_president() -> None:
    text = ('Oslo talks\n\nPresident Anna Berg met Jan Holm.\n\n'
            '"We agree," the Norwegian head of state said.')
    assert speakers(text) == [("We agree,", "anna-berg")]


def test_answers_marked_a_are_quotes_of_the_one_the_introduction_names() -> None:
    """ "Q:"/"A:" turns name nobody: the answers are the interviewee's, the last person named
    before the first question; a paragraph with no mark before the next question goes on with
    the answer, and the narrative after the last answer is no quote."""
    text = ("Berg on the north\n\nJan Holm left on Monday. We spoke to Anna Berg in Oslo.\n\n"
            "Q: Will you meet Jan Holm?\n\nA: We are ready. Norway will wait.\n\n"
            "Then we talk.\n\nQ: And Sweden?\n\nA: Sweden is a friend.\n\nBerg flew home.")
    found = [(q.text, q.speaker) for q in draft(text, *PEOPLE).quotes]
    assert found == [("We are ready. Norway will wait.", "anna-berg"),
                     ("Then we talk.", "anna-berg"), ("Sweden is a friend.", "anna-berg")]


def test_a_pronoun_takes_a_subject_named_with_a_title_of_address() -> None:
    text = ('Oslo talks\n\nJan Holm met Anna Berg on Monday.\n\n"We agree," said Holm.\n\n'
            'Ms Berg was more careful. "We shall see," she said.')
    assert speakers(text) == [("We agree,", "jan-holm"), ("We shall see,", "anna-berg")]


def test_a_quotation_over_paragraphs_takes_the_speaker_named_after_its_last_piece() -> None:
    text = ('Oslo talks\n\nJan Holm met Anna Berg on Monday.\n\nMs Berg was more careful. '
            '\u201cFirst we talk.\n\n\u201cThen we sign,\u201d she said.')
    assert speakers(text) == [("First we talk.", "anna-berg"), ("Then we sign,", "anna-berg")]


def test_a_subject_before_a_relative_clause_with_commas_and_a_name_in_it() -> None:
    """ "X, who met Y, answered": X answers, not Y; a relative clause may hold commas."""
    assert speakers('Oslo talks\n\nAnna Berg, who met Jan Holm, answered that Norway was '
                    '"ready".') == [("ready", "anna-berg")]
    assert speakers('Oslo talks\n\nAnna Berg, who came on Monday, a day early, said Norway was '
                    '"ready".') == [("ready", "anna-berg")]
    # within the clause, its own subject speaks: "which Holm said ..."
    assert speakers('Oslo talks\n\nThey met in Oslo, which Jan Holm said was "a fine city".') == [
        ("a fine city", "jan-holm")]


def test_a_participle_after_a_comma_reports_the_speech_of_the_sentences_subject() -> None:
    assert speakers('Oslo talks\n\nJan Holm on Monday condemned the plan, calling it '
                    '"a mistake".') == [("a mistake", "jan-holm")]


def test_a_quote_whose_sentence_reports_someone_elses_words_is_not_the_quote_befores() -> None:
    """The quote before it in the paragraph does not lend its speaker to words that a
    sentence of their own gives to a ministry."""
    assert speakers('Oslo talks\n\n"We agree," said Jan Holm. The Swedish ministry has called the '
                    'plan "a mistake".') == [("We agree,", "jan-holm")]


def test_a_pronoun_later_in_the_sentence_of_a_new_subject_goes_to_that_subject() -> None:
    text = ('Oslo talks\n\nJan Holm met Anna Berg on Monday.\n\n"We agree," said Holm.\n\n'
            'Berg kept her criticism for Sweden, which she accused of "bad faith".')
    assert speakers(text) == [("We agree,", "jan-holm"), ("bad faith", "anna-berg")]


def test_a_second_verb_after_and_reports_the_words_of_the_sentences_subject() -> None:
    assert speakers('Oslo talks\n\nAnna Berg, who is second in the polls, welcomed the plan and '
                    'said that in office she would "deepen" ties.') == [("deepen", "anna-berg")]


def test_praising_after_a_comma_and_last_week_before_the_verb() -> None:
    assert speakers('Oslo talks\n\nJan Holm struck a similar tone at a dinner, praising "the '
                    'patience of our friends".') == [("the patience of our friends", "jan-holm")]
    assert speakers('Oslo talks\n\nAnna Berg last week accused Sweden of "bad faith".') == [
        ("bad faith", "anna-berg")]


def test_present_tense_and_other_reporting_verbs() -> None:
    """ "which she calls", "he insists", "repeated that", "went further, accusing"."""
    assert speakers('Oslo talks\n\nAnna Berg is angry at the ruling, which she calls "a '
                    'disgrace".') == [("a disgrace", "anna-berg")]
    assert speakers('Oslo talks\n\nJan Holm insists that Oslo is "ready".') == [
        ("ready", "jan-holm")]
    assert speakers('Oslo talks\n\nAnna Berg met Jan Holm. "Fine," Berg said. Holm repeated '
                    'that Sweden was "a friend".')[-1] == ("a friend", "jan-holm")
    assert speakers('Oslo talks\n\nJan Holm went further, accusing Sweden of "bad '
                    'faith".') == [("bad faith", "jan-holm")]


def test_the_name_after_a_transitive_verb_is_its_object_not_its_subject() -> None:
    """ "Senator X slammed it as “...” and accused Holm of “...”": the words are X's."""
    text = ('Oslo talks\n\nIn Oslo, opposition Sen. Per Lund slammed the deal as "a gift" and '
            'accused Holm of giving away "a fair toll".')
    assert speakers(text) == [("a gift", "new:per-lund"), ("a fair toll", "new:per-lund")]


def test_quoted_as_saying_gives_the_words_to_the_one_quoted() -> None:
    text = ('Oslo talks\n\nThe Swedish ministry quoted Jan Holm as describing Norway as "a '
            'true friend".')
    assert speakers(text) == [("a true friend", "jan-holm")]


def test_a_role_noun_goes_to_the_holder_named_last_and_a_counterpart_holds_the_office() -> None:
    """ "the minister" after "Berg, the minister ... Her counterpart, Holm, ..." is Holm; of two
    holders, the one named last."""
    text = ('Oslo talks\n\nThe Norwegian Foreign Minister, Anna Berg, spoke first.\n\n'
            'Her Swedish counterpart, Jan Holm, however, refused. "Never," the minister said.')
    assert speakers(text)[-1] == ("Never,", "jan-holm")
    text = ('Oslo talks\n\nPrime Minister Anna Berg and her Swedish counterpart Jan Holm met.\n\n'
            'Berg dismissed the idea. "No," the prime minister said.')
    assert speakers(text) == [("No,", "anna-berg")]


def test_the_two_ministers_give_each_of_them_a_copy_of_the_quote() -> None:
    text = ('Oslo talks\n\nNorwegian Foreign Minister Anna Berg met Jan Holm, the Swedish '
            'foreign minister, on Monday.\n\nThe statement said the two ministers condemned the '
            'attack and called on Finland to "talk at once".')
    assert sorted(speakers(text)) == [("talk at once", "anna-berg"),
                                      ("talk at once", "jan-holm")]


def test_a_so_called_name_in_marks_is_nobodys_quote() -> None:
    text = ('Oslo talks\n\nAnna Berg met Jan Holm on Monday. Both ministers said they backed the '
            'so-called "green corridor" plan.')
    assert speakers(text) == []


def test_in_the_words_of_according_to_a_role_noun_quoted_as_saying_and_a_name_label() -> None:
    lead = 'Oslo talks\n\nNorwegian Foreign Minister Anna Berg met Jan Holm on Monday.\n\n'
    assert speakers(lead + 'In the words of Holm, "we are ready".') == [
        ("we are ready", "jan-holm")]
    assert speakers(lead + 'According to the minister, Sweden is "a friend".') == [
        ("a friend", "anna-berg")]
    assert speakers(lead + 'Holm was quoted as saying that Norway was "a friend".') == [
        ("a friend", "jan-holm")]
    assert speakers(lead + 'Holm: "We are ready."') == [("We are ready.", "jan-holm")]

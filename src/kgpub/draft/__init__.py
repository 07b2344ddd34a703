"""`kgpub draft`: from a raw article to a reviewable facts file, and its score against a curated
one.

One module per concern: text (reading, paragraphs, sentences), quotes, gazetteer (actor linking),
titles, discourse (pronouns, role nouns), attribution (speakers, media), dates, events, tenures,
stances, omissions, lexicon (the cue vocabularies), draft (the steps in order), writer (YAML),
evaluate (scores) and run (the one call behind the command).
"""

from .run import Result, run

__all__ = ["Result", "run"]

"""A stance page leads with one sentence saying who stood where on whom, when and per whom.

The sentence is built from the stance's properties and one hop beyond (medium, publisher, the
stance type's default polarity), so a reader need not assemble it from the triple table.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from .terms import (
    KGP,
    OTHER_COLOUR,
    POLARITY_COLOURS,
    SCHEMA,
    Binding,
    Select,
    Term,
    Terms,
    humanise,
    local_name,
)

MODALITY_PHRASES = {"Intended": "intended", "Negated": "denied", "Hypothetical": "hypothetical",
                    "Historical": "in the past"}


async def stance_data(run: Select, me: str) -> dict[str, list[Binding]]:
    """The stance's own properties and the hops the sentence needs (me: the IRI as <...>)."""
    props, hops = await asyncio.gather(
        run("SELECT DISTINCT ?p ?o WHERE { VALUES ?p { kgp:stanceHolder kgp:stanceTarget "
            "kgp:stanceType kgp:polarity kgp:modality kgp:attributionType kgp:statedBy "
            "kgp:statedOn kgp:statedBefore kgp:targetAsWorded kgp:intensifier "
            f"kgp:characterizedBy kgp:expressedIn kgp:reportedIn }} {me} ?p ?o }} LIMIT 500"),
        run("SELECT DISTINCT ?via ?x ?p ?o WHERE { VALUES (?via ?p) { "
            "(kgp:expressedIn kgp:medium) (kgp:reportedIn schema:publisher) "
            f"(kgp:stanceType kgp:defaultPolarity) }} {me} ?via ?x . ?x ?p ?o }} LIMIT 500"),
    )
    return {"props": props, "hops": hops}


def stance_sentence(terms: Terms, data: dict[str, list[Binding]],
                    labels: dict[str, str]) -> dict[str, Any]:
    """"Kyrgyzstan → Russia: main strategic partner, said by … to TASS on 2017-11-27,
    reported by RFE/RL and The Times of Central Asia", as segments (str or Term)."""
    props: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in data["props"]:
        name = row["p"]["value"].removeprefix(KGP)
        if row["o"] not in props[name]:
            props[name].append(row["o"])
    hops: dict[str, list[str]] = defaultdict(list)
    for row in data["hops"]:
        if row["o"]["type"] == "uri" and row["o"]["value"] not in hops[row["p"]["value"]]:
            hops[row["p"]["value"]].append(row["o"]["value"])

    def values(name: str) -> list[Term]:
        return sorted((terms.term(v, labels) for v in props.get(name, [])),
                      key=lambda t: (t.label.casefold(), t.value))

    def literal(name: str) -> str:
        found = sorted(v["value"] for v in props.get(name, []))
        return found[0] if found else ""

    def individual(name: str) -> str:
        found = sorted(local_name(v["value"]) for v in props.get(name, []))
        return found[0] if found else ""

    holders, targets = values("stanceHolder"), values("stanceTarget")
    type_terms, speakers = values("stanceType"), values("statedBy")
    characterizers = values("characterizedBy")
    media = sorted((terms.iri_term(m, labels) for m in hops.get(KGP + "medium", [])),
                   key=lambda t: t.label.casefold())
    publishers = sorted((terms.iri_term(p, labels) for p in hops.get(SCHEMA + "publisher", [])),
                        key=lambda t: t.label.casefold())
    polarity, modality = individual("polarity"), individual("modality")
    attribution = individual("attributionType")
    defaults = {local_name(d) for d in hops.get(KGP + "defaultPolarity", [])}

    seg: list[Any] = [*_join(holders or ["someone"]), " → ", *_join(targets or ["someone"])]
    worded = literal("targetAsWorded")
    if worded:
        seg.append(f" (“{worded}”)")
    seg.append(": ")
    type_phrase = " and ".join(t.label for t in type_terms) or "a stance"
    intensifier = literal("intensifier")
    if intensifier and intensifier.casefold() not in type_phrase.casefold().split():
        type_phrase = f"{intensifier} {type_phrase}"
    seg.append(type_phrase)
    notes = []
    phrase = MODALITY_PHRASES.get(modality)
    if phrase and not (modality == "Intended" and "intent" in type_phrase.casefold()):
        notes.append(phrase)
    if polarity and defaults and polarity not in defaults:
        notes.append(f"here {polarity.lower()}")
    if notes:
        seg.append(f" ({', '.join(notes)})")
    holder_iris = {h.value for h in holders}
    speakers_named = [s for s in speakers if s.value not in holder_iris]
    said = False
    if attribution == "JournalistCharacterization":
        if speakers_named and characterizers:
            seg += [", attributed to ", *_join(speakers_named), " by ", *_join(characterizers)]
            said = True
        elif characterizers:
            seg += [", according to ", *_join(characterizers)]
        elif speakers_named:
            seg += [", attributed to ", *_join(speakers_named), " by the journalist"]
    elif speakers_named:
        seg += [", said by ", *_join(speakers_named)]
        said = True
    if media:
        seg += [" to " if said else ", through ", *_join(media)]
        said = True
    stated_on, stated_before = literal("statedOn"), literal("statedBefore")
    if stated_on:
        seg.append(f"{' ' if said else ', '}on {stated_on}")
    elif stated_before:
        seg.append(f"{' ' if said else ', '}before {stated_before}")
    if publishers:
        seg += [", reported by ", *_join(publishers)]
    text = "".join(s.label if isinstance(s, Term) else s for s in seg)
    return {"segments": seg, "text": text, "polarity": polarity.lower(),
            "colour": POLARITY_COLOURS.get(polarity, OTHER_COLOUR),
            "modality": modality.lower(), "attribution": humanise(attribution)}


def _join(items: list[Any]) -> list[Any]:
    """[a, b, c] -> [a, ", ", b, " and ", c] (segments for a sentence)."""
    out: list[Any] = []
    for i, item in enumerate(items):
        if i:
            out.append(" and " if i == len(items) - 1 else ", ")
        out.append(item)
    return out

"""The state each person speaks for: their post's state (through the chain of post_in), the
state of their title, or the state their registry description names."""

from __future__ import annotations

from ..model import Entity
from .gazetteer import Gazetteer
from .titles import Title


def states_of(draft, titles: list[Title], gazetteer: Gazetteer) -> dict[str, str]:
    """The state each person speaks for: their post's state, their title's, their description's."""
    entities = draft.entities
    states: dict[str, str] = {}
    for tenure in draft.tenures:
        if tenure.person and tenure.post in entities:
            state = _state_of_entity(entities[tenure.post], entities, gazetteer)
            if state:
                states.setdefault(tenure.person, state)
    for t in titles:
        key = t.person_ident
        if t.state is not None and t.state.etype == "Country":
            states.setdefault(key, t.state.key)
    for key, e in entities.items():
        if e.type == "Person" and key not in states and e.description:
            state = _state_in_text(e.description, gazetteer)
            if state:
                states[key] = state
    return states


def _state_of_entity(e: Entity, entities: dict[str, Entity], gazetteer: Gazetteer) -> str | None:
    seen: set[str] = set()
    while e is not None and e.key not in seen:
        seen.add(e.key)
        if e.type == "Country":
            return e.key
        if e.post_in and e.post_in in entities:
            e = entities[e.post_in]
            continue
        return _state_in_text(e.label, gazetteer)
    return None


def _state_in_text(text: str, gazetteer: Gazetteer) -> str | None:
    """The first state named in `text`, also inside a longer name that matches as a whole
    ("Foreign Ministry of Ostmark" is a body's label, and names Ostmark)."""
    for m in gazetteer.pattern.finditer(text):
        for option in gazetteer.surfaces[m.group()]:
            if gazetteer.entities[option.key].type == "Country":
                return option.key
        inner = m.group()
        for start in range(1, len(inner)):
            if inner[start - 1] == " ":
                found = _state_in_text(inner[start:], gazetteer)
                if found:
                    return found
    return None

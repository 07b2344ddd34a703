"""The draft as YAML in the documented source format, every item with a comment saying how sure
the draft is and why; and the proposed new actors in the registry's format.

Items below the confidence threshold, and items that need an actor the registry does not have
yet, are written commented out, so the file loads as it is and the curator accepts an item by
uncommenting it.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap

from .. import __version__
from .draft import Draft
from .items import Item
from .text import Span, count_overlapping

MARKER = "# Drafted by `kgpub draft`"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029, 0xFEFF) or \
                0xD800 <= code < 0xE000 or code in (0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}


def scalar(value: object) -> str:
    """A value as YAML: keys, names and dates plain, anything else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", text) and text.lower() not in _YAML_WORDS \
            and not re.fullmatch(r"[0-9]+(?:[eE][0-9]+)?|0[xob].*", text):
        return text
    return quoted(text)


def _copied(model, skip: set[str], replace: dict[str, object] | None = None
            ) -> list[tuple[str, object]]:
    """The fields of the project's own description of a fact, to be repeated verbatim."""
    fields: list[tuple[str, object]] = []
    for name in type(model).model_fields:
        if name in skip or name in ("evidence", "inferred", "source"):
            continue
        value = (replace or {}).get(name, getattr(model, name))
        if value is None or value == []:
            continue
        if isinstance(value, list):
            fields.append((name, [scalar(v) for v in value]))
        else:
            fields.append((name, scalar(value)))
    return fields


def _comment(lines: list[str], text: str, indent: str) -> None:
    for line in textwrap.wrap(" ".join(text.split()), 96 - len(indent)):
        lines.append(f"{indent}# {line}")


class _Out:
    def __init__(self, draft: Draft):
        self.draft = draft
        self.text = draft.text
        self.lines: list[str] = []

    def evidence(self, span: Span) -> str:
        exact = self.text[span.start:span.end]
        starts = count_overlapping(self.text, exact)
        if len(starts) > 1:
            return f"{{text: {quoted(exact)}, occurrence: {starts.index(span.start) + 1}}}"
        return quoted(exact)

    def item(self, indent: str, item: Item, fields: list[tuple[str, object]],
             evidence: list[Span], active: bool, note: str = "") -> None:
        why = f"confidence {item.confidence:.2f}: " + "; ".join(item.why)
        if note:
            why += f". {note}"
        _comment(self.lines, why, indent)
        body: list[str] = []
        first = True
        for name, value in fields:
            if value is None or value == [] or value == "":
                continue
            lead = "- " if first else "  "
            first = False
            if isinstance(value, list):
                body.append(f"{indent}{lead}{name}: [{', '.join(value)}]")
            else:
                body.append(f"{indent}{lead}{name}: {value}")
        spans = [s for s in evidence if s.end > s.start]
        if spans:
            body.append(f"{indent}  evidence:")
            body += [f"{indent}    - {self.evidence(s)}" for s in dict.fromkeys(spans)]
        self.lines += body if active else [f"{indent}# {line[len(indent):]}" for line in body]


def render_facts(draft: Draft, text_path: str) -> str:
    out = _Out(draft)
    lines = out.lines
    info = draft.info
    lines.append(f"{MARKER} (kgpub {__version__}) from {text_path} "
                 f"(sha256 {draft.sha256[:16]}...).")
    _comment(lines, "Review every item before publishing: each says how sure the draft is and "
             "why it was drafted. Items below confidence 0.50, and items that need an actor not "
             "yet in the registry, are commented out; accept one by uncommenting it.", "")
    lines += _header(draft)
    lines += ["", "article:", f"  id: {info.id}", f"  text: {quoted(text_path)}"]
    if info.url:
        lines.append(f"  url: {quoted(info.url)}")
    lines.append(f"  publisher: {info.publisher}")
    if info.publisher_evidence:
        lines.append(f"  publisher_evidence: [{out.evidence(info.publisher_evidence)}]")
    if info.author:
        lines += [f"  author: {info.author}",
                  f"  author_evidence: [{out.evidence(info.author_evidence)}]"]
    lines.append(f"  headline: {quoted(info.headline)}")
    if info.date_published:
        lines.append(f"  date_published: {info.date_published.isoformat()}")
    else:
        lines += [f"  date_published_earliest: {info.earliest.isoformat()}",
                  f"  date_published_latest: {info.latest.isoformat()}"]
    if info.date_reasoning:
        lines.append(f"  date_reasoning: {quoted(info.date_reasoning)}")
    if info.dateline and len(count_overlapping(draft.text, info.dateline)) == 1:
        lines.append(f"  dateline: {quoted(info.dateline)}")
        if info.location_created:
            lines.append(f"  location_created: {info.location_created}")
    lines += ["", "facts:"]
    active = _active_ids(draft)
    _quotes(out, draft, active)
    _events(out, draft, active)
    _tenures(out, draft)
    _stances(out, draft, active)
    _omissions(out, draft, active)
    if lines[-1] == "facts:":
        lines[-1] = "facts: {}"
    return "\n".join(lines) + "\n"


def _header(draft: Draft) -> list[str]:
    lines = ["#"]
    doc = draft.doc
    linked: dict[str, list[str]] = {}
    for m in draft.mentions:
        if m.linked:
            linked.setdefault(m.key, []).append(f'"{m.surface}" ({m.how})')
    if linked:
        lines.append("# Actors linked in the text (registry key: how the text names it):")
        for key, names in linked.items():
            counted = {n: names.count(n) for n in names}
            _comment(lines, f"  {key}: " + ", ".join(
                f"{n} x{c}" if c > 1 else n for n, c in counted.items()), "")
    for m in draft.mentions:
        if not m.linked and m.candidates:
            _comment(lines, f'Left unlinked, ambiguous: "{m.surface}" ({doc.where(m.start)}); '
                            f"candidates: {', '.join(m.candidates)}", "")
    for actor in draft.new_actors.values():
        where = doc.where(actor.mentions[0].start) if actor.mentions else "the text"
        _comment(lines, f'Not in the registry: "{actor.label}" ({actor.type}, {where}); proposed '
                        f"as {actor.key} in the --new-actors file; facts that need it are "
                        "commented out", "")
    for d in draft.dates:
        if d.value is None:
            _comment(lines, f'Date left as text: "{d.text}" ({doc.where(d.start)}): {d.rule}', "")
    for note in draft.notes:
        _comment(lines, note, "")
    if draft.info.author_name and not draft.info.author:
        _comment(lines, f'Byline "{draft.info.author_name}" is not in the registry (proposed in '
                        "the --new-actors file)", "")
    return lines


def _active_ids(draft: Draft) -> set[str]:
    return {q.ref for q in draft.quotes if q.active} | {e.id for e in draft.events if e.active} \
        | draft.known_ids


def _section(out: _Out, name: str, items: list[Item]) -> None:
    if not items:
        return
    active = any(i.active for i in items)
    out.lines.append("")
    out.lines.append(f"  {name}:" if active else f"  {name}: []")


def _pending_note(item: Item) -> str:
    if item.pending:
        return "Needs " + ", ".join(item.pending) + " in the registry (see --new-actors)."
    return "Below the threshold: check before accepting." if item.confidence < 0.5 else ""


def _quotes(out: _Out, draft: Draft, active: set[str]) -> None:
    _section(out, "quotes", draft.quotes)
    for q in draft.quotes:
        text = draft.text[q.span.start:q.span.end]
        starts = count_overlapping(draft.text, text)
        occurrence = starts.index(q.span.start) + 1 if len(starts) > 1 else None
        own = [("ref", q.ref), ("text", quoted(text)), ("occurrence", occurrence)]
        if q.same_as is not None:
            fields = own + _copied(q.same_as, {"ref", "text", "occurrence"})
        else:
            fields = own + [
                ("speaker", q.speaker or (q.pending[0] if q.pending else None)),
                ("medium", q.medium),
                ("uttered_in", q.uttered_in if q.uttered_in in active else None),
                ("uttered_on", q.uttered_on.isoformat() if q.uttered_on else None)]
        out.item("    ", q, fields, q.evidence, q.active, _pending_note(q))


def _events(out: _Out, draft: Draft, active: set[str]) -> None:
    _section(out, "events", draft.events)
    for e in draft.events:
        day = e.date if e.date and len(e.date) == 10 else None
        month = e.date if e.date and len(e.date) == 7 else None
        fields = _copied(e.same_as, set()) if e.same_as is not None else [
            ("id", e.id), ("type", e.type), ("label", quoted(e.label)), ("date", day),
            ("month", quoted(month) if month else None), ("place", e.place),
            ("actors", e.actors), ("status", e.status), ("invited_by", e.invited_by)]
        out.item("    ", e, fields, e.evidence, e.active, _pending_note(e))


def _tenures(out: _Out, draft: Draft) -> None:
    _section(out, "tenures", draft.tenures)
    for t in draft.tenures:
        if t.same_as is not None:
            out.item("    ", t, _copied(t.same_as, set()), t.evidence, t.active,
                     _pending_note(t))
            continue
        out.item("    ", t, [
            ("person", t.person or (t.pending[0] if t.pending else None)), ("post", t.post),
            ("organization", t.organization), ("role", quoted(t.role) if t.role else None),
            ("begins", quoted(t.begins) if t.begins else None),
            ("ends", quoted(t.ends) if t.ends else None),
            ("attested_on", t.attested_on.isoformat() if t.attested_on else None),
        ], t.evidence, t.active, _pending_note(t))


def _stances(out: _Out, draft: Draft, active: set[str]) -> None:
    _section(out, "stances", draft.stances)
    for s in draft.stances:
        if s.same_as is not None:
            out.item("    ", s, _copied(s.same_as, {"ref"}, {"expressed_in": s.quote_ref}),
                     s.evidence, s.active, _pending_note(s))
            continue
        out.item("    ", s, [
            ("holder", s.holder), ("speaker", s.speaker), ("targets", s.targets),
            ("target_as_worded", quoted(s.target_as_worded) if s.target_as_worded else None),
            ("target_confidence", s.target_confidence), ("type", s.type),
            ("polarity", s.polarity), ("strength", s.strength),
            ("intensifier", quoted(s.intensifier) if s.intensifier else None),
            ("modality", s.modality if s.modality != "Current" else None),
            ("attribution", s.attribution), ("characterized_by", s.characterized_by),
            ("expressed_in", s.expressed_in if s.expressed_in in active else None),
            ("expressed_during", s.expressed_during if s.expressed_during in active else None),
            ("stated_on", s.stated_on.isoformat() if s.stated_on else None),
            ("stated_before", s.stated_before.isoformat() if s.stated_before else None),
        ], s.evidence, s.active, _pending_note(s))


def _omissions(out: _Out, draft: Draft, active: set[str]) -> None:
    _section(out, "omissions", draft.omissions)
    for o in draft.omissions:
        out.item("    ", o, [
            ("id", o.id), ("omitted_by", o.omitted_by), ("not_mentioned", o.not_mentioned),
            ("within", o.within if o.within in active else None), ("observed_by", o.observed_by),
        ], o.evidence, o.active, _pending_note(o))


def render_new_actors(draft: Draft, article_name: str, registry_name: str) -> str:
    lines = [f"{MARKER} (kgpub {__version__}): actors of {article_name} that {registry_name} "
             "does not have."]
    _comment(lines, "Check each entry (type, label, spelling; a wikidata QID only once "
                    "verified), then move it into the registry; the facts that need it are "
                    "commented out in the draft until then.", "")
    lines.append("")
    if not draft.new_actors:
        lines.append("entities: []")
        return "\n".join(lines) + "\n"
    lines.append("entities:")
    for actor in draft.new_actors.values():
        places = ", ".join(draft.doc.where(s.start) for s in actor.mentions[:3])
        _comment(lines, f"confidence {actor.confidence:.2f}: {actor.why}; named at {places}",
                 "  ")
        lines += [f"  - key: {actor.key}", f"    type: {actor.type}",
                  f"    label: {quoted(actor.label)}"]
        if actor.post_in:
            lines.append(f"    post_in: {actor.post_in}")
    return "\n".join(lines) + "\n"


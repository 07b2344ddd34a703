"""The literals kgpub writes: language-tagged text, decimals, dates by their precision."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import TIME, XSD

from ..model import PartialDate


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def partial_date_literal(value: PartialDate) -> Literal:
    """`1996` as xsd:gYear, `1999-03` as xsd:gYearMonth, `2017-11-24` as xsd:date."""
    datatype = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}[value.precision]
    return Literal(value.text, datatype=datatype)


def time_property(value: PartialDate) -> URIRef:
    """The OWL-Time property for an instant known to that precision."""
    return {"year": TIME.inXSDgYear, "month": TIME.inXSDgYearMonth, "day": TIME.inXSDDate}[
        value.precision
    ]

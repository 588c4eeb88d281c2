"""RDF term conversion between rdflib (what the loaders build), pyoxigraph (what the store holds)
and plain Python values (what query rows, JSON, CSV and the Neo4j twins compare).

Plain values are deliberately boring so a `.rq` and its `.cypher` twin can return equal rows:
IRIs and blank nodes become strings, numbers go through `plain_number` (an `int` when whole,
so yuan amounts are exact integers; else a float of at most 15 significant digits, so decimal
arithmetic in SPARQL and float arithmetic in Cypher print the same), xsd:boolean a `bool`, dates and date-times their ISO text, every other literal its lexical form
(language tags are dropped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, localcontext
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
RdflibTerm = rdflib.URIRef | rdflib.BNode | rdflib.Literal

_XSD = str(XSD)
_INTEGERS = {
    _XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
_ISO = {_XSD + "date", _XSD + "dateTime", _XSD + "gYear", _XSD + "time"}


class TermConversionError(ValueError):
    """A term cannot be represented in the store (e.g. an IRI with a space in it)."""


def from_rdflib(term: RdflibTerm) -> OxTerm:
    """rdflib → pyoxigraph. Raises TermConversionError for terms pyoxigraph rejects."""
    try:
        if isinstance(term, rdflib.URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, rdflib.BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, rdflib.Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as err:
        raise TermConversionError(f"cannot store term {term!r}: {err}") from err
    raise TermConversionError(f"cannot store term {term!r} of type {type(term).__name__}")


def triples_from_rdflib(triples: Iterable[tuple[RdflibTerm, RdflibTerm, RdflibTerm]]) -> list[ox.Triple]:
    """`from_rdflib` for many triples: an IRI is converted once per call (a graph names its
    nodes and predicates over and over). The cache is keyed by the IRI's text, not the rdflib
    term, whose hash is computed in Python."""
    iris: dict[str, ox.NamedNode] = {}
    out = []
    for triple in triples:
        terms = []
        for term in triple:
            if type(term) is rdflib.URIRef:
                text = str.__str__(term)
                node = iris.get(text)
                if node is None:
                    node = iris[text] = from_rdflib(term)
                terms.append(node)
            else:
                terms.append(from_rdflib(term))
        out.append(ox.Triple(*terms))
    return out


def to_rdflib(term: OxTerm) -> RdflibTerm:
    """pyoxigraph → rdflib (used by `PolicyStore.graph_for` and CONSTRUCT results).

    The store keeps numbers in canonical form, so `2000000.0`^^xsd:decimal comes back as
    `2000000`: equal as a value (`Literal.eq`), not as a lexical form."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD + "string":
            return rdflib.Literal(term.value)  # RDF 1.1: a simple literal is an xsd:string
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TermConversionError(f"cannot convert {term!r} to rdflib")


def to_plain(term: OxTerm | None) -> Any:
    """A JSON-ready Python value for one query cell (None for an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                return plain_number(Decimal(term.value))
        except (ValueError, ArithmeticError):
            return term.value  # ill-typed literal: keep its text rather than fail the query
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


#: Significant digits kept for non-whole numbers: more than any amount or rate in a policy
#: needs, fewer than a binary float carries (so 1.4999999999999998 reads 1.5).
SIGNIFICANT_DIGITS = 15


def plain_number(value: int | float | Decimal) -> int | float:
    """One spelling per number whatever the backend: whole numbers as `int` (4000000, never
    4000000.0), others rounded to SIGNIFICANT_DIGITS and given as the float nearest that decimal,
    which JSON prints as the decimal itself (1.5, 0.333333333333333)."""
    if isinstance(value, int):   # bool included
        return value
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if not number.is_finite():
        return float(number)
    with localcontext() as ctx:
        ctx.prec = SIGNIFICANT_DIGITS
        number = +number
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def as_term(value: Any) -> OxTerm:
    """A binding value as an RDF term: terms pass through, Python values become typed literals.

    Plain `str` becomes an xsd:string literal, never an IRI: an IRI must be passed as a term
    (`rdflib.URIRef` / `pyoxigraph.NamedNode`), so user text can never turn into query syntax.
    """
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
        return value
    if isinstance(value, rdflib.URIRef | rdflib.BNode | rdflib.Literal):
        return from_rdflib(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, Decimal | float):
        return ox.Literal(str(Decimal(str(value))), datatype=ox.NamedNode(_XSD + "decimal"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + "date"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TermConversionError(f"cannot bind a value of type {type(value).__name__}: {value!r}")


def sparql_term(term: OxTerm) -> str:
    """The term in SPARQL syntax. pyoxigraph prints N-Triples, whose escaping is valid SPARQL,
    and its constructors already rejected invalid IRIs and language tags."""
    if isinstance(term, ox.BlankNode):
        raise TermConversionError("blank nodes cannot be bound as query parameters")
    return str(term)

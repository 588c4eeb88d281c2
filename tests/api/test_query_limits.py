"""The size and shape limits, on strings of many shapes (no server needed)."""

from __future__ import annotations

import pytest

from policykg.api.query_limits import (
    LimitExceeded,
    TextLimits,
    check_query_text,
    check_rdf_body,
    json_depth,
    raw_depth,
)

LIMITS = TextLimits(max_chars=500, max_depth=4, max_brackets=20, max_unions=3, max_patterns=10)


@pytest.mark.parametrize(("text", "depth"), [
    ("", 0), ("{}", 1), ("{ { ( [ ] ) } }", 4), ("} } {", 1), ("{}{}{}", 1),
    ('{ "}" {', 1),  # raw: a quoted closer undercounts; `brackets` bounds the real depth
])
def test_raw_depth(text, depth):
    assert raw_depth(text) == depth


@pytest.mark.parametrize(("data", "depth"), [
    (b"{}", 1), (b'{"a": [1, {"b": []}]}', 4), (b'{"a": "[[[[{{{{"}', 1),
    (b'{"a": "\\"[[["}', 1), (b"[" * 100 + b"]" * 100, 100), (b'"unterminated [[', 2),  # no string to skip: counted
])
def test_json_depth_skips_strings_exactly(data, depth):
    assert json_depth(data) == depth


@pytest.mark.parametrize(("text", "limit"), [
    ("SELECT * WHERE { " + "?s ?p ?o . " * 80 + "}", "query_chars"),
    ("SELECT * WHERE {{{{{ ?s ?p ?o }}}}}", "nesting_depth"),
    ('SELECT * WHERE ' + '{ "}" ' * 30 + "}", "brackets"),
    ("SELECT * { {} UNION {} UnIoN {} union {} UNION {} }", "unions"),
    ("SELECT * { ?a ?b ?c . ?d ?e ?f ; ?g ?h , ?i , ?j , ?k , ?l , ?m / ?n | ?o . ?p ?q ?r . }", "patterns"),
])
def test_each_limit_is_named(text, limit):
    with pytest.raises(LimitExceeded) as caught:
        check_query_text(text, LIMITS)
    assert caught.value.detail["limit"] == limit
    assert caught.value.detail["setting"].startswith("POLICYKG_QUERY_MAX_")
    assert limit in caught.value.message


def test_ordinary_queries_pass():
    check_query_text("PREFIX pkg: <urn:x#> SELECT ?p WHERE { ?p a pkg:Policy } LIMIT 3", LIMITS)


def test_rdf_body_depth():
    check_rdf_body(b'{"@id": "urn:a", "urn:p": [[[1]]]}', "application/ld+json", 4)
    with pytest.raises(LimitExceeded):
        check_rdf_body(b"[" * 5 + b"]" * 5, "application/ld+json", 4)
    with pytest.raises(LimitExceeded):
        check_rdf_body(b"<urn:a> <urn:p> [ <urn:p> [ <urn:p> ( ( 1 ) ) ] ] .", "text/turtle", 3)

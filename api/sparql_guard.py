"""Read-only guard for the SPARQL 1.1 Protocol endpoint: refuse updates and `SERVICE`.

The check runs on tokens, not on raw text: a lexer that follows the SPARQL 1.1 grammar's
terminals (§19.8: comments, the four string forms, IRIREF, variables, prefixed names and
blank-node labels, language tags) strips everything in which a keyword could hide, so what
is left as bare words are exactly the keywords the parser will see. `service` inside a string,
an IRI, a comment, a variable (`?service`) or a prefixed name (`ex:service`) is not a keyword;
`SeRvIcE <…>` anywhere, in any case, is. It runs before evaluation, because Oxigraph would
otherwise send the federated request itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policykg.api.errors import ReadOnlyEndpoint, ServiceForbidden

# Order matters: earlier alternatives win at a position.
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
              |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              |'(?:[^'\\\r\n]|\\.)*'
              |"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d](?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:(?:[\w:%\-\u00B7]|\\.|\.(?=[\w:%\-\\]))*)
  | (?P<word>[^\W\d_]\w*)
  | (?P<other>\S)
  | (?P<space>\s+)
    """,
    re.VERBOSE | re.DOTALL,
)

#: Keywords that only exist in the SPARQL 1.1 Update grammar.
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "DATA", "WITH"}
)


def keywords(text: str) -> Iterator[str]:
    """The bare words of a SPARQL text, upper-cased: keywords and function names."""
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "word":
            yield match.group().upper()


def check_read_only_query(text: str) -> None:
    """Raise `ReadOnlyEndpoint` for SPARQL Update and `ServiceForbidden` for `SERVICE`."""
    found = set(keywords(text))
    update = sorted(found & UPDATE_KEYWORDS)
    if update:
        raise ReadOnlyEndpoint(
            "This SPARQL endpoint is read-only: SPARQL Update is refused "
            f"(found {', '.join(update)}). Upload documents with POST /documents instead.",
            {"keywords": update},
        )
    if "SERVICE" in found:
        raise ServiceForbidden(
            "Federated queries (SERVICE) are refused: this endpoint does not make outgoing "
            "requests. Query the remote endpoint directly.",
        )


QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these keywords (the prologue only holds
    BASE and PREFIX), so the answer format can be negotiated before evaluating."""
    for word in keywords(text):
        if word in QUERY_FORMS:
            return word
    return None

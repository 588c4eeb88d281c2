"""Source names: the one normalisation every entry point applies, the names the store reserves,
and the collisions it refuses.

A source name becomes a named-graph IRI (`vocab.source_graph_iri`), which drops whitespace; so
`a b.txt` and `ab.txt` would share one graph and the second upload would silently replace the
first file. Names are therefore normalised once (Unicode NFKC — full-width letters and digits
become ASCII —, outer whitespace stripped, inner runs of whitespace made one space) and compared
by a key that ignores case and whitespace; a new name whose key matches a *different* stored
name is refused with a message naming the stored one. Names that spell a graph the store keeps
for itself (the background ontology, derived links, staging) are refused outright.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from policykg.ontology import vocab

#: Keys of names the store keeps for itself (graph/background, derived links, staging).
RESERVED = frozenset({"background", "links", "staging", "journal"})
_SPACES = re.compile(r"\s+")


class SourceNameError(ValueError):
    """A source name the store cannot take; the message says why, in zh and en."""


def normalise(name: str) -> str:
    """The stored form of a source name (NFKC, whitespace trimmed and collapsed)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip()


def key(name: str) -> str:
    """What two names must differ in to be two sources: not case, width or whitespace."""
    return _SPACES.sub("", normalise(name)).casefold()


def is_reserved(name: str) -> bool:
    return key(name) in RESERVED or vocab.source_graph_iri(normalise(name)) == vocab.BACKGROUND_GRAPH


def check(name: str, stored: Iterable[str] = ()) -> str:
    """`name` normalised, or `SourceNameError` if it is empty, reserved or collides with a
    different stored name (the same name is a replacement, which is fine)."""
    return _check(name, {key(other): other for other in stored})


def _check(name: str, by_key: dict[str, str]) -> str:
    clean = normalise(name)
    if not clean:
        raise SourceNameError("来源名称为空。 / The source name is empty.")
    if is_reserved(clean):
        raise SourceNameError(f"来源名称 {clean!r} 为系统保留。 / The source name {clean!r} is reserved "
                              f"(reserved: {', '.join(sorted(RESERVED))}).")
    other = by_key.get(key(clean))
    if other is not None and other != clean:
        raise SourceNameError(
            f"来源名称 {clean!r} 与已存储的 {other!r} 仅有大小写、全半角或空格之差。 / The source "
            f"name {clean!r} differs from the stored source {other!r} only by case, width or "
            f"whitespace; use {other!r} to replace it, or choose another name.")
    return clean


def check_batch(names: Iterable[str], stored: Iterable[str] = ()) -> list[str]:
    """`check` every name against the store and against the others of the same batch (one
    key per name: a load of 10,000 files compares keys, not every pair of names)."""
    by_key = {key(other): other for other in stored}
    out: list[str] = []
    batch: set[str] = set()
    for name in names:
        clean = _check(name, by_key)
        if clean in batch:
            raise SourceNameError(f"同一批次中来源名称 {clean!r} 出现两次。 / The source name {clean!r} "
                                  "occurs twice in one batch.")
        batch.add(clean)
        by_key[key(clean)] = clean
        out.append(clean)
    return out

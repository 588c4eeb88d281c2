"""The category of a funding instrument, scored from a vocabulary kept as data.

The words come from the SKOS concepts of the InstrumentCategories scheme (ontology/policy.ttl
prefLabels, ontology/categories.ttl altLabels and hiddenLabels): a researcher adds a word
there, not here. Each word joins jieba's user dictionary, so `训力券` or `语料券` is cut as one
word and `标准化` does not count as `标准`.

Scoring, not first match: the offer's sentence (its purpose phrase `用于…` removed: what the
money may be spent on is not what is funded), the clause heading and the clause's lead sentence
are cut into words; every vocabulary word found adds its weight (altLabel/prefLabel 3,
hiddenLabel 1; a category counts its best word once per zone) times the zone's weight (offer 5, heading 2, lead 1: a strong word of the offer outweighs another
category's strong word in both heading and lead); the last strong word of the offer before its
verb (`行业语料库开放共享平台建设,…给予`: 平台) is the head of what is funded and counts once more; but in
`对<act>的<recipient>` (`对完成算法备案的行业大模型`) the act is what is funded and the recipient
only who receives it, so where the act names a category the recipient's word is weak and no
head. The lead sentence only
supports a category the offer or heading already names: alone, a lead that lists many kinds of
resource (`统筹算力、数据、场景、资金`) says nothing about this offer. The best score wins; a tie
goes to the category whose matched words are longer (more specific), then to the order of
`facts.CATEGORIES`. No word at all: `other`.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import defaultdict
from functools import lru_cache

with warnings.catch_warnings():   # jieba imports pkg_resources, which warns on import
    warnings.simplefilter("ignore")
    import jieba
from rdflib import Graph
from rdflib.namespace import SKOS

from policykg.loaders.facts import CATEGORIES
from policykg.ontology import CATEGORIES_TTL, POLICY_TTL
from policykg.ontology.vocab import PKG

LABEL_WEIGHT = {SKOS.prefLabel: 3, SKOS.altLabel: 3, SKOS.hiddenLabel: 1}
ZONE_WEIGHT = {"offer": 5, "heading": 2, "lead": 1}
_PURPOSE = re.compile(r"用于[^,;。，；]*")
#: the verb of an offer: the last strong word before it heads what is funded
_VERB = re.compile(r"给予|予以|按|按照|补贴|补助|奖励|资助|支持|发放")

jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, list[tuple[str, int]]]:
    """word -> [(category notation, weight)], read from the ontology's category concepts."""
    g = Graph()
    g.parse(POLICY_TTL)
    g.parse(CATEGORIES_TTL)
    words: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for concept in g.subjects(SKOS.inScheme, PKG.InstrumentCategories):
        notation = str(g.value(concept, SKOS.notation) or "")
        if notation not in CATEGORIES or notation == "other":
            continue
        for prop, weight in LABEL_WEIGHT.items():
            for label in g.objects(concept, prop):
                if getattr(label, "language", None) != "zh":
                    continue
                for word in str(label).split("/"):     # prefLabels such as 算力券/算力补贴
                    word = word.strip()
                    if word and (notation, weight) not in words[word]:
                        words[word].append((notation, weight))
    return dict(words)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    for word, senses in vocabulary().items():
        # a strong word wins the cut against a weak one (智能算力|项目 vs 智能|算力项目)
        tok.add_word(word, freq=200_000 if max(w for _, w in senses) > 1 else 2_000)
    return tok


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The words of `text` as jieba cuts them with the category vocabulary as user dictionary."""
    return tuple(_tokenizer().lcut(text, HMM=False)) if text else ()


def scores(zones: dict[str, str]) -> dict[str, tuple[int, int]]:
    """category -> (score, length of matched words) over the zones {offer, heading, lead}.

    A category needs one strong word, or two weak ones: a lone weak word (`租用`, `应用`) is
    too ambiguous to name what is funded.
    """
    vocab = vocabulary()
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for zone, text in zones.items():
        if not text:
            continue
        if zone == "offer":
            text = _PURPOSE.sub("", text)
        best: dict[str, int] = defaultdict(int)      # per zone, a category counts its best word once
        head: str | None = None
        before_verb = zone == "offer"
        cut = words(text)
        demoted = _recipient_nouns(cut) if zone == "offer" else set()
        for i, word in enumerate(cut):
            if before_verb and _VERB.fullmatch(word):
                before_verb = False
            for category, weight in vocab.get(word, ()):
                if i in demoted:
                    weight = 1
                # the offer adds up its words; heading and lead only say which categories they name
                best[category] = best[category] + weight if zone == "offer" else max(best[category], weight)
                out[category][1] += len(word)
                out[category][2] += weight
                if weight > 1 and before_verb:
                    head = category
        for category, weight in best.items():
            out[category][0] += weight * ZONE_WEIGHT[zone]
        if head is not None:
            out[head][0] += ZONE_WEIGHT["offer"]    # the head noun before the verb: what is funded
    return {c: (s, n) for c, (s, n, raw) in out.items() if raw >= 2}


def _strong(word: str) -> bool:
    return any(weight > 1 for _, weight in vocabulary().get(word, ()))


def _recipient_nouns(cut: tuple[str, ...]) -> set[int]:
    """Positions of recipient nouns in `对<act>的<recipient>` (`对完成算法备案的行业大模型`) whose
    act names a category: the act is what is funded, the recipient only who receives it, so the
    recipient's word counts as a weak one and is never the head."""
    out: set[int] = set()
    opened: int | None = None             # index of the last 对 not yet closed by a verb
    for i, word in enumerate(cut):
        if word == "对":
            opened = i
        elif _VERB.fullmatch(word) or word in ",，;；。":
            opened = None
        elif (opened is not None and i > 0 and cut[i - 1] == "的" and _strong(word)
              and any(_strong(w) for w in cut[opened + 1:i - 1])):
            out.add(i)
    return out


def _zone_scores(zones: dict[str, str]) -> dict[str, tuple[int, int]]:
    named = scores({k: v for k, v in zones.items() if k != "lead"})
    if not named:
        return {}
    lead = scores({"lead": zones.get("lead", "")})
    return {c: (s + lead.get(c, (0, 0))[0], n + lead.get(c, (0, 0))[1]) for c, (s, n) in named.items()}


def classify(sentence: str, heading: str | None = None, lead: str | None = None) -> str:
    """The best-scoring category of an offer (see the module docstring), else `other`."""
    found = _zone_scores({"offer": sentence, "heading": heading or "", "lead": lead or ""})
    if not found:
        return "other"
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return max(found, key=lambda c: (found[c][0], found[c][1], -order[c]))

// name: search
// zh: 全文检索:哪些条款提到某个词(如 数据标注、算力券),按出现次数和位置排序,并给出所在句子。
// en: Full text: which clauses mention a term (e.g. 数据标注, 算力券), ranked by occurrences and
// en: position, with the sentence that contains it.
// param: text : string -- the term to look for
// param: min_share : decimal = 0.6 -- share of the term's character bigrams a clause needs when the exact term is absent
//
// Chinese has no spaces, so words are not tokens: an exact match is a substring (CONTAINS), counted
// with a literal ("q" flag) REPLACE. When the exact term is absent, a clause still matches if it
// contains at least min_share of the term's distinct character bigrams (数据标注 → 数据, 据标, 标注),
// e.g. "对数据进行标注" for 数据标注. Ranking: occurrences, then bigram share, then position.
// Only the first 41 characters of a term are cut into bigrams (the numbers table below).
// sentence: the sentence (between 。；;！!？? or line breaks) around the first exact match, or around
// the first matching bigram. position is 0-based in the clause text.
//
// Cypher twin of search.rq: same parameters, same columns (a test checks equal answers).
// the term's distinct character bigrams (0-based start < 40, as in the .rq)
WITH [k IN range(0, size($text) - 2) WHERE k < 40 | substring($text, k, 2)] AS term_bigrams,
     ['。', '；', ';', '！', '!', '？', '?', '\n'] AS stops
WITH stops, [k IN range(0, size(term_bigrams) - 1) | [k, term_bigrams[k]]] AS indexed,
     reduce(u = [], b IN term_bigrams | CASE WHEN b IN u THEN u ELSE u + b END) AS distinct_bigrams
MATCH (c:Clause)-[:OF_POLICY]->(p)
WHERE c.text_zh IS NOT NULL
WITH c, p, c.text_zh AS body, stops, size(distinct_bigrams) AS term_bigram_count,
     [pair IN indexed WHERE c.text_zh CONTAINS pair[1]] AS hits
WITH c, p, body, stops, term_bigram_count, hits,
     (size(body) - size(replace(body, $text, ''))) / size($text) AS occurrences,
     reduce(u = [], pair IN hits | CASE WHEN pair[1] IN u THEN u ELSE u + pair[1] END) AS hit_bigrams
WITH c, p, body, stops, occurrences, hits,
     CASE WHEN term_bigram_count > 0 THEN toFloat(size(hit_bigrams)) / term_bigram_count ELSE 0 END AS bigram_share
WHERE occurrences > 0 OR bigram_share >= $min_share
// the needle: the term itself, else the first bigram the clause contains
WITH c, p, body, stops, occurrences, bigram_share,
     CASE WHEN occurrences > 0 THEN $text ELSE hits[0][1] END AS needle
WITH c, p, body, stops, occurrences, bigram_share, needle, split(body, needle)[0] AS before
WITH c, p, stops, occurrences, bigram_share, needle, before,
     substring(body, size(before) + size(needle)) AS after
// the sentence: from the last stop before the needle to the first stop after it (inclusive)
WITH c, p, occurrences, bigram_share, needle, before, after,
     reduce(last = -1, i IN range(0, size(before) - 1) |
            CASE WHEN substring(before, i, 1) IN stops THEN i ELSE last END) AS last_stop,
     reduce(first = -1, i IN range(size(after) - 1, 0, -1) |
            CASE WHEN substring(after, i, 1) IN stops THEN i ELSE first END) AS first_stop
RETURN c.iri AS clause, p.iri AS policy, p.title_zh AS policy_title, c.number AS number,
       c.heading_zh AS heading, occurrences, bigram_share, size(before) AS position,
       substring(before, last_stop + 1) + needle +
       CASE WHEN first_stop < 0 THEN after ELSE substring(after, 0, first_stop + 1) END AS sentence
ORDER BY occurrences DESC, bigram_share DESC, position, clause

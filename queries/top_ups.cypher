// name: top-ups
// zh: 加码:下级辖区(区、园区)在上级辖区同一支持之上提高了什么,比例与上限的绝对差和相对差。
// en: Top-ups (加码): what a district or park adds on top of its city's instrument for the same
// en: thing, with absolute and relative differences in rate and cap.
// param: jurisdiction : jurisdiction? -- only top-ups whose lower or upper policy applies in this jurisdiction or inside it
// list: lower_jurisdiction, upper_jurisdiction
//
// One row per pkg:topsUp link. *_difference = lower − upper; *_relative_difference =
// (lower − upper) / upper, e.g. 0.5 vs 0.2 gives 0.3 and 1.5 (150% more). Unbound when a side has
// no rate or cap. lower_terms / upper_terms are both offers as the texts state them (最高 50%;
// 每年最高 400万元). The evidence is the lower (top-up) instrument's sentence.
//
// Cypher twin of top_ups.rq: same parameters, same columns (a test checks equal answers).
MATCH (li)-[:TOPS_UP]->(ui), (li)-[:INSTRUMENT_OF]->(lp), (ui)-[:INSTRUMENT_OF]->(up)
// optional filter: the top-up concerns the given jurisdiction or a place inside it
WHERE $jurisdiction IS NULL
   OR EXISTS { MATCH (lp)-[:APPLIES_IN]->()-[:WITHIN*0..]->(:Jurisdiction {iri: $jurisdiction}) }
   OR EXISTS { MATCH (up)-[:APPLIES_IN]->()-[:WITHIN*0..]->(:Jurisdiction {iri: $jurisdiction}) }
WITH li, ui, lp, up,
     [(lp)-[:APPLIES_IN]->(j) | coalesce(j.name_zh, last(split(j.iri, '/')))] AS lower_names,
     [(up)-[:APPLIES_IN]->(j) | coalesce(j.name_zh, last(split(j.iri, '/')))] AS upper_names
WITH li, ui, lp, up,
     reduce(u = [], x IN lower_names | CASE WHEN x IN u THEN u ELSE u + x END) AS lower_names,
     reduce(u = [], x IN upper_names | CASE WHEN x IN u THEN u ELSE u + x END) AS upper_names
OPTIONAL MATCH (li)-[:CATEGORY]->(c)
OPTIONAL MATCH (li)-[:PERIOD]->(lper)
OPTIONAL MATCH (ui)-[:PERIOD]->(uper)
OPTIONAL MATCH (li)-[:HAS_EVIDENCE]->(e) WHERE e.quote IS NOT NULL
OPTIONAL MATCH (e)-[:IN_CLAUSE]->(ec)
OPTIONAL MATCH (li)-[:DEFINED_IN]->(dc)
RETURN c.code AS category,
       reduce(s = null, x IN lower_names | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS lower_jurisdiction,
       lp.iri AS lower_policy, lp.title_zh AS lower_policy_title, li.iri AS lower_instrument,
       reduce(s = null, x IN upper_names | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS upper_jurisdiction,
       up.iri AS upper_policy, up.title_zh AS upper_policy_title, ui.iri AS upper_instrument,
       li.rate AS lower_rate, ui.rate AS upper_rate, li.rate - ui.rate AS rate_difference,
       CASE WHEN ui.rate = 0 THEN null ELSE (li.rate - ui.rate) / toFloat(ui.rate) END AS rate_relative_difference,
       li.max_amount AS lower_max_yuan, ui.max_amount AS upper_max_yuan,
       li.max_amount - ui.max_amount AS cap_difference,
       CASE WHEN ui.max_amount = 0 THEN null
            ELSE (li.max_amount - ui.max_amount) / toFloat(ui.max_amount) END AS cap_relative_difference,
       lper.code AS lower_period, uper.code AS upper_period, li.terms_zh AS lower_terms, ui.terms_zh AS upper_terms,
       coalesce(dc.iri, ec.iri) AS clause, e.quote AS evidence
ORDER BY category, upper_jurisdiction, lower_jurisdiction, lower_instrument

// name: targets
// zh: 各辖区政策设定的量化目标(如到2027年智算规模500 PFLOPS):目标值、单位、年份、出处条款与原文。
// en: Quantified targets each jurisdiction sets (e.g. 500 PFLOPS of compute by 2027): value, unit,
// en: year, and the clause and quoted sentence they come from.
// param: jurisdiction : jurisdiction? -- only targets of policies that apply in this jurisdiction or inside it
// list: policy_jurisdiction
//
// Cypher twin of targets.rq: same parameters, same columns (a test checks equal answers).
MATCH (t:Target)-[:TARGET_OF]->(p)
WHERE $jurisdiction IS NULL
   OR EXISTS { MATCH (p)-[:APPLIES_IN]->()-[:WITHIN*0..]->(:Jurisdiction {iri: $jurisdiction}) }
WITH t, p, [(p)-[:APPLIES_IN]->(j) | coalesce(j.name_zh, last(split(j.iri, '/')))] AS names
OPTIONAL MATCH (t)-[:HAS_EVIDENCE]->(e) WHERE e.quote IS NOT NULL
OPTIONAL MATCH (e)-[:IN_CLAUSE]->(ec)
OPTIONAL MATCH (t)-[:DEFINED_IN]->(dc)
WITH t, p, e, coalesce(dc, ec) AS cl,
     reduce(u = [], x IN names | CASE WHEN x IN u THEN u ELSE u + x END) AS names
RETURN reduce(s = null, x IN names | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS policy_jurisdiction,
       t.name_zh AS name, t.target_value AS value, t.unit AS unit, t.target_year AS year,
       p.iri AS policy, p.title_zh AS policy_title, t.iri AS target, cl.iri AS clause,
       e.quote AS evidence
ORDER BY policy_jurisdiction, year, name

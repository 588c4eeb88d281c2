// name: departments
// zh: 各部门负责什么:作为责任单位、配合单位、牵头单位的条款,以及其管理的资金支持与目标。
// en: Which departments are responsible for what: clauses where they are the responsible,
// en: cooperating or lead unit, and the instruments and targets they administer.
// param: jurisdiction : jurisdiction? -- only departments of this jurisdiction or places inside it
//
// role: responsible | cooperating | lead | administers. item_kind: clause | instrument | target.
// evidence is the clause text for a clause (it carries the 责任单位 list) and the quoted sentence
// for an instrument or target. A department with no pkg:departmentOf is placed by its policy.
//
// Cypher twin of departments.rq: same parameters, same columns (a test checks equal answers).
MATCH (item)-[role_of:RESPONSIBLE_UNIT|COOPERATING_UNIT|LEAD_UNIT|ADMINISTERED_BY]->(d)
WHERE item:Clause OR item:FundingInstrument OR item:Target
MATCH (item)-[:OF_POLICY|INSTRUMENT_OF|TARGET_OF]->(p)
OPTIONAL MATCH (d)-[:DEPARTMENT_OF]->(dj)
WITH item, d, p, dj,
     CASE type(role_of) WHEN 'RESPONSIBLE_UNIT' THEN 'responsible' WHEN 'COOPERATING_UNIT' THEN 'cooperating'
                        WHEN 'LEAD_UNIT' THEN 'lead' ELSE 'administers' END AS role,
     CASE WHEN item:Clause THEN 'clause' WHEN item:FundingInstrument THEN 'instrument' ELSE 'target' END AS item_kind
// optional filter: the department's jurisdiction (else its policy's) is the given one or inside it
WHERE $jurisdiction IS NULL
   OR (dj IS NOT NULL AND EXISTS { MATCH (dj)-[:WITHIN*0..]->(:Jurisdiction {iri: $jurisdiction}) })
   OR (dj IS NULL AND EXISTS { MATCH (p)-[:APPLIES_IN]->()-[:WITHIN*0..]->(:Jurisdiction {iri: $jurisdiction}) })
OPTIONAL MATCH (item)-[:HAS_EVIDENCE]->(e) WHERE e.quote IS NOT NULL
OPTIONAL MATCH (item)-[:DEFINED_IN]->(di)
RETURN d.iri AS department,
       coalesce(d.name_zh, d.name_en, last(split(d.iri, '/'))) AS department_name,
       CASE WHEN dj IS NULL THEN null ELSE coalesce(dj.name_zh, last(split(dj.iri, '/'))) END AS department_jurisdiction,
       role, item_kind, item.iri AS item,
       coalesce(item.name_zh, coalesce(item.number, '') +
                CASE WHEN item.heading_zh IS NULL THEN '' ELSE ' ' + item.heading_zh END) AS item_label,
       p.iri AS policy, p.title_zh AS policy_title,
       CASE item_kind WHEN 'clause' THEN item.iri ELSE di.iri END AS clause,
       coalesce(e.quote, item.text_zh) AS evidence
ORDER BY department_jurisdiction, department_name, role, policy_title, item

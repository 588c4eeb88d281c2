// name: department-ranking
// zh: 部门按其负责的资金工具数量排名(同名部门合并;未写明负责部门的工具按其条款的责任单位计)。
// en: Departments ranked by the instruments they administer, aliases merged (departments by one
// en: name are one); an instrument naming no department counts for its clause's responsible units.
// param: jurisdiction : jurisdiction? -- only departments of this jurisdiction or places inside it
//
// A department is its Chinese name: nodes minted from two spellings that resolve to one full
// name (市科技局 in 南通 and 南通市科技局) share it. instruments counts each instrument once per
// department; policies the policies those instruments belong to.
//
// Cypher twin of department_ranking.rq: same parameters, same columns (a test checks equal answers).
// who administers each instrument: its own departments, else its clause's responsible units
MATCH (i:FundingInstrument)-[:INSTRUMENT_OF]->(p)
OPTIONAL MATCH (i)-[:ADMINISTERED_BY]->(a)
OPTIONAL MATCH (i)-[:DEFINED_IN]->()-[:RESPONSIBLE_UNIT]->(u)
WITH i, p, collect(DISTINCT a) AS administrators, collect(DISTINCT u) AS units
UNWIND CASE WHEN size(administrators) > 0 THEN administrators ELSE units END AS d
OPTIONAL MATCH (d)-[:DEPARTMENT_OF]->(dj)
WITH i, p, d, dj
// optional filter: the department's jurisdiction (else its policy's) is the given one or inside it
WHERE $jurisdiction IS NULL
   OR (dj IS NOT NULL AND EXISTS { MATCH (dj)-[:WITHIN*0..]->(:Jurisdiction {iri: $jurisdiction}) })
   OR (dj IS NULL AND EXISTS { MATCH (p)-[:APPLIES_IN]->()-[:WITHIN*0..]->(:Jurisdiction {iri: $jurisdiction}) })
WITH coalesce(d.name_zh, last(split(d.iri, '/'))) AS department_name,
     CASE WHEN dj IS NULL THEN null ELSE coalesce(dj.name_zh, last(split(dj.iri, '/'))) END AS dj_name, i, p
RETURN department_name, min(dj_name) AS department_jurisdiction,
       count(DISTINCT i) AS instruments, count(DISTINCT p) AS policies
ORDER BY instruments DESC, department_name

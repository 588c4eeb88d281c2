// name: instrument-counts
// zh: 各辖区各类支持的资金工具数量(每项工具在其政策适用的每个辖区计一次,不重复)。
// en: How many instruments each jurisdiction offers per kind of support (each instrument once per
// en: jurisdiction its policy applies in), with how many of them state a figure.
//
// quantified counts the instruments with a rate or an amount (support named without a figure,
// 一事一议, is counted in instruments only). Documents that only restate policies (news reports,
// interpretations) are left out.
//
// Cypher twin of instrument_counts.rq: same parameters, same columns (a test checks equal answers).
MATCH (i:FundingInstrument)-[:CATEGORY]->(c), (i)-[:INSTRUMENT_OF]->(p)-[:APPLIES_IN]->(j)
WHERE NOT EXISTS {
        MATCH (p)-[:DOCUMENT_TYPE]->(t)
        WHERE t.iri IN ['https://w3id.org/policykg/ontology#NewsReport',
                        'https://w3id.org/policykg/ontology#Interpretation'] }
WITH j, c.code AS category, i, p,
     CASE WHEN i.rate IS NOT NULL OR i.max_amount IS NOT NULL THEN i ELSE null END AS figured
RETURN j.iri AS jurisdiction, coalesce(j.name_zh, last(split(j.iri, '/'))) AS jurisdiction_name, category,
       count(DISTINCT i) AS instruments, count(DISTINCT figured) AS quantified, count(DISTINCT p) AS policies
ORDER BY jurisdiction_name, category

// name: policies-by-level-year
// zh: 各层级(省、地级市、区县、新区、园区)每年出台的政策数量(每份政策在每个层级只计一次)。
// en: How many policies each level of government (province, prefecture city, district, new area,
// en: zone) issued per year, each policy once per level.
//
// year is the year of pkg:issued, else of pkg:inForceFrom; unbound when the text gives neither.
// Only policies whose text is loaded count (a cited or described policy is not counted); news
// reports and interpretations are not policies. A joint policy of two levels counts in both.
//
// Cypher twin of policies_by_level_year.rq: same parameters, same columns (a test checks equal answers).
MATCH (p:Policy)-[:APPLIES_IN]->(j)-[:LEVEL]->(lvl)
WHERE p.loaded = true AND NOT EXISTS {
        MATCH (p)-[:DOCUMENT_TYPE]->(t)
        WHERE t.iri IN ['https://w3id.org/policykg/ontology#NewsReport',
                        'https://w3id.org/policykg/ontology#Interpretation'] }
WITH lvl.code AS level, p, coalesce(p.issued, p.in_force_from) AS day
RETURN level, CASE WHEN day IS NULL THEN null ELSE day.year END AS year, count(DISTINCT p) AS policies
ORDER BY level, year

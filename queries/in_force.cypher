// name: in-force
// zh: 某日对位于某辖区的企业有效的政策,含所有上级辖区(如南通创新区的企业同时适用南通市、江苏省的政策)。
// en: Policies in force on a date for a firm located in a jurisdiction, including every enclosing
// en: jurisdiction (a firm in 南通创新区 is also under 南通市 and 江苏省 policies).
// param: date : date = today -- the day to check (ISO date)
// param: jurisdiction : jurisdiction -- where the firm is located (name like 南通创新区, alias or IRI)
//
// status:
//   in_force       at least one of pkg:inForceFrom / pkg:inForceUntil is known and the date lies
//                  within the known bounds (an open end counts as open);
//   unknown_dates  neither is known (e.g. a policy only described in a news report): the policy is
//                  listed so it is not silently lost, but its force could not be checked.
// Dropped: not yet in force, expired, issued after the date, and documents that are not policies
// (news reports, interpretations, unnamed groups of documents).
//
// Cypher twin of in_force.rq: same parameters, same columns (a test checks equal answers).
// the firm's jurisdiction and every jurisdiction enclosing it
MATCH (:Jurisdiction {iri: $jurisdiction})-[:WITHIN*0..]->(applies)
MATCH (p:Policy)-[:APPLIES_IN]->(applies)
WHERE NOT EXISTS {
        MATCH (p)-[:DOCUMENT_TYPE]->(t)
        WHERE t.iri IN ['https://w3id.org/policykg/ontology#NewsReport',
                        'https://w3id.org/policykg/ontology#Interpretation',
                        'https://w3id.org/policykg/ontology#DocumentGroup'] }
  AND (p.in_force_from IS NULL OR p.in_force_from <= $date)
  AND (p.in_force_until IS NULL OR p.in_force_until >= $date)
  AND (p.in_force_from IS NOT NULL OR p.issued IS NULL OR p.issued <= $date)
OPTIONAL MATCH (p)-[:DOCUMENT_TYPE]->(dt)
// the sentence stating the validity period, and its clause
OPTIONAL MATCH (p)-[:VALIDITY_EVIDENCE]->(ve)
OPTIONAL MATCH (ve)-[:IN_CLAUSE]->(vc)
RETURN DISTINCT p.iri AS policy, p.title_zh AS title, p.doc_number AS doc_number,
       dt.code AS document_type,
       coalesce(applies.name_zh, last(split(applies.iri, '/'))) AS policy_jurisdiction,
       p.in_force_from AS in_force_from, p.in_force_until AS in_force_until, p.issued AS issued,
       CASE WHEN p.in_force_from IS NOT NULL OR p.in_force_until IS NOT NULL
            THEN 'in_force' ELSE 'unknown_dates' END AS status,
       coalesce(p.loaded = true, false) AS loaded, p.source_file AS source_file,
       vc.iri AS clause, ve.quote AS evidence
ORDER BY status, policy_jurisdiction, title

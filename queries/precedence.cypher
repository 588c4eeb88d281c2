// name: precedence
// zh: 某政策取代或优先于哪些文件(及范围)、哪些文件优先于它,以及该政策和其各项支持适用的叠加规则与适用原则。
// en: What a policy supersedes or prevails over (and in what scope), what prevails over it, and the
// en: stacking rules and precedence principles of the policy and its instruments.
// param: policy : policy -- policy IRI, document number (通政办规〔2024〕7号) or (part of) its title
//
// kind: supersedes | prevails_over (direction outgoing: the policy is the subject; incoming: it is
// the object) | precedence_principle (e.g. later_prevails) | stacking_rule (e.g. highest_applies,
// on the policy itself or on one of its instruments: see subject).
// Relations come from pkg:RelationStatement (with scope and evidence) and, when a loader stated
// only the bare triple, from the triple itself.
// Note: UNION branches do not see ?policy (SPARQL evaluates them bottom-up), so each branch binds
// its own ?subject / ?object / ?owner and the outer filters compare them with ?policy.
//
// Cypher twin of precedence.rq: same parameters, same columns (a test checks equal answers).
// qualified relation statements (the policy is their subject or their object)
MATCH (st:RelationStatement)-[:SUBJECT]->(s), (st)-[:OBJECT]->(o)
WHERE st.relation_type IN ['SUPERSEDES', 'PREVAILS_OVER'] AND (s.iri = $policy OR o.iri = $policy)
OPTIONAL MATCH (st)-[:PRECEDENCE_SCOPE]->(sc)
OPTIONAL MATCH (st)-[:HAS_EVIDENCE]->(e) WHERE e.quote IS NOT NULL
OPTIONAL MATCH (e)-[:IN_CLAUSE]->(c)
RETURN toLower(st.relation_type) AS kind,
       CASE WHEN s.iri = $policy THEN 'outgoing' ELSE 'incoming' END AS direction,
       s.iri AS subject, coalesce(s.title_zh, s.name_zh) AS subject_label,
       o.iri AS object, coalesce(o.title_zh, o.name_zh) AS object_label,
       sc.code AS scope, null AS principle, null AS rule, c.iri AS clause, e.quote AS evidence
UNION ALL
// bare triples that have no statement
MATCH (s)-[r:SUPERSEDES|PREVAILS_OVER]->(o)
WHERE (s.iri = $policy OR o.iri = $policy)
  AND NOT EXISTS {
        MATCH (st:RelationStatement)-[:SUBJECT]->(s), (st)-[:OBJECT]->(o)
        WHERE st.relation_type = type(r) }
RETURN toLower(type(r)) AS kind,
       CASE WHEN s.iri = $policy THEN 'outgoing' ELSE 'incoming' END AS direction,
       s.iri AS subject, coalesce(s.title_zh, s.name_zh) AS subject_label,
       o.iri AS object, coalesce(o.title_zh, o.name_zh) AS object_label,
       null AS scope, null AS principle, null AS rule, null AS clause, null AS evidence
UNION ALL
// the policy's general principle (以本文件为准 / 按新规定执行)
MATCH (s {iri: $policy})-[:PRECEDENCE_PRINCIPLE]->(pp)
WHERE pp.code IS NOT NULL
// one row per sentence stating it
OPTIONAL MATCH (st:RelationStatement)-[:SUBJECT]->(s), (st)-[:OBJECT]->(pp), (st)-[:HAS_EVIDENCE]->(e)
WHERE st.relation_type = 'PRECEDENCE_PRINCIPLE'
OPTIONAL MATCH (e)-[:IN_CLAUSE]->(c)
RETURN 'precedence_principle' AS kind, 'own' AS direction,
       s.iri AS subject, coalesce(s.title_zh, s.name_zh) AS subject_label,
       null AS object, null AS object_label,
       null AS scope, pp.code AS principle, null AS rule, c.iri AS clause, e.quote AS evidence
UNION ALL
// stacking rules on the policy itself
MATCH (s:Policy {iri: $policy})-[:STACKING_RULE]->(sr)
WHERE sr.code IS NOT NULL
// one row per sentence stating it
OPTIONAL MATCH (st:RelationStatement)-[:SUBJECT]->(s), (st)-[:OBJECT]->(sr), (st)-[:HAS_EVIDENCE]->(e)
WHERE st.relation_type = 'STACKING_RULE'
OPTIONAL MATCH (e)-[:IN_CLAUSE]->(c)
RETURN 'stacking_rule' AS kind, 'own' AS direction,
       s.iri AS subject, coalesce(s.title_zh, s.name_zh) AS subject_label,
       null AS object, null AS object_label,
       null AS scope, null AS principle, sr.code AS rule, c.iri AS clause, e.quote AS evidence
UNION ALL
// stacking rules on its instruments, with the instrument's evidence
MATCH (s)-[:INSTRUMENT_OF]->({iri: $policy}), (s)-[:STACKING_RULE]->(sr)
WHERE sr.code IS NOT NULL
OPTIONAL MATCH (s)-[:HAS_EVIDENCE]->(e) WHERE e.quote IS NOT NULL
OPTIONAL MATCH (e)-[:IN_CLAUSE]->(c)
RETURN 'stacking_rule' AS kind, 'own' AS direction,
       s.iri AS subject, coalesce(s.title_zh, s.name_zh) AS subject_label,
       null AS object, null AS object_label,
       null AS scope, null AS principle, sr.code AS rule, c.iri AS clause, e.quote AS evidence

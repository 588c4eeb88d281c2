// name: expiring
// zh: 已失效或将在指定天数内到期的政策(按有效期至 pkg:inForceUntil,含当日)。
// en: Policies that already expired, or whose force ends within the given number of days after the
// en: date (pkg:inForceUntil is the last day in force, inclusive).
// param: date : date = today -- the reference day (ISO date)
// param: days : integer = 90 -- how many days ahead count as "expiring"
// list: jurisdiction
//
// status: expired (last day before the date) or expiring (last day in [date, date + days]).
// days_left is negative for expired policies. Policies without an end date are not listed.
//
// Cypher twin of expiring.rq: same parameters, same columns (a test checks equal answers).
MATCH (p:Policy)
WHERE p.in_force_until IS NOT NULL AND p.in_force_until <= $date + duration({days: $days})
WITH p, [(p)-[:APPLIES_IN]->(j) | coalesce(j.name_zh, last(split(j.iri, '/')))] AS names
WITH p, reduce(u = [], x IN names | CASE WHEN x IN u THEN u ELSE u + x END) AS names
// the sentence stating the validity period, and its clause
OPTIONAL MATCH (p)-[:VALIDITY_EVIDENCE]->(ve)
OPTIONAL MATCH (ve)-[:IN_CLAUSE]->(vc)
RETURN p.iri AS policy, p.title_zh AS title, p.doc_number AS doc_number,
       reduce(s = null, x IN names | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS jurisdiction,
       p.in_force_from AS in_force_from, p.in_force_until AS in_force_until,
       duration.inDays($date, p.in_force_until).days AS days_left,
       CASE WHEN p.in_force_until < $date THEN 'expired' ELSE 'expiring' END AS status,
       vc.iri AS clause, ve.quote AS evidence
ORDER BY in_force_until, title

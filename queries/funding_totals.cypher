// name: funding-totals
// zh: 资金池与基金规模合计:按辖区、按省汇总。同一基金在同一政策或相互引用的政策中重述只计一次,一份政策覆盖两个辖区也不重复计算;金额相同但政策互不相关或地区不同的基金分别计算。
// en: Pool and fund totals per jurisdiction and per province, each fund counted once: a fund
// en: restated in one policy or in policies that refer to each other, or a policy covering two
// en: jurisdictions of one province, is not counted twice; funds of one amount in unrelated
// en: policies or in other places stay distinct.
// param: scope : string = jurisdiction -- jurisdiction (where each policy applies) or province (the province enclosing it)
//
// One row per place and cap scope (yearly_pool: money a year for all recipients; fund_size: a
// fund's size). A fund is restated when two instruments of the same category, cap scope and
// amount stand in one policy, or in two policies of which one refers to the other (supports,
// supersedes, prevails over, based on, cites, aligns with, implemented by, described in): they
// count as one fund, named by the first such instrument by IRI. Two funds of one amount in one
// place whose policies do not refer to each other are two funds; so are funds in different
// places. funds counts distinct funds, instruments the instrument nodes behind them.
//
// Cypher twin of funding_totals.rq: same parameters, same columns (a test checks equal answers).
// a fund: the first instrument (by IRI) of the same category, cap scope and amount in the same
// policy or in a policy it refers to or that refers to it
MATCH (i:FundingInstrument)-[:CAP_SCOPE]->(cs), (i)-[:CATEGORY]->(c), (i)-[:INSTRUMENT_OF]->(p)
WHERE cs.code IN ['yearly_pool', 'fund_size'] AND i.max_amount IS NOT NULL
MATCH (same:FundingInstrument)-[:CAP_SCOPE]->(cs), (same)-[:CATEGORY]->(c), (same)-[:INSTRUMENT_OF]->(q)
WHERE same.max_amount = i.max_amount
  AND (q.iri = p.iri OR EXISTS {
        MATCH (p)-[:SUPPORTS|SUPERSEDES|PREVAILS_OVER|BASED_ON|CITES|ALIGNS_WITH|IMPLEMENTED_BY|DESCRIBED_IN]-(q) })
WITH i, cs.code AS cap_scope, i.max_amount AS amount, p, min(same.iri) AS fund
MATCH (p)-[:APPLIES_IN]->(pj)
OPTIONAL MATCH (pj)-[:WITHIN*0..]->(prov:Jurisdiction)-[:LEVEL]->(lvl {code: 'province'})
WITH i, cap_scope, amount, fund,
     CASE $scope WHEN 'jurisdiction' THEN pj WHEN 'province' THEN prov ELSE null END AS j
WHERE j IS NOT NULL
WITH j, cap_scope, fund, amount, count(DISTINCT i) AS stated
WITH j, cap_scope, sum(amount) AS total_yuan, count(fund) AS funds, sum(stated) AS instruments
RETURN j.iri AS jurisdiction, coalesce(j.name_zh, last(split(j.iri, '/'))) AS jurisdiction_name, cap_scope,
       total_yuan, funds, instruments
ORDER BY jurisdiction_name, cap_scope

// name: funding-totals
// zh: 资金池与基金规模合计:按辖区、按省汇总(每项资金只计一次:多份文件重述同一基金、一份政策覆盖两个辖区,都不重复计算)。
// en: Pool and fund totals per jurisdiction and per province, each fund counted once: a fund
// en: restated in two documents, or a policy covering two jurisdictions of one province, is not
// en: counted twice.
// param: scope : string = jurisdiction -- jurisdiction (where each policy applies) or province (the province enclosing it)
//
// One row per place and cap scope (yearly_pool: money a year for all recipients; fund_size: a
// fund's size). A fund is its category, cap scope, amount and anchor place (the first, by IRI, of
// its policy's jurisdictions): instruments sharing all four are one fund stated several times.
// funds counts distinct funds, instruments the instrument nodes behind them.
//
// Cypher twin of funding_totals.rq: same parameters, same columns (a test checks equal answers).
// a fund: category, cap scope, amount and anchor place (the first of its policy's places by IRI)
MATCH (i:FundingInstrument)-[:CAP_SCOPE]->(cs), (i)-[:CATEGORY]->(c), (i)-[:INSTRUMENT_OF]->(p)
WHERE cs.code IN ['yearly_pool', 'fund_size'] AND i.max_amount IS NOT NULL
MATCH (p)-[:APPLIES_IN]->(pj)
WITH i, cs.code AS cap_scope, i.max_amount AS amount, c.iri AS category, p, min(pj.iri) AS anchor
MATCH (p)-[:APPLIES_IN]->(pj)
OPTIONAL MATCH (pj)-[:WITHIN*0..]->(prov:Jurisdiction)-[:LEVEL]->(lvl {code: 'province'})
WITH i, cap_scope, amount, category, anchor,
     CASE $scope WHEN 'jurisdiction' THEN pj WHEN 'province' THEN prov ELSE null END AS j
WHERE j IS NOT NULL
WITH j, cap_scope, [category, cap_scope, toString(amount), anchor] AS fund, amount, count(DISTINCT i) AS stated
WITH j, cap_scope, sum(amount) AS total_yuan, count(fund) AS funds, sum(stated) AS instruments
RETURN j.iri AS jurisdiction, coalesce(j.name_zh, last(split(j.iri, '/'))) AS jurisdiction_name, cap_scope,
       total_yuan, funds, instruments
ORDER BY jurisdiction_name, cap_scope

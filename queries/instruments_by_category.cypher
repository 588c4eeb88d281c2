// name: instruments-by-category
// zh: 某一类支持(算力券、数据集、模型研发、应用场景、基金、人才……)在各辖区的政策对比:
// zh: 支持比例与基数、金额上下限、周期、上限范围、支持方式、比例上限与分档、逐年比例、门槛条件、
// zh: 受益主体与出资层级、可读的支持标准、负责部门、加码对象,以及出处条款与原文。
// en: What each jurisdiction offers for one kind of support: rate and base, minimum and
// en: maximum amount, period, cap scope, kind of support, rate ceiling and tiers, year schedule,
// en: thresholds, recipient and funder level, the terms as the text states them, administering
// en: departments, the instrument it tops up, and the clause and quoted sentence it comes from.
// param: category : category = compute_voucher -- kind of support: notation (compute_voucher), label or IRI
// list: jurisdiction, departments, funded_by, rate_options, rate_schedule, thresholds
//
// One row per funding instrument (two rows only if an instrument has two evidence sentences).
// Amounts are yuan; rate is a fraction (0.2 = 20%) whose meaning is rate_kind + rate_base;
// cap_scope tells a per-recipient cap from a yearly pool or a fund size. kind, rate_is_max,
// rate_options, rate_schedule, thresholds, recipient, funder_level, period_years, quantified and
// terms: see instruments_by_category.rq (tiers, years and thresholds are their nodes' captions).
//
// Cypher twin of instruments_by_category.rq: same parameters, same columns (a test checks equal answers).
MATCH (i)-[:CATEGORY]->(:Category {iri: $category})
MATCH (i)-[:INSTRUMENT_OF]->(p)
// the policy's jurisdictions, who administers it (else its clause's responsible units), who pays
WITH i, p,
     [(p)-[:APPLIES_IN]->(j) | coalesce(j.name_zh, last(split(j.iri, '/')))] AS jurisdictions,
     [(i)-[:ADMINISTERED_BY]->(d) | coalesce(d.name_zh, d.name_en, last(split(d.iri, '/')))] AS administrators,
     [(i)-[:DEFINED_IN]->()-[:RESPONSIBLE_UNIT]->(d) | coalesce(d.name_zh, d.name_en, last(split(d.iri, '/')))] AS units,
     [(i)-[:FUNDING_JURISDICTION]->(f) | coalesce(f.name_zh, last(split(f.iri, '/')))] AS funders,
     [(i)-[:RATE_OPTION]->(o) | o.name_zh] AS options,
     [(i)-[:RATE_STEP]->(st) | st.name_zh] AS steps,
     [(i)-[:THRESHOLD]->(th) | th.name_zh] AS bounds
WITH i, p, options, steps, bounds,
     reduce(u = [], x IN jurisdictions | CASE WHEN x IN u THEN u ELSE u + x END) AS jurisdictions,
     reduce(u = [], x IN CASE WHEN size(administrators) > 0 THEN administrators ELSE units END |
            CASE WHEN x IN u THEN u ELSE u + x END) AS departments,
     reduce(u = [], x IN funders | CASE WHEN x IN u THEN u ELSE u + x END) AS funders
OPTIONAL MATCH (i)-[:RATE_KIND]->(rk)
OPTIONAL MATCH (i)-[:PERIOD]->(per)
OPTIONAL MATCH (i)-[:CAP_SCOPE]->(cs)
OPTIONAL MATCH (i)-[:INSTRUMENT_KIND]->(ik)
OPTIONAL MATCH (i)-[:RECIPIENT]->(rc)
// 加码: the enclosing jurisdiction's instrument this one raises
OPTIONAL MATCH (i)-[:TOPS_UP]->(up)
OPTIONAL MATCH (up)-[:INSTRUMENT_OF]->(upp)
// provenance: the clause and the quoted sentence
OPTIONAL MATCH (i)-[:HAS_EVIDENCE]->(e) WHERE e.quote IS NOT NULL
OPTIONAL MATCH (e)-[:IN_CLAUSE]->(ec)
OPTIONAL MATCH (i)-[:DEFINED_IN]->(di)
WITH i, p, jurisdictions, departments, funders, options, steps, bounds, rk, per, cs, ik, rc, up, upp, e,
     coalesce(di, ec) AS cl
RETURN reduce(s = null, x IN jurisdictions | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS jurisdiction,
       p.iri AS policy, p.title_zh AS policy_title, i.iri AS instrument, i.name_zh AS label,
       i.rate AS rate, rk.code AS rate_kind, i.rate_base_zh AS rate_base,
       i.min_amount AS min_yuan, i.max_amount AS max_yuan, per.code AS period, cs.code AS cap_scope,
       ik.code AS kind, coalesce(i.rate_is_max, false) AS rate_is_max,
       reduce(s = null, x IN options | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS rate_options,
       reduce(s = null, x IN steps | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS rate_schedule,
       reduce(s = null, x IN bounds | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS thresholds,
       rc.code AS recipient, i.funder_level AS funder_level, i.period_years AS period_years,
       i.quantified AS quantified, i.terms_zh AS terms,
       reduce(s = null, x IN departments | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS departments,
       reduce(s = null, x IN funders | CASE WHEN s IS NULL THEN x ELSE s + '、' + x END) AS funded_by,
       up.iri AS tops_up, upp.title_zh AS tops_up_policy,
       cl.iri AS clause, cl.number AS clause_number, e.quote AS evidence, e.source_file AS source_file
ORDER BY jurisdiction, policy_title, clause_number, instrument

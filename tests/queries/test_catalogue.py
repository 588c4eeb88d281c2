"""The named-query catalogue: headers, parameter typing and resolution, safe binding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policykg.queries.binding import bind_values, where_brace_positions
from policykg.queries.catalogue import (
    QUERY_DIR,
    CatalogueError,
    UnknownQueryError,
    get_query,
    load_catalogue,
    parse_named_query,
    run_query,
    select_columns,
)
from policykg.queries.params import PARAM_TYPES, QueryParameterError, coerce
from policykg.queries.store import PolicyStore
from policykg.queries.terms import as_term

EXPECTED = {
    "departments", "expiring", "in-force", "instruments-by-category", "precedence", "search",
    "targets", "top-ups",
}


def test_every_rq_file_has_a_valid_header() -> None:
    catalogue = load_catalogue()
    assert set(catalogue) >= EXPECTED
    assert len(catalogue) == len(list(QUERY_DIR.glob("*.rq")))
    for query in catalogue.values():
        assert query.description.get("zh") and query.description.get("en"), query.name
        assert query.columns, query.name
        assert all(col == col.lower() and " " not in col for col in query.columns), query.name
        assert all(p.type in PARAM_TYPES for p in query.params)
        # every parameter is bound in at least one WHERE group, and none is re-assigned
        assert where_brace_positions(query.sparql), query.name
        for param in query.params:
            assert f"?{param.name}" in query.sparql, (query.name, param.name)
            assert f"AS ?{param.name})" not in query.sparql, (query.name, param.name)


def test_header_parsing() -> None:
    text = """# name: demo
# zh: 演示
# en: A demo
# en: over two lines
# param: when : date = today -- the day
# param: where : jurisdiction?
# param: what : string
SELECT ?a (COUNT(?b) AS ?n) ?c WHERE { ?a ?b ?c } GROUP BY ?a ?c
"""
    query = parse_named_query(text, Path("demo.rq"))
    assert query.description == {"zh": "演示", "en": "A demo over two lines"}
    when, where, what = query.params
    assert (when.type, when.default, when.required, when.description) == ("date", "today", False, "the day")
    assert (where.type, where.default, where.required) == ("jurisdiction", None, False)
    assert (what.type, what.required) == ("string", True)
    assert query.columns == ("a", "n", "c")


@pytest.mark.parametrize(
    "text, message",
    [
        ("SELECT * WHERE {}", "no '# name:'"),
        ("# name: other\n# en: x\nSELECT * WHERE {}", "does not match"),
        ("# name: demo\nSELECT * WHERE {}", "description"),
        ("# name: demo\n# en: x\n# param: a : colour\nSELECT * WHERE {}", "colour"),
        ("# name: demo\n# en: x\n# param: a b c\nSELECT * WHERE {}", "cannot read"),
    ],
)
def test_bad_headers(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_named_query(text, Path("demo.rq"))


def test_select_columns_ignores_comments_strings_and_subqueries() -> None:
    sparql = '# SELECT ?x\nSELECT DISTINCT ?a ("?b" AS ?c) WHERE { { SELECT ?z WHERE {} } }'
    assert select_columns(sparql) == ("a", "c")


def test_unknown_query_lists_the_known_ones() -> None:
    with pytest.raises(UnknownQueryError) as info:
        get_query("no-such-query")
    assert "instruments-by-category" in str(info.value)
    assert get_query("top_ups").name == "top-ups"


def test_parameter_coercion_errors() -> None:
    params = get_query("expiring").params
    values = coerce(params, {"date": "2026-11-23", "days": "30"})
    assert values == {"date": dt.date(2026, 11, 23), "days": 30}
    assert coerce(params, {})["date"] == dt.date.today()
    with pytest.raises(QueryParameterError, match="ISO date") as info:
        coerce(params, {"date": "23/11/2026"})
    assert info.value.param == "date"
    with pytest.raises(QueryParameterError, match="whole number"):
        coerce(params, {"days": "ninety"})
    with pytest.raises(QueryParameterError, match="unknown parameter"):
        coerce(params, {"colour": "red"})
    with pytest.raises(QueryParameterError, match="missing required parameter 'text'"):
        coerce(get_query("search").params, {})


def test_named_parameters_resolve_against_the_graph(example_store: PolicyStore) -> None:
    rows = run_query(example_store, "in-force", {"date": "2026-11-23", "jurisdiction": "南通"}).rows
    assert {r["policy_jurisdiction"] for r in rows} == {"南通市"}  # 南通 is 南通市's alias
    iri = "https://w3id.org/policykg/id/jurisdiction/南通创新区"
    by_iri = run_query(example_store, "in-force", {"date": "2026-11-23", "jurisdiction": iri})
    by_prefix = run_query(example_store, "in-force", {"date": "2026-11-23", "jurisdiction": "j:南通创新区"})
    assert by_iri == by_prefix and len(by_iri.rows) == 2
    for bad, message in [("火星市", "unknown jurisdiction"), ("j:火星市", "not in the graph")]:
        with pytest.raises(QueryParameterError, match=message):
            run_query(example_store, "in-force", {"jurisdiction": bad})
    with pytest.raises(QueryParameterError, match="compute_voucher"):
        run_query(example_store, "instruments-by-category", {"category": "vouchers"})
    by_label = run_query(example_store, "instruments-by-category", {"category": "数据集"})
    assert by_label.rows == []


def test_policy_parameter_accepts_iri_number_and_title(example_store: PolicyStore) -> None:
    forms = [
        "https://w3id.org/policykg/id/policy/plan",
        "通政办规〔2024〕7号",
        "关于促进通用人工智能产业创新发展的行动方案",
        "促进通用人工智能",  # an unambiguous part of the title
    ]
    answers = [run_query(example_store, "precedence", {"policy": f}) for f in forms]
    assert all(a == answers[0] for a in answers) and answers[0].rows
    with pytest.raises(QueryParameterError, match="ambiguous"):
        run_query(example_store, "precedence", {"policy": "行动方案"})


def test_binding_is_injection_safe(example_store: PolicyStore) -> None:
    evil = '" } ; DROP ALL ; #'
    size = example_store.dataset_size()
    assert run_query(example_store, "search", {"text": evil}).rows == []
    with pytest.raises(QueryParameterError):
        run_query(example_store, "in-force", {"jurisdiction": evil})
    with pytest.raises(QueryParameterError):
        run_query(example_store, "in-force", {"jurisdiction": "j:x> } DROP ALL {"})
    assert example_store.dataset_size() == size


def test_values_block_goes_into_every_group() -> None:
    sparql = 'SELECT ?a WHERE { ?a ?p "WHERE {" . { SELECT ?b WHERE { ?b ?q ?r } } } # WHERE {'
    bound = bind_values(sparql, {"x": as_term("v")})
    assert bound.count('VALUES (?x) { ("v") }') == 2
    assert bound.endswith("# WHERE {")
    assert "\n" not in bound  # one-line insertion keeps error line numbers

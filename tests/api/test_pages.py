"""The HTML pages, the /sparql editor branch, offline docs and dereferenceable IRIs, over HTTP
against the real corpus (`corpus_api`). What a browser does with them: test_pages_browser.py."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit

import pytest
from rdflib import Graph, Literal, URIRef

from policykg.api.pages.i18n import Words
from policykg.loaders.neo4j_mapping import mapping
from policykg.ontology.vocab import PKG
from policykg.queries.catalogue import load_catalogue

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ID = "https://w3id.org/policykg/id/"
J = ID + "jurisdiction/"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def by_id(self, element_id: str) -> dict[str, str | None] | None:
        return next((a for _, a in self.tags if a.get("id") == element_id), None)

    def resources(self) -> list[str]:
        """URLs the page makes a browser load (scripts, stylesheets, images, icons)."""
        out = [a["src"] for t, a in self.tags if t in ("script", "img") and a.get("src")]
        return out + [a["href"] for t, a in self.tags if t == "link" and a.get("href")]


def html(client, path: str, lang: str = "zh", **params) -> str:
    response = client.get(path, params=params, headers={**BROWSER, "Accept-Language": lang})
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


@pytest.fixture(scope="module")
def policies(corpus_api):
    with corpus_api.client() as client:
        return client.get("/policies").json()


def test_landing_counts_match_the_api_in_both_languages(corpus_api, policies):
    with corpus_api.client() as client:
        instruments = client.get("/instruments").json()
        for lang in ("zh", "en"):
            page = html(client, "/", lang)
            words = Words(lang)
            assert re.search(rf'id="count-policies">{len(policies)}<', page)
            assert re.search(rf'id="count-instruments">{len(instruments)}<', page)
            assert words.msg("holds") in page
            for place in client.get("/jurisdictions").json():  # the whole hierarchy is linked
                assert f'href="/jurisdiction/{quote(place["id"], safe="")}"' in page
            # category names come from the ontology's skos:prefLabel in the page's language
            categories = {i["category"] for i in instruments}
            for category in categories:
                assert _esc(words.code(category)) in page, (lang, category)
    assert Words("zh").code("compute_voucher") == "算力券/算力补贴"
    assert Words("en").code("compute_voucher") == "compute voucher / compute subsidy"


def test_language_switch_is_remembered(corpus_api):
    with corpus_api.client() as client:
        switched = client.get("/", params={"lang": "en"}, headers={**BROWSER, "Accept-Language": "zh"})
        assert switched.cookies.get("lang") == "en"
        assert "What the graph holds" in switched.text
        again = client.get("/", headers={**BROWSER, "Accept-Language": "zh"})
        assert "What the graph holds" in again.text  # the cookie beats Accept-Language
        assert 'hreflang="zh"' in again.text


def test_every_loaded_policy_page_shows_its_evidence(corpus_api, policies):
    loaded = [p for p in policies if p["loaded"]]
    assert loaded
    marked = 0
    with corpus_api.client() as client:
        for policy in loaded:
            detail = client.get(f"/policies/{policy['id']}").json()
            page = html(client, f"/policy/{policy['id']}")
            doc = Elements(page)
            assert policy["title"] in page
            if policy["doc_number"]:
                assert policy["doc_number"] in page
            rows = [a for t, a in doc.tags if t == "tr" and "instrument" in (a.get("class") or "")]
            assert len(rows) == len(detail["instruments"])
            texts = _clause_texts(detail["clauses"])
            for instrument in detail["instruments"]:
                quote_ = instrument["evidence"]["quote"]
                clause = instrument["evidence"]["clause"]
                if quote_ and clause in texts and quote_ in texts[clause]:
                    # the sentence is highlighted inside its clause and the row links to it
                    mark = re.search(r'<mark id="(ev-n[0-9a-f]+)"[^>]*>' + re.escape(_esc(quote_)), page)
                    assert mark, instrument["iri"]
                    assert f'href="#{mark.group(1)}"' in page
                    marked += 1
    assert marked >= 5


def _clause_texts(nodes: list[dict]) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in nodes:
        out[node["iri"]] = node["text"] or ""
        out.update(_clause_texts(node["children"]))
    return out


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def test_policy_page_relations_status_and_labels(corpus_api, policies):
    plan = next(p for p in policies if p["doc_number"] == "通政办规〔2024〕7号")
    with corpus_api.client() as client:
        zh = html(client, f"/policy/{plan['id']}", "zh")
        en = html(client, f"/policy/{plan['id']}", "en")
        relations = client.get(f"/policies/{plan['id']}").json()["relations"]
    assert relations
    for relation in relations:
        assert f'href="{_page(relation["other"])}"' in zh
    for lang, page in (("zh", zh), ("en", en)):
        words = Words(lang)
        assert words.prop("docNumber") in page  # 文号 / document number, from the ontology
        assert words.rel(relations[0]["type"]) in page
        assert words.msg("in_force") in page  # in force on today's date (2025-02-01 … 2027-12-31)
    assert "文号" in zh and "document number" in en


def _page(iri: str) -> str:
    return "/policy/" + iri.rsplit("/", 1)[-1]


def test_unknown_pages_are_html_404(corpus_api):
    with corpus_api.client() as client:
        for path in ("/policy/nope", "/jurisdiction/不存在", "/department/不存在", "/graph/nope",
                     "/resource/policy/nope"):
            response = client.get(path, headers=BROWSER)
            assert response.status_code == 404, path
            assert "text/html" in response.headers["content-type"]


def test_jurisdiction_and_department_pages(corpus_api):
    with corpus_api.client() as client:
        zone = html(client, "/jurisdiction/南通创新区")
        city = html(client, "/jurisdiction/南通市", "en")
        in_force = client.get("/policies", params={"jurisdiction": "南通创新区",
                                                   "in_force": _today()}).json()
        departments = client.get("/queries/departments").json()["rows"]
        name = departments[0]["department"].rsplit("/", 1)[-1]
        dept = html(client, "/department/" + quote(unquote(name)))
    assert 'href="/jurisdiction/%E5%8D%97%E9%80%9A%E5%B8%82"' in zone  # enclosing 南通市
    assert "Nantong Innovation Zone" in city  # enclosed, named in English
    for policy in in_force:
        assert policy["title"] in zone
    assert unquote(name) in dept
    assert departments[0]["policy_title"] in dept


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def _csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_compare_page_and_csv_are_the_comparison_answer(corpus_api):
    with corpus_api.client() as client:
        places = {j["iri"]: j for j in client.get("/jurisdictions").json()}
        everything = client.get("/instruments").json()
        spread: dict[str, set[str]] = {}
        for row in everything:
            spread.setdefault(row["category"], set()).update(row["jurisdictions"])
        category = max(spread, key=lambda c: len(spread[c]))  # the most widely offered kind
        assert len(spread[category]) >= 2
        page = html(client, "/compare", category=category)
        table = _csv_rows(client.get("/compare.csv", params={"category": category}))
        offering = {row["jurisdiction"] for row in table}
        api = client.get("/comparison", params={"category": category, "at": sorted(offering)}).json()
        one = places[sorted(spread[category])[0]]
        only = _csv_rows(client.get("/compare.csv", params={"category": category, "jurisdiction": one["id"]}))
        only_api = client.get("/comparison", params={"category": category, "at": one["iri"], "format": "csv"})
        level = _csv_rows(client.get("/compare.csv", params={"category": category, "level": one["level"]}))
    # with nothing ticked: every place offering the category, the rows GET /comparison gives for them
    assert len(offering) >= 2 and "none" not in {row["status"] for row in table}
    assert [r["instrument"] for r in table] == [r["instrument"] for r in api["rows"]]
    for row in api["rows"]:
        assert _esc(row["evidence"]) in page
        assert f'href="{_page(row["policy"])}#' in page
    assert only == list(csv.DictReader(io.StringIO(only_api.text)))  # the same columns and cells
    assert only and {r["jurisdiction"] for r in only} == {one["name"]}
    same_level = {j["name"] for j in places.values() if j["level"] == one["level"]}
    assert level and {r["jurisdiction"] for r in level} <= same_level
    assert one["name"] in {r["jurisdiction"] for r in level}


def test_search_page_uses_the_search_query(corpus_api):
    with corpus_api.client() as client:
        rows = client.get("/queries/search", params={"text": "算力"}).json()["rows"]
        page = html(client, "/search", q="算力")
    assert rows
    for row in rows[:5]:
        assert row["policy_title"] in page


def test_graph_elements_use_bloom_captions(corpus_api, policies):
    plan = next(p for p in policies if p["doc_number"] == "通政办规〔2024〕7号")
    with corpus_api.client() as client:
        data = client.get(f"/graph/{plan['id']}/elements.json", params={"lang": "zh"}).json()
        detail = client.get(f"/policies/{plan['id']}").json()
    nodes = {e["data"]["id"]: e["data"] for e in data["elements"] if "source" not in e["data"]}
    edges = [e["data"] for e in data["elements"] if "source" in e["data"]]
    assert nodes[plan["iri"]]["label"] == plan["title"][:40]
    assert nodes[plan["iri"]]["kind"] == "Policy"
    captions = {r.name: r.zh for r in mapping().relationships.values()}
    assert edges and all(e["label"] == captions[e["type"]] for e in edges)
    for instrument in detail["instruments"]:
        assert nodes[instrument["iri"]]["kind"] == "FundingInstrument"
    for relation in detail["relations"]:
        assert relation["other"] in nodes
    for edge in edges:
        assert edge["source"] in nodes and edge["target"] in nodes


def test_sparql_serves_the_editor_to_browsers_only(corpus_api):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?p a pkg:PolicyDocument }"
    with corpus_api.client() as client:
        editor = client.get("/sparql", headers=BROWSER)
        shared = client.get("/sparql", params={"query": query}, headers=BROWSER)
        machine = client.get("/sparql", params={"query": query})
        sparql_json = client.get("/sparql", params={"query": query},
                                 headers={"Accept": "application/sparql-results+json"})
        update = client.get("/sparql", params={"update": "CLEAR ALL"}, headers=BROWSER)
    assert editor.status_code == 200 and "text/html" in editor.headers["content-type"]
    doc = Elements(editor.text)
    assert "/static/vendor/yasgui/yasgui.min.js" in doc.resources()
    for name in load_catalogue():
        assert f'"name": "{name}"' in editor.text
    assert "VALUES" in editor.text  # parameters bound to their defaults, as the API binds them
    assert "COUNT(*)" in shared.text and "text/html" in shared.headers["content-type"]
    for response in (machine, sparql_json):
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0
    assert update.status_code == 403


def test_policy_iri_dereferences_by_accept(corpus_api, policies):
    plan = next(p for p in policies if p["loaded"])
    path = "/id/" + plan["iri"][len(ID):]
    with corpus_api.client() as client:
        to_page = client.get(path, headers=BROWSER)
        assert to_page.status_code == 303
        assert to_page.headers["location"] == f"/policy/{plan['id']}"
        assert "Accept" in to_page.headers["vary"]
        formats = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                   "application/n-triples": "nt", "application/rdf+xml": "xml"}
        for media, fmt in formats.items():
            redirect = client.get(path, headers={"Accept": media})
            assert redirect.status_code == 303, media
            document = client.get(redirect.headers["location"])
            assert document.status_code == 200
            assert document.headers["content-type"].startswith(media)
            graph = Graph().parse(data=document.content, format=fmt)
            assert (URIRef(plan["iri"]), PKG.title, Literal(plan["title"], lang="zh")) in graph, media
        followed = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=True)
        assert followed.headers["content-type"].startswith("text/turtle")
        missing = client.get("/id/policy/nope", headers={"Accept": "text/turtle"})
        assert missing.status_code == 404


def test_other_iris_dereference(corpus_api, policies):
    plan = next(p for p in policies if p["doc_number"] == "通政办规〔2024〕7号")
    with corpus_api.client() as client:
        detail = client.get(f"/policies/{plan['id']}").json()
        clause = detail["clauses"][0]["iri"]
        instrument = detail["instruments"][0]["iri"]
        place = client.get(quote("/id/jurisdiction/南通市"), headers=BROWSER)
        assert place.status_code == 303 and unquote(place.headers["location"]) == "/jurisdiction/南通市"
        for iri in (clause, instrument):
            path = quote("/id/" + iri[len(ID):])
            page = client.get(path, headers=BROWSER, follow_redirects=True)
            assert page.status_code == 200 and "text/html" in page.headers["content-type"]
            assert iri in page.text
            turtle = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=True)
            graph = Graph().parse(data=turtle.content, format="turtle")
            assert (URIRef(iri), None, None) in graph


def test_ontology_document_defines_the_terms(corpus_api):
    with corpus_api.client() as client:
        response = client.get("/ontology")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content, format="turtle")
    assert (PKG.docNumber, None, None) in graph and (PKG.PolicyDocument, None, None) in graph


def test_api_docs_are_offline(corpus_api):
    with corpus_api.client() as client:
        for path in ("/docs", "/redoc"):
            page = client.get(path)
            assert page.status_code == 200
            urls = Elements(page.text).resources()
            assert urls, path
            for url in urls:
                assert not urlsplit(url).netloc, (path, url)
                assert client.get(url).status_code == 200, url
            assert "fonts.googleapis" not in page.text and "cdn.jsdelivr" not in page.text


def test_pages_load_nothing_from_other_hosts(corpus_api, policies):
    plan = next(p for p in policies if p["loaded"])
    with corpus_api.client() as client:
        for path in ("/", f"/policy/{plan['id']}", f"/graph/{plan['id']}", "/sparql",
                     "/compare", "/jurisdiction/南通市"):
            for url in Elements(html(client, path)).resources():
                assert not urlsplit(url).netloc, (path, url)
                assert client.get(url).status_code == 200, url


def test_pages_are_read_only(corpus_api, policies):
    plan = next(p for p in policies if p["loaded"])
    before = corpus_api.dump()
    with corpus_api.client() as client:
        for path in ("/", f"/policy/{plan['id']}", "/compare", f"/id/policy/{plan['id']}"):
            assert client.post(path, content=b"x").status_code == 405, path
    assert corpus_api.dump() == before


def test_hostile_page_input_gets_a_clear_answer(corpus_api):
    before = corpus_api.dump()
    cases = {
        "/search?q=" + quote('" } ; DROP ALL ; #'): 200,
        "/search?q=" + "数据" * 3000: 200,
        "/compare?category=" + quote("<script>alert(1)</script>"): 400,
        "/compare.csv?category=nope": 400,
        "/id/policy/" + quote("<bad>"): 404,
        "/resource/" + quote("\x00"): 404,
        "/department/" + quote('"'): 404,
        "/jurisdiction/" + quote("<x>"): 404,
        "/graph/" + quote("../../etc") + "/elements.json": 404,
    }
    with corpus_api.client() as client:
        for path, status in cases.items():
            response = client.get(path, headers=BROWSER)
            assert response.status_code == status, (path, response.text[:200])
            assert "<script>alert" not in response.text
    bad = Elements(client_get_text(corpus_api, "/compare?category=" + quote("<b>x</b>")))
    assert "<b>x</b>" in "".join(bad.text)  # shown as text (escaped), never as markup
    assert not any(tag == "b" for tag, _ in bad.tags)
    assert corpus_api.dump() == before


def client_get_text(server, path: str) -> str:
    with server.client() as client:
        return client.get(path, headers=BROWSER).text


def test_new_instrument_fields_are_listed_with_ontology_labels():
    from policykg.api.pages.views import extra_fields
    from policykg.api.routes.instruments import Evidence, InstrumentOut

    class Grown(InstrumentOut):  # the extraction model adds fields (kind, rate_options…)
        kind: str | None = None
        rate_options: list[dict] = []

    row = Grown(iri="x", evidence=Evidence(), kind="voucher", rate_options=[{"rate": 0.3}],
                rate=0.2, label="算力券")
    assert extra_fields(row) == [("kind", "voucher"), ("rate_options", [{"rate": 0.3}])]
    assert extra_fields(InstrumentOut(iri="x", evidence=Evidence(), rate=0.2)) == []
    assert Words("zh").field("rate_base") == "比例基数" and Words("en").field("rate_base") == "rate base"


def test_calculator_page_shows_the_api_answer_with_its_sentences(corpus_api):
    """The calculator page renders `GET /eligibility`'s answer: same totals, every counted
    item with its quoted sentence, in both languages; a bad place is an HTML 400."""
    query = {"at": "南通创新区", "date": "2026-11-29", "spend": "compute_voucher=10000000"}
    with corpus_api.client() as client:
        api = client.get("/eligibility", params=query).json()
        for lang in ("zh", "en"):
            page = html(client, "/calculator", lang=lang, **query)
            assert f'data-yuan="{api["total_yuan"]}"' in page
            for cat in api["categories"]:
                assert f'id="category-{cat["category"]}"' in page
                for item in cat["items"]:
                    for ev in item["evidence"]:
                        assert _esc(ev["quote"]) in page
        assert api["total_yuan"] == 4_000_000
        empty = html(client, "/calculator")  # the form alone, nothing computed
        assert 'name="at"' in empty and "data-yuan" not in empty
        bad = client.get("/calculator", params={"at": "不存在的地方", "date": "2026-11-29"}, headers=BROWSER)
        assert bad.status_code == 400 and "text/html" in bad.headers["content-type"]

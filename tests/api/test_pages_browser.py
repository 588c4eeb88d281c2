"""The pages in a real browser: Debian's Chromium driven by Playwright (never `playwright
install`; `make test` installs chromium with apt). Every test records the requests its pages
make and fails if one leaves 127.0.0.1. Screenshots go to $POLICYKG_SCREENSHOTS when set (the
ones in docs/screenshots/ were made so), else to a temporary folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect, sync_playwright

from policykg.api.pages.i18n import Words

CHROMIUM = os.environ.get("POLICYKG_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """One Playwright driver per module (the sync API allows one per thread at a time)."""
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def context(playwright: Playwright) -> Iterator[BrowserContext]:
    with tempfile.TemporaryDirectory(prefix="policykg-chromium-") as profile:
        ctx = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": 1280, "height": 900}, locale="zh-CN",
        )
        yield ctx
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A fresh tab whose requests are all checked to stay on 127.0.0.1. A request the page's
    Content-Security-Policy stopped inside the browser (failure "csp": ReDoc's bundle
    hard-codes its logo's CDN address) never reached the network and is allowed."""
    tab = context.new_page()
    requests: list[str] = []
    blocked: set[str] = set()
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("requestfailed", lambda request: blocked.add(request.url)
           if "csp" in (request.failure or "").lower() else None)
    yield tab
    tab.close()
    assert requests
    foreign = [u for u in requests
               if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert not set(foreign) - blocked, foreign


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    target = os.environ.get("POLICYKG_SCREENSHOTS")
    folder = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_landing_policy_evidence_graph(corpus_api, page: Page, shots: Path):
    page.goto(corpus_api.url + "/?lang=zh")
    expect(page.locator("h1")).to_have_text(Words("zh").msg("holds"))
    page.screenshot(path=shots / "landing-zh.png", full_page=True)

    with corpus_api.client() as client:
        policies = {p["title"]: p for p in client.get("/policies").json()}
    link = page.locator("#policy-list a").first
    title = link.inner_text()
    link.click()
    expect(page.locator("#policy-title")).to_have_text(title)
    policy = policies[title]
    assert page.url.endswith(f"/policy/{policy['id']}")
    page.screenshot(path=shots / "policy-zh.png")

    with corpus_api.client() as client:
        instruments = client.get(f"/policies/{policy['id']}").json()["instruments"]
    evidence = page.locator("a.evidence-link").first
    target = evidence.get_attribute("href")
    assert target and target.startswith("#ev-")
    evidence.click()
    assert page.url.endswith(target)
    mark = page.locator(f"mark{target}")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    # the highlighted sentence is one instrument's quoted evidence, inside its clause
    assert mark.inner_text() in {i["evidence"]["quote"] for i in instruments}
    assert mark.evaluate("m => getComputedStyle(m).outlineStyle") == "solid"  # :target
    page.screenshot(path=shots / "evidence-zh.png")

    page.locator("#graph-link").click()
    graph = page.locator("#cy.ready")
    expect(graph).to_be_attached(timeout=20_000)
    nodes = int(graph.get_attribute("data-nodes") or 0)
    assert nodes > len(instruments)
    assert int(graph.get_attribute("data-edges") or 0) > 0
    assert page.locator("canvas").count() > 0
    page.screenshot(path=shots / "graph-zh.png")


def test_sparql_editor_runs_a_query(corpus_api, page: Page, shots: Path):
    with corpus_api.client() as client:
        expected = len(client.get("/policies").json())
    page.goto(corpus_api.url + "/sparql")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible(timeout=20_000)
    tabs = page.locator(".tabsList .tab")
    assert tabs.count() >= 8  # one per named query
    page.locator(".tabsList .addTab").click()  # a new tab has the project prefixes declared
    yasqe = "window.yasgui.getTab().getYasqe()"
    assert "PREFIX pkg: <https://w3id.org/policykg/ontology#>" in page.evaluate(f"() => {yasqe}.getValue()")
    page.evaluate(f"""() => {yasqe}.setValue({yasqe}.getValue().split('SELECT')[0] +
        'SELECT (COUNT(?p) AS ?policies) WHERE {{ ?p a pkg:PolicyDocument }}')""")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    cell = page.locator(".tabPanel.active .yasr table tbody tr td").filter(has_text=str(expected))
    expect(cell.first).to_be_visible(timeout=20_000)
    headers = page.locator(".tabPanel.active .yasr table thead th").all_inner_texts()
    assert any("policies" in h for h in headers)
    page.screenshot(path=shots / "sparql.png")


def test_calculator_form_gives_the_api_answer(corpus_api, page: Page, shots: Path):
    """A person fills in the calculator's form; the total shown is the API's, and every
    counted figure shows its sentence."""
    query = {"at": "南通创新区", "date": "2026-11-29", "spend": "compute_voucher=10000000"}
    with corpus_api.client() as client:
        answer = client.get("/eligibility", params=query).json()
    page.goto(corpus_api.url + "/calculator?lang=zh")
    expect(page.locator(".total-yuan")).to_have_count(0)  # nothing computed before the form is sent
    page.locator("input[name=at]").fill(query["at"])
    page.locator("input[name=date]").fill(query["date"])
    page.locator("input[name=spend]").first.fill(query["spend"])
    page.locator("form.compare-form button[type=submit]").click()
    expect(page.locator(".total-yuan")).to_have_attribute("data-yuan", str(answer["total_yuan"]))
    quotes = [ev["quote"] for cat in answer["categories"] for item in cat["items"]
              for ev in item["evidence"]]
    assert quotes
    text = page.locator("main").inner_text()
    assert all(q.split()[0][:20] in text for q in quotes)
    page.screenshot(path=shots / "calculator-zh.png", full_page=True)


def test_both_languages_and_the_switch(corpus_api, page: Page, shots: Path):
    page.goto(corpus_api.url + "/compare?category=compute_voucher&lang=zh")
    zh, en = Words("zh"), Words("en")
    expect(page.locator("h1")).to_contain_text(zh.code("compute_voucher"))
    expect(page.locator("#comparison .column").first).to_be_visible()
    page.screenshot(path=shots / "compare-zh.png", full_page=True)
    page.locator("#lang-switch").click()
    expect(page.locator("h1")).to_contain_text(en.code("compute_voucher"))
    expect(page.locator("#lang-switch")).to_have_text(en.msg("switch_language"))
    page.goto(corpus_api.url + "/")  # the choice is remembered
    expect(page.locator("h1")).to_have_text(en.msg("holds"))
    page.screenshot(path=shots / "landing-en.png", full_page=True)
    page.goto(corpus_api.url + "/jurisdiction/南通市")
    expect(page.locator("h1")).to_contain_text("Nantong")
    page.screenshot(path=shots / "jurisdiction-en.png", full_page=True)
    page.goto(corpus_api.url + "/?lang=zh")
    expect(page.locator("h1")).to_have_text(zh.msg("holds"))


def test_api_docs_render_offline(corpus_api, page: Page, shots: Path):
    page.goto(corpus_api.url + "/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() >= 10
    page.screenshot(path=shots / "docs.png")
    page.goto(corpus_api.url + "/redoc")
    expect(page.get_by_text("/policies/{policy_id}").first).to_be_attached(timeout=30_000)
    page.screenshot(path=shots / "redoc.png")


def test_policy_iri_opens_its_page(corpus_api, page: Page):
    with corpus_api.client() as client:
        policy = next(p for p in client.get("/policies").json() if p["loaded"])
    page.goto(corpus_api.url + "/id/policy/" + policy["id"])
    expect(page.locator("#policy-title")).to_have_text(policy["title"])


def test_pages_work_without_javascript(corpus_api, playwright: Playwright):
    """Progressive enhancement: landing → policy → evidence, search and the comparison form
    with JavaScript switched off (only the editor and the graph view need it)."""
    with tempfile.TemporaryDirectory(prefix="policykg-nojs-") as profile:
        ctx = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, headless=True,
            java_script_enabled=False, viewport={"width": 1280, "height": 900}, locale="en-GB")
        tab = ctx.new_page()
        requests: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(corpus_api.url + "/")
        expect(tab.locator("h1")).to_have_text(Words("en").msg("holds"))
        tab.locator("#policy-list a").first.click()
        expect(tab.locator("#policy-title")).to_be_visible()
        policy_url = tab.url
        tab.locator("a.evidence-link").first.click()
        expect(tab.locator("mark:target")).to_be_in_viewport()
        tab.locator("header input[name=q]").fill("算力")
        tab.locator("header form.search button").click()
        expect(tab.locator("#clause-results li").first).to_be_visible()
        tab.goto(corpus_api.url + "/compare")
        tab.locator("#category").select_option("talent")
        tab.locator(".compare-form button[type=submit]").click()
        expect(tab.locator("h1")).to_contain_text(Words("en").code("talent"))
        assert "category=talent" in tab.url
        # JavaScript really is off: the graph view says it needs it and draws nothing
        tab.goto(policy_url.replace("/policy/", "/graph/"))
        # (<noscript> content is parsed as elements only when scripting is off)
        expect(tab.locator("noscript p.warnings")).to_have_text(Words("en").msg("noscript_graph"))
        tab.wait_for_timeout(1000)
        assert tab.locator("#cy.ready").count() == 0 and tab.locator("canvas").count() == 0
        assert tab.locator("#legend *").count() == 0
        ctx.close()
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in requests), requests


def test_every_page_renders_in_both_languages(corpus_api, page: Page):
    """Each kind of page, in zh and en, answers 200, shows its heading in that language's
    <html lang> and logs no error to the console."""
    with corpus_api.client() as client:
        policy = next(p for p in client.get("/policies").json() if p["loaded"])
        clause = client.get(f"/policies/{policy['id']}").json()["clauses"][0]["iri"]
        department = client.get("/queries/departments").json()["rows"][0]["department"]
    paths = ["/", "/search?q=算力", f"/policy/{policy['id']}", f"/graph/{policy['id']}",
             "/jurisdiction/南通创新区", "/department/" + department.rsplit("/", 1)[-1],
             "/compare?category=compute_voucher", "/resource/" + clause.split("/id/", 1)[1],
             "/sparql"]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    for lang in ("zh", "en"):
        for path in paths:
            joiner = "&" if "?" in path else "?"
            response = page.goto(corpus_api.url + path + joiner + "lang=" + lang)
            assert response is not None and response.status == 200, (path, lang)
            expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if lang == "zh" else "en")
            expect(page.locator("h1")).to_be_visible()
            expect(page.locator("#lang-switch")).to_have_text(Words(lang).msg("switch_language"))
    assert not errors, errors

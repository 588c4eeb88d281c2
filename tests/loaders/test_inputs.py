"""Input of every real shape: PDFs made here from corpus texts (a CJK font installed by
`make test`), and bad input that must fail with one line naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from policykg.loaders.extract import LoaderError, extract_file

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
#: where Debian's fonts-wqy-microhei (installed by `make test`) puts its font
FONT_DIRS = (Path("/usr/share/fonts/truetype/wqy"), Path("/usr/share/fonts/opentype/noto"))


def cjk_font() -> Path:
    for folder in FONT_DIRS:
        for pattern in ("wqy-microhei.ttc", "wqy-zenhei.ttc", "NotoSansCJK-Regular.ttc"):
            hits = sorted(folder.glob(pattern))
            if hits:
                return hits[0]
    raise AssertionError("no CJK font: `make test` installs fonts-wqy-microhei (apt)")


def make_pdf(text: str, path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", fname=str(cjk_font()), collection_font_number=0)
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(0, 6, text)  # wraps at the page width: hard breaks inside sentences
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("name", ["nanjing_jiangbei_ruanjian_2026_excerpt.txt", "shenzhen_ai_plus_zhizaoye_2026.txt"])
def test_a_pdf_made_from_a_corpus_text_gives_the_same_document(name: str, tmp_path: Path):
    text = (CORPUS / name).read_text(encoding="utf-8")
    plain = [d for d in extract_file(CORPUS / name).documents if d.loaded]
    pdf = make_pdf(text, tmp_path / (Path(name).stem + ".pdf"))
    result = extract_file(pdf)
    docs = [d for d in result.documents if d.loaded]
    assert [d.title for d in docs] == [d.title for d in plain]
    clauses = {c.number for root in docs[0].clauses for c in root.walk()}
    assert {c.number for root in plain[0].clauses for c in root.walk()} <= clauses
    assert docs[0].jurisdictions == plain[0].jurisdictions
    assert docs[0].stacking_rules == [] or {r for r, _ in docs[0].stacking_rules} == {r for r, _ in plain[0].stacking_rules}
    # evidence offsets point into the PDF's text layer
    layer = result.original
    for rel in docs[0].relations:
        assert layer[rel.evidence.start:rel.evidence.end].replace("\n", "")[:6] == rel.evidence.quote.replace("\n", "")[:6]


def test_a_pdf_without_a_text_layer_is_refused_by_name(tmp_path: Path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a scan-like page: marks, no text
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(LoaderError, match=r"scan\.pdf: PDF has no text layer"):
        extract_file(path)


def test_a_broken_pdf_is_refused_by_name(tmp_path: Path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF garbage")
    with pytest.raises(LoaderError, match=r"broken\.pdf: "):
        extract_file(path)


def test_a_truncated_file_is_refused_by_name(tmp_path: Path):
    data = "甲市促进人工智能发展的若干措施\n一、支持研发。".encode()
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-1])  # cut inside the last character
    with pytest.raises(LoaderError, match=r"cut\.txt: truncated file"):
        extract_file(path)


def test_binary_input_is_refused_by_name(tmp_path: Path):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(256)) * 16)
    with pytest.raises(LoaderError, match=r"blob\.txt: "):
        extract_file(path)


def test_an_html_page_with_no_policy_is_refused_by_name(tmp_path: Path):
    path = tmp_path / "home.html"
    path.write_text("<!DOCTYPE html><html><head><title>首页</title></head><body>"
                    + "<div><p>欢迎访问本网站。</p><p>今日天气晴，气温二十度。</p><a href='/'>联系我们</a></div>" * 4
                    + "</body></html>", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"home\.html: HTML page holds no policy text"):
        extract_file(path)

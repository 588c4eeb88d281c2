"""Bad input: a clear error or warning, never a crash, never a partial graph."""

from __future__ import annotations

import pytest

from policykg.loaders.extract import LoaderError, extract_file, extract_text
from policykg.loaders.pipeline import build


def test_empty_file_gives_a_warning_and_no_graph(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = extract_file(path)
    assert result.documents == [] and "empty" in result.warnings[0]
    assert build([path]).graphs == {}


def test_binary_garbage_is_a_named_error(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 100)
    with pytest.raises(LoaderError, match="garbage.txt"):
        extract_file(path)
    errors: list[LoaderError] = []
    assert build([path], on_error=errors.append).graphs == {} and len(errors) == 1


def test_gb18030_file_is_read(tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes("苏州市关于加快人工智能产业发展的若干措施\n为推动发展,制定本措施。\n一、支持算力。对企业给予最高100万元补助。\n".encode("gb18030"))
    result = extract_file(path)
    [d] = result.documents
    assert d.title == "苏州市关于加快人工智能产业发展的若干措施" and d.jurisdictions == ["苏州市"]


def test_ten_megabyte_file_is_refused_clearly(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(("一、支持算力。对企业给予最高100万元补助。\n" * 200_000).encode("utf-8"))
    assert path.stat().st_size > 10_000_000
    with pytest.raises(LoaderError, match="big.txt.*more than"):
        extract_file(path)
    assert build([path], on_error=lambda e: None).graphs == {}


def test_text_without_any_structure_still_loads_as_paragraphs():
    result = extract_text("这是一段没有标题也没有编号的文字。\n第二段文字。", "plain.txt")
    [d] = result.documents
    assert [c.number for c in d.clauses] == ["p1", "p2"]
    assert any("title" in w for w in d.warnings)


def test_unreadable_path_is_a_named_error(tmp_path):
    with pytest.raises(LoaderError, match="missing.txt"):
        extract_file(tmp_path / "missing.txt")

"""docs/deploy.md is checked, not trusted: every POLICYKG_STORE* variable the code reads is
documented there, and so is every server setting the remote store's messages point to."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_store_variable_the_code_reads_is_documented() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "queries").glob("*.py"))
    read = set(re.findall(r"POLICYKG_STORE\w*", code))
    assert {"POLICYKG_STORE", "POLICYKG_STORE_USER", "POLICYKG_STORE_PASSWORD",
            "POLICYKG_STORE_QUERY", "POLICYKG_STORE_UPDATE", "POLICYKG_STORE_GRAPHS"} <= read
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert not {v for v in read if v not in deploy}
    assert "--timeout-s" in deploy and "docs/deploy.md" in (ROOT / "README.md").read_text("utf-8")

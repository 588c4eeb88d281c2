"""Source names: one normalisation, reserved names, collisions (`queries.sources`)."""

from __future__ import annotations

import pytest

from policykg.queries.sources import SourceNameError, check, check_batch, key, normalise


@pytest.mark.parametrize(("raw", "clean"), [
    ("  plan.txt ", "plan.txt"), ("ｐｌａｎ１.txt", "plan1.txt"), ("a \t b.txt", "a b.txt"),
    ("南通\u3000方案.txt", "南通 方案.txt"),
])
def test_one_normalisation(raw: str, clean: str) -> None:
    assert normalise(raw) == clean


@pytest.mark.parametrize("name", ["background", " BACKGROUND ", "ｂａｃｋｇｒｏｕｎｄ", "links", "Staging"])
def test_reserved_names_are_refused(name: str) -> None:
    with pytest.raises(SourceNameError, match="reserved"):
        check(name)


@pytest.mark.parametrize("name", ["A B.txt", "ab.TXT", "ＡＢ.txt", " a  b.txt"])
def test_collisions_name_the_stored_source(name: str) -> None:
    assert key(name) == key("ab.txt")
    with pytest.raises(SourceNameError, match="'ab.txt'"):
        check(name, ["ab.txt", "other.txt"])


def test_same_name_is_a_replacement_and_batches_are_checked_among_themselves() -> None:
    assert check("ab.txt", ["ab.txt"]) == "ab.txt"
    with pytest.raises(SourceNameError):
        check_batch(["x.txt", "X.txt"])
    with pytest.raises(SourceNameError):
        check("   ")

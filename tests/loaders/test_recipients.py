"""Who receives an offer: head nouns, mixed lists, lower governments, topics, class words.
Made-up sentences of many shapes; none is copied from the corpus."""

from __future__ import annotations

import pytest
from clause_helpers import clause, context

from policykg.loaders.instruments import extract_instruments
from policykg.loaders.recipients import class_before, head_kind, recipient, recipients_differ


@pytest.mark.parametrize(("phrase", "kind"), [
    ("通过认定的骨干企业", "enterprise"),
    ("牵头建设实验平台的高校", "institution"),
    ("共建工程学院、设计学院等产业学院的企业", "enterprise"),   # the head follows the last 的
    ("高校院所、企事业单位", "organisation"),                  # kinds that differ: the class covering them
    ("科研院所和行业协会", "organisation"),
    ("开放数据资源的企业和单位", None),                         # firms among others: no single kind
    ("省内企业、科研院所等数据使用方", None),
    ("企业、高校和科研院所", None),
    ("入选的青年人才", "individual"),
    ("新引进的顶尖团队", "team"),
    ("带动性强的示范项目", None),
    ("符合条件的市", "organisation"),
    ("", None),
])
def test_head_kind(phrase: str, kind: str | None) -> None:
    assert head_kind(phrase) == kind


def test_a_project_listed_with_a_kind_is_undecided() -> None:
    assert recipient("获奖项目和团队", "对获奖项目和团队,给予") is None
    assert recipient("获奖团队", "") == "team"


@pytest.mark.parametrize(("beneficiary", "before", "after", "kind"), [
    # a lower government receives: named after the offer, in its own segment
    ("当年建成投运的算力项目", "省级按市级实际奖补额的", "给予所在县奖补", "organisation"),
    ("引进的重大产业项目", "省级按照市级补助金额的", "给予项目所在市补助", "organisation"),
    # the topic that `，给予…` / `，对其…` continues, with no 对 phrase
    (None, "经认定的市级众创空间,给予每家", "", "organisation"),
    (None, "连续经营满两年的小微企业,对其", "", "enterprise"),
    (None, "取得职业资格的返乡青年,一次性给予", "", "individual"),
    (None, "支持建设一批概念验证中心,择优给予每家", "", "organisation"),
    # what the amount pays for, after it
    (None, "每年安排最高", "经费支持某某青年服务中心(青年之家)建设", "organisation"),
    # whom a 鼓励 list names
    (None, "鼓励各类高校、科研院所、企事业单位参与标准制定,按规定", "", "organisation"),
    (None, "鼓励各地企业、高校参与标准制定,按规定", "", None),
    (None, "鼓励企事业单位建设中试基地,最高按照国拨经费", "", "organisation"),
])
def test_recipient_phrases(beneficiary: str | None, before: str, after: str, kind: str | None) -> None:
    assert recipient(beneficiary, before, after) == kind


@pytest.mark.parametrize(("before", "after"), [
    ("对开展技术攻关的,按实际投入的", "给予补助"),            # nobody named
    ("对获奖项目和团队,给予", ""),                             # undecided
    ("上述任务完成后,给予", ""),
])
def test_silent_or_undecided_text_names_no_recipient(before: str, after: str) -> None:
    assert recipient(None, before, after) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("对通过评审的创新人才,给予个人", "individual"),
    ("给予个人50~200万元、团队", "team"),
    ("给予个人30万元、研发团队最高", "team"),
    ("分别给予国家级", None),       # a class that is no recipient
    ("给予一次性", None),
])
def test_class_word_before_an_amount(text: str, kind: str | None) -> None:
    assert class_before(text) == kind


def test_recipients_differ_only_across_kinds() -> None:
    assert recipients_differ("新认定的领军团队、青年人才")
    assert not recipients_differ("骨干企业和高成长企业")
    assert not recipients_differ("获奖项目和团队")


@pytest.mark.parametrize(("text", "expected"), [
    ("对入选的创业人才，给予个人20~100万元、团队50~200万元创业资助。", ["individual", "team"]),
    ("对新认定的骨干团队、青年英才，分别给予最高300万元、50万元资助。", ["team", "individual"]),
    ("对开放数据集的企业和单位，每家最高给予80万元补助。", [None]),
    ("对开放数据集的院所和单位，每家最高给予80万元补助。", ["organisation"]),
    ("对建设联合学院、联合实验室的企业，给予最高60万元资助。", ["enterprise"]),
    ("对新建的智能工厂项目，省级按照市级补助金额的30%、最高500万元给予项目所在市奖补。", ["organisation"]),
])
def test_recipients_in_instruments(text: str, expected: list[str | None]) -> None:
    found = extract_instruments(clause(text), context())
    assert [i.recipient for i in found] == expected

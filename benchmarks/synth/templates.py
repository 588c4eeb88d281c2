"""Sentence patterns of the synthetic policies, taken from the corpus's own sentences.

Each item template is one numbered measure as the corpus writes it (Nantong's 算力券 item,
Guiyang's 按其建设成本的30%给予一次性补助, Anhui's 省级按照市级实际补助额度的1/3 …), with
the numbers, places and departments left as slots. Only the slots vary between documents, so
the extractors meet the genre they were written for, at any scale.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .places import Place

#: Departments by kind, as a 省 / 市 / 区 names them (the first of a list keeps its prefix).
DEPARTMENTS: dict[str, dict[str, str]] = {
    "科技": {"省": "科技厅", "市": "科技局", "区": "科技局", "县": "科技局"},
    "工信": {"省": "工业和信息化厅", "市": "工信局", "区": "经济发展局", "县": "经信局"},
    "数据": {"省": "数据资源局", "市": "数据局", "区": "数据局", "县": "数据局"},
    "财政": {"省": "财政厅", "市": "财政局", "区": "财政局", "县": "财政局"},
    "发改": {"省": "发展改革委", "市": "发改委", "区": "发改局", "县": "发改局"},
    "人社": {"省": "人力资源社会保障厅", "市": "人社局", "区": "人社局", "县": "人社局"},
    "金融": {"省": "地方金融监管局", "市": "金融办", "区": "金融办", "县": "金融办"},
    "市场": {"省": "市场监管局", "市": "市场监管局", "区": "市场监管局", "县": "市场监管局"},
}

RATES = (10, 15, 20, 25, 30, 40, 50)
CAPS = (50, 100, 150, 200, 300, 500, 800, 1000, 2000, 3000, 5000)  # 万元


def units(place: Place, kinds: list[str]) -> str:
    """`(责任单位:市科技局、工信局、数据局)`: later names drop the level prefix, as in the corpus."""
    names = [DEPARTMENTS[k][place.level] for k in kinds]
    names[0] = place.level + names[0]
    return "(责任单位:" + "、".join(names) + ")"


@dataclass
class Item:
    """One numbered measure: its heading and body, and the compute voucher figures if it is one."""

    heading: str
    body: str
    voucher: tuple[int, int] | None = None  # (rate %, cap 万元) of a 算力券 item


def _pick(rng: random.Random, values: tuple[int, ...], low: int = 0, high: int | None = None) -> int:
    pool = [v for v in values if v >= low and (high is None or v <= high)]
    return rng.choice(pool)


def compute_voucher(rng: random.Random, place: Place) -> Item:
    rate, cap = _pick(rng, RATES, high=30), _pick(rng, CAPS, 100, 1000)
    body = (f"打造{place.short}公共算力服务平台,对通过平台使用智能算力的企业,以“算力券”方式给予不超过"
            f"实际支付智能算力费用{rate}%的补助,每年每家企业最高不超过{cap}万元。"
            + units(place, ["科技", "数据"]))
    return Item("促进算力资源应用", body, voucher=(rate, cap))


def compute_project(rng: random.Random, place: Place) -> Item:
    cap = _pick(rng, CAPS, 500)
    body = (f"对符合条件的服务全{place.level}人工智能企业的智能算力项目给予支持,单个项目补助总额最高不超过"
            f"{cap}万元。" + units(place, ["发改", "科技", "数据"]))
    return Item("支持智能算力项目建设", body)


def dataset(rng: random.Random, place: Place) -> Item:
    cap = _pick(rng, CAPS, 100, 1000)
    body = (f"对在人工智能领域提供高质量数据集或打造专业化数据空间的企业和单位,经综合评价,每家最高可给予"
            f"{cap}万元的补助支持。" + units(place, ["数据"]))
    return Item("支持数据要素供给", body)


def model_rnd(rng: random.Random, place: Place) -> Item:
    rate, cap = _pick(rng, RATES), _pick(rng, CAPS, 200, 3000)
    body = (f"鼓励企业、高校、科研院所在{place.short}开展人工智能大模型研发及训练。对通过国家网信办境内深度合成"
            f"服务算法备案的大模型,按其建设成本的{rate}%给予一次性补助,最高不超过{cap}万元。"
            + units(place, ["科技", "工信"]))
    return Item("支持人工智能大模型研发训练", body)


def scenario(rng: random.Random, place: Place) -> Item:
    cap = _pick(rng, CAPS, 50, 500)
    body = ("支持人工智能在经济发展、社会治理、民生服务等领域的创新应用,遴选一批可复制、可示范推广的典型应用"
            f"场景项目,每个项目最高给予不超过{cap}万元奖励。" + units(place, ["数据", "工信"]))
    return Item("支持应用场景建设", body)


def platform(rng: random.Random, place: Place) -> Item:
    rate, cap = _pick(rng, RATES, high=20), _pick(rng, CAPS, 50, 500)
    body = (f"鼓励企业建设人工智能大模型公共服务平台,为{place.short}企业提供研发、设计、技术交流等服务。对经"
            f"{place.level}级及以上部门认定的平台,按其建设投资额的{rate}%给予一次性补助,最高不超过{cap}万元。"
            + units(place, ["科技"]))
    return Item("支持建设人工智能公共服务平台", body)


def data_trading(rng: random.Random, place: Place) -> Item:
    pool, cap = _pick(rng, CAPS, 200, 1000), _pick(rng, CAPS, 50, 200)
    body = (f"鼓励人工智能企业通过数据交易机构购买数据并用于大模型训练,每年安排资金总额不超过{pool}万元,"
            f"对购买数据交易总金额排名前列的市场主体,按其年度数据交易金额的{rng.choice((1, 2, 3))}%给予补贴,"
            f"单个企业每年补助最高不超过{cap}万元。" + units(place, ["数据", "财政"]))
    return Item("支持数据流通", body)


def fund(rng: random.Random, place: Place) -> Item:
    size = rng.choice((5, 10, 20, 50, 100, 200))
    body = (f"设立总规模为{size}亿元的人工智能产业投资基金,吸引社会资金集聚形成资本供给效应,重点投向人工智能"
            "领域创业企业及优质项目。" + units(place, ["财政", "金融"]))
    return Item("设立人工智能基金", body)


def guarantee(rng: random.Random, place: Place) -> Item:
    body = ("鼓励基金、金融机构对有产业化前景的人工智能项目开展“投贷联动”,政府性融资担保机构对相关项目给予"
            f"优先支持,能担尽担,担保费率在规定费率的基础上降低{rng.choice((20, 30, 50))}%。"
            + units(place, ["金融", "财政"]))
    return Item("加大金融支持力度", body)


def talent(rng: random.Random, place: Place) -> Item:
    a = rng.choice((50, 100))
    b = a + rng.choice((100, 200, 400))
    c = rng.choice((200, 300))
    d = c + rng.choice((100, 300))
    body = (f"对通过{place.short}高层次人才评审的创业人才,给予个人{a}~{b}万元、团队{c}~{d}万元创业启动资助。"
            f"对企事业单位引进的博士给予{rng.choice((2000, 3000, 5000))}元/月生活津贴。"
            + units(place, ["人社", "科技"]))
    return Item("提供高层次人才激励", body)


def research(rng: random.Random, place: Place) -> Item:
    rate, cap = _pick(rng, RATES, high=30), _pick(rng, CAPS, 100, 5000)
    body = ("支持面向通用人工智能产业的前瞻技术研发,按照不超过项目研发费用的"
            f"{rate}%予以资助,单个项目最高资助{cap}万元。" + units(place, ["科技"]))
    return Item("支持技术攻关和成果转化", body)


def standard(rng: random.Random, place: Place) -> Item:
    a = rng.choice((50, 100, 200))
    body = (f"对主导制定国际、国家(行业)标准的人工智能企业,每个标准分别给予一次性最高奖补{a}万元、{a // 2}万元。"
            + units(place, ["市场", "工信"]))
    return Item("支持标准化体系建设", body)


def competition(rng: random.Random, place: Place) -> Item:
    cap = _pick(rng, CAPS, 100, 3000)
    body = (f"举办人工智能创新应用大赛,对创新能力强、应用成效显著并在{place.short}落地的获奖项目和团队,"
            f"最高支持金额{cap}万元。" + units(place, ["科技", "财政"]))
    return Item("举办创新应用大赛", body)


def scheduling(rng: random.Random, place: Place) -> Item:
    body = (f"加快建立全{place.level}算力统筹调度机制,引导各类公共算力及市场化算力资源接入,推动异构算力资源的"
            "统一管理、统一运营、统一服务,确保企业享受优质普惠算力。" + units(place, ["数据", "科技"]))
    return Item("统筹调度算力资源", body)


def matching(rng: random.Random, place: Place) -> Item:
    body = (f"对新增智能算力规模{rng.choice((100, 200, 400))}P以上的建设项目,鼓励符合条件的市给予建设和运营"
            "经费支持,省级按照市级实际补助额度的1/3给予符合条件的市补助。对特别重大的项目,省市可采用"
            "“一事一议”方式支持。" + units(place, ["发改", "财政"]))
    return Item("加快智算中心建设", body)


ITEMS = (compute_voucher, compute_project, dataset, model_rnd, scenario, platform, data_trading,
         fund, guarantee, talent, research, standard, competition, scheduling)

PREAMBLES = (
    "为深入贯彻国家发展新一代人工智能战略部署,抢抓通用人工智能加速发展历史机遇,加速构建{short}人工智能产业创新发展生态体系,结合{short}实际,制定{kind}。",
    "为抢抓人工智能发展的重大战略机遇,促进{short}人工智能产业发展,加快数字经济发展创新区建设,结合{short}发展实际,特制定{kind}。",
    "为加速赋能千行百业,推动{short}率先进入通用人工智能时代,根据上级部署要求,制定{kind}。",
)

SAFEGUARDS = (
    ("强化组织保障", "建立人工智能产业发展工作专班,由{level}政府分管负责同志担任组长,统筹推进各项任务落实。"),
    ("强化资金保障", "{level}级财政统筹相关专项资金用于智算中心建设、算力奖补、研发补助等。"),
    ("强化监测评估", "建立“月报告、季调度、年总结”调度机制,建立人工智能产业指标监测体系。"),
    ("强化宣传培训", "围绕大模型应用推广,开展形式多样的宣传活动,营造浓厚的产业发展氛围。"),
)

STACKING = (
    "同一事项涉及上述多条政策或其他同类政策的,就高不重复。",
    "本政策与已出台政策重复或同一事项适用于多项优惠政策内容,按“从优不重复”“晋级补差”的原则予以支持。",
    "同一企业同一项目获得{short}其他同类政策支持的,按照就高不重复原则执行。",
)

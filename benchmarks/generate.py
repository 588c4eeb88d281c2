"""Write N synthetic policy documents (one per .txt file) for the scale benchmarks.

The real corpus has four files; the benchmarks need thousands. Each synthetic document follows
the corpus's genre — title line, 文号, preamble, `一、` sections, `1.` items with money, rate and
cap sentences, `(责任单位:…)` lists, a validity sentence, a stacking rule, now and then 《…》
citations and 配套 / 加码 sentences pointing at documents of an enclosing jurisdiction — so
the loaders do the same work per document as on real input. The output is for scale only:
it never goes into corpus/ and says nothing about extraction quality.

Deterministic: the same `--seed` gives the same files byte for byte, and `--n 100` writes
exactly the first 100 files of `--n 1000` (each document draws from its own seeded RNG and
titles come from a fixed permutation of a title space of ~58,000 distinct titles).

    python benchmarks/generate.py --n 1000 --out benchmarks/out/docs-1000 --seed 1
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from synth.places import PLACES, Place, enclosing, jurisdictions_turtle
from synth.templates import ITEMS, PREAMBLES, SAFEGUARDS, STACKING, Item, matching, units

JURISDICTION_NS = "https://w3id.org/policykg/id/jurisdiction/"
#: The synthetic places' hierarchy, written next to the documents (see synth.places).
JURISDICTIONS_FILE = "jurisdictions.ttl"
NUMERALS = "一二三四五六七八九十"
VERBS = ("支持", "促进", "加快", "推动")
TOPICS = (
    "人工智能大模型发展", "通用人工智能产业创新发展", "算力基础设施建设", "智能算力产业发展",
    "数据要素市场化配置", "人工智能赋能新型工业化", "人工智能与制造业深度融合", "具身智能产业发展",
    "人工智能产业集聚", "数据标注产业发展", "人工智能开源生态建设", "智能网联汽车产业发展",
    "人工智能创新应用", "人工智能场景开放", "人工智能人才集聚", "大模型创新应用",
    "公共算力服务平台建设", "人工智能产业园区建设", "数字经济高质量发展", "人工智能与实体经济融合",
    "人工智能企业培育", "人工智能芯片产业发展", "人工智能赋能医疗健康", "智能机器人产业发展",
)
KINDS = ("若干措施", "若干政策", "行动方案", "实施意见", "若干政策措施", "三年行动计划", "实施方案", "扶持办法")
TITLE_SPACE = len(PLACES) * len(VERBS) * len(TOPICS) * len(KINDS)
#: Share of documents that are news reports of a 加码 (when an enclosing document exists).
NEWS_SHARE = 0.15


@dataclass
class Generated:
    """One written document and what later documents may cite of it."""

    title: str
    place: Place
    voucher: tuple[int, int] | None = None
    report: bool = False   # a news report about `title`'s subject, not a policy of its own
    lines: list[str] = field(default_factory=list)


def _stride(seed: int) -> tuple[int, int]:
    """A multiplier coprime with the title space and an offset, both from the seed."""
    rng = random.Random(f"titles:{seed}")
    while True:
        a = rng.randrange(1, TITLE_SPACE)
        if math.gcd(a, TITLE_SPACE) == 1:
            return a, rng.randrange(TITLE_SPACE)


def title_parts(i: int, seed: int) -> tuple[Place, str, str, str]:
    """The i-th (place, verb, topic, kind): an affine permutation, so titles never repeat."""
    a, b = _stride(seed)
    k = (a * i + b) % TITLE_SPACE
    k, p = divmod(k, len(PLACES))
    k, v = divmod(k, len(VERBS))
    k, t = divmod(k, len(TOPICS))
    return PLACES[p], VERBS[v], TOPICS[t], KINDS[k % len(KINDS)]


def issuer(place: Place) -> str:
    if place.level == "省":
        return place.name + "人民政府办公厅"
    if place.name.endswith(("开发区", "园区", "新区", "创新区", "高新区")) and place.parent:
        return place.name + "管理委员会"
    return place.name + "人民政府办公室" if place.level == "市" else place.name + "人民政府"


def _date(rng: random.Random) -> date:
    return date(2022, 1, 1) + timedelta(days=rng.randrange(0, 3 * 365 + 180))


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if n <= 10 else "十" + NUMERALS[n - 11]


def _upper_doc(rng: random.Random, place: Place, seen: dict[str, list[Generated]]) -> Generated | None:
    """An earlier document of an enclosing jurisdiction, if any (for 配套, citations and 加码)."""
    candidates = [g for up in enclosing(place) for g in seen.get(up.name, [])]
    return rng.choice(candidates) if candidates else None


def _top_up(rng: random.Random, place: Place, upper: Generated) -> str:
    """A 加码 sentence in the news report's wording, raising the upper voucher's rate and cap."""
    assert upper.voucher is not None
    rate, cap = upper.voucher
    up_level = upper.place.level
    return (f"在《{upper.title}》算力券政策基础上,{place.level}级再给予加码支持:对通过公共算力服务平台使用智算算力的"
            f"{place.level}内企业,{up_level}、{place.level}两级给予不超过实际使用算力成本{min(rate + rng.choice((10, 20, 30)), 60)}%"
            f"的补贴,最高可达{cap * 2}万元/年。" + units(place, ["科技", "数据"]))


def news_report(rng: random.Random, place: Place, upper: Generated, title: str) -> Generated:
    """A local newspaper report, as 000_….txt: the enclosing place issued `upper`, and `place`
    issued `title` (not in the corpus) that tops up (加码) its compute and dataset support."""
    assert upper.voucher is not None
    up, low = upper.place.level, place.level
    rate, cap = upper.voucher
    we = "我省" if up == "省" else "我市"
    gen = Generated(f"关于《{upper.title}》的新闻报道", upper.place, report=True)
    gen.lines += [
        f"{upper.place.short}日报讯 (记者{rng.choice('王李张刘陈杨赵黄周吴')}{rng.choice(('玮丽', '康', '一冰', '晨', '磊'))} "
        f"通讯员{rng.choice('孙朱胡郭何高林罗')}{rng.choice(('军', '婷', '洋', '静'))})记者{rng.randrange(1, 29)}日从"
        f"{up}科技局获悉,{we}出台《{upper.title}》,加快建设人工智能产业创新和应用高地。",
        f"捧出“真金白银”,支持人工智能产业创新发展。《{upper.title}》对算力使用、数据要素供给、应用场景建设、"
        "技术攻关和成果转化等方面出台专项支持政策,大幅降低企业训练AI大模型以及智能体开发运用成本。",
        f"记者了解到,{place.name}出台的《{title}》,从算力补贴、数据集建设奖励等方面,在{up}级政策基础上进行“加码”"
        f"支持。比如,对通过公共算力服务平台使用智算算力的{low}内企业,{up}、{low}两级给予不超过实际使用算力成本"
        f"{min(rate + rng.choice((10, 20, 30)), 60)}%的补贴,最高可达{cap * 2}万元/年。",
        "",
    ]
    return gen


def document(i: int, seed: int, seen: dict[str, list[Generated]], used: set[str]) -> Generated:
    """The i-th synthetic document; `seen` holds the earlier ones by place name, `used` every
    title so far (so a described, not-loaded policy never shares a title with another)."""
    place, verb, topic, kind = title_parts(i, seed)
    rng = random.Random(f"doc:{seed}:{i}")
    title = f"{place.name}关于{verb}{topic}的{kind}"
    upper = _upper_doc(rng, place, seen) if rng.random() < 0.6 else None
    if upper is not None and upper.voucher is not None and not upper.report \
            and rng.random() < NEWS_SHARE:
        described = f"{place.name}关于{verb}{topic}的若干政策意见"
        if described not in used:
            used.add(described)
            return news_report(rng, place, upper, described)
    gen = Generated(title, place)
    issued = _date(rng)
    kind_ref = "本" + ("方案" if "方案" in kind else "计划" if "计划" in kind else "办法" if "办法" in kind
                       else "意见" if "意见" in kind else "措施" if "措施" in kind else "政策")

    out = gen.lines
    out += [title, "", f"{place.abbr}政办规〔{issued.year}〕{rng.randrange(1, 60)}号", ""]
    preamble = rng.choice(PREAMBLES).format(short=place.short, kind=kind_ref)
    if upper is not None and rng.random() < 0.5:
        preamble = f"为贯彻落实《{upper.title}》," + preamble
    out += [preamble, ""]

    year = rng.choice((2025, 2026, 2027))
    out += ["一、总体要求", "",
            f"坚持算力是前提、数据是基础、模型是核心,加快建设人工智能产业创新和应用高地。到{year}年,"
            f"布局智能算力规模{rng.choice((100, 200, 500, 1000))}P以上,构建高质量数据集{rng.choice((10, 20, 50))}个以上,"
            f"培育行业垂直模型{rng.choice((10, 20, 30))}个以上,引进培育相关企业{rng.choice((50, 100, 200))}家以上。", ""]

    out += ["二、政策支持", ""]
    makers = rng.sample(ITEMS, rng.randint(5, 9))
    if place.level == "省" and rng.random() < 0.5:
        makers.append(matching)
    items: list[Item] = [make(rng, place) for make in makers]
    for n, item in enumerate(items, 1):
        if item.voucher is not None:
            gen.voucher = item.voucher
        out += [f"{n}. {item.heading}。{item.body}", ""]
    if upper is not None and upper.voucher is not None and rng.random() < 0.3:
        out += [f"{len(items) + 1}. 算力券加码支持。" + _top_up(rng, place, upper), ""]

    out += ["三、保障措施", ""]
    for n, (heading, text) in enumerate(rng.sample(SAFEGUARDS, rng.randint(2, 4)), 1):
        out += [f"({_numeral(n)}) {heading}", "", text.format(level=place.level), ""]

    closing: list[str] = []
    if upper is not None and rng.random() < 0.5:
        closing.append(f"{kind_ref}衔接《{upper.title}》,力求做到成对配套,同一事项按上级政策执行的,"
                       f"{place.level}级不再重复支持。")
    if rng.random() < 0.3:
        closing.append(f"“{place.short}智算券”领取及使用方式按照另行出台的《{place.short}智算券管理办法(试行)》执行。")
    if place.level != "省" and rng.random() < 0.3:
        closing.append("鼓励各板块、各园区研究配套专项政策等各类支持举措。")
    if rng.random() < 0.5:
        until = date(issued.year + rng.choice((2, 3, 4)), 12, 31)
        if rng.random() < 0.5:
            closing.append(f"{kind_ref}自发布之日起实施,有效期至{_cn_date(until)}。")
        else:
            start = issued + timedelta(days=rng.choice((0, 15, 30, 60)))
            closing.append(f"{kind_ref}自{_cn_date(start)}起施行,有效期至{_cn_date(until)}。")
    else:
        closing.append(f"{kind_ref}自发布之日起执行,有效期{rng.choice(('两年', '三年', '五年'))}。")
    if rng.random() < 0.4:
        closing.append("相关政策条款实施后有新规定的,按新规定执行。")
    if rng.random() < 0.3:
        closing.append(f"{place.short}原有关文件规定与本文件不一致的,以本文件为准。")
    closing.append(rng.choice(STACKING).format(short=place.short))
    out += ["".join(closing), "", issuer(place), _cn_date(issued), ""]
    return gen


def generate(n: int, seed: int) -> Iterator[tuple[str, Generated]]:
    """(file name, document) for documents 0 … n-1, in order."""
    if n > TITLE_SPACE:
        raise ValueError(f"at most {TITLE_SPACE} distinct titles, asked for {n}")
    seen: dict[str, list[Generated]] = {}
    used: set[str] = set()
    for i in range(n):
        gen = document(i, seed, seen, used)
        if not gen.report:
            seen.setdefault(gen.place.name, []).append(gen)
        text = "\n".join(gen.lines)
        name = f"{i:06d}_{hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]}.txt"
        yield name, gen


def write(n: int, out: Path, seed: int) -> list[Path]:
    """Write the documents, a manifest.yaml (jurisdiction per file, as corpus/ has) and
    jurisdictions.ttl (the places' hierarchy, which the loaders' gazetteer does not hold)."""
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    manifest = ["# Synthetic benchmark corpus (benchmarks/generate.py); not real policies.", "files:"]
    for name, gen in generate(n, seed):
        path = out / name
        path.write_text("\n".join(gen.lines), encoding="utf-8")
        paths.append(path)
        manifest += [f"  {name}:", f'    origin: "synthetic, seed {seed}"',
                     "    jurisdictions:", f"      - {JURISDICTION_NS}{gen.place.name}"]
    (out / "manifest.yaml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    (out / JURISDICTIONS_FILE).write_text(jurisdictions_turtle(JURISDICTION_NS), encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of documents (default 1000)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "docs",
                        help="output directory (default benchmarks/out/docs; never corpus/)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be positive")
    corpus = (Path(__file__).resolve().parent.parent / "corpus").resolve()
    out = args.out.resolve()
    if out == corpus or corpus in out.parents:
        parser.error("synthetic documents never go into corpus/")
    paths = write(args.n, args.out, args.seed)
    print(f"wrote {len(paths)} documents to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

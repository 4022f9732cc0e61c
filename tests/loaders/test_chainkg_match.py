"""Segment <-> product matching: head-noun rules, sub-classes, and the quality report."""

from __future__ import annotations

import pytest

from graph import RelType, Segment
from graph.national import NationalBuilder
from loaders.chainkg_match import match_quality, match_segments, matches_term, segment_terms


@pytest.mark.parametrize(
    ("term", "name", "expected"),
    [
        ("光伏玻璃", "光伏玻璃", True),
        ("光伏玻璃", "太阳能光伏玻璃", True),  # modifier + head noun
        ("光伏玻璃", "光伏玻璃业务", True),  # business line of the same thing
        ("多晶硅", "多晶硅切削液", False),  # head noun is 切削液: a cutting fluid
        ("银浆", "银", False),  # never a character of the term
        ("银浆", "导电银浆", False),  # two-character terms take no modifier
        ("组件", "汽车组件", False),
        ("组件", "组件", True),
        ("硅片", "硅片销售", True),
        ("电缆", "电缆料", False),  # a compound for cables, not a cable
        ("工程塑料", "以工程塑料", False),  # sentence fragment from an annual report
        ("铝合金", "废铝合金", False),  # scrap
        ("单晶炉", "单晶炉检测设备", False),
        ("氧化铝", "氢氧化铝", False),  # another compound
        ("磷酸铁", "焦磷酸铁", False),
        ("氧化铝", "高纯氧化铝", True),
        ("负极材料", "锂离子电池用负极材料", True),
        ("负极材料", "非常非常长的一串修饰语负极材料", False),  # modifier longer than six
    ],
)
def test_a_product_matches_a_term_when_it_is_a_kind_of_it(term, name, expected):
    assert matches_term(term, name) is expected


def segment(seg_id: str, name: str, chain: str = "pv", **extra) -> Segment:
    return Segment(id=seg_id, name=name, chain=chain, stage="中游", source="t", year=2024, **extra)


def test_terms_are_keywords_then_name_then_aliases_without_one_character_words():
    seg = segment("pv-glass", "光伏玻璃", keywords=("光伏 玻璃", "玻"), aliases=("太阳能玻璃",))
    assert segment_terms(seg) == ["光伏玻璃", "太阳能玻璃"]


def national(products: list[str], subclasses=(), makers=()):
    builder = NationalBuilder()
    for name in products:
        builder.products.add(name)
    index = builder.products.index
    for parent, child in subclasses:
        builder.add(RelType.SUBCLASS, index[parent], index[child])
    for firm, product, weight in makers:
        builder.add(RelType.MAKES, builder.firms.add(firm), index[product], weight)
    return builder.build()


def test_segments_match_products_and_their_faithful_subclasses():
    graph = national(
        ["光伏玻璃", "太阳能光伏玻璃", "光伏玻璃深加工设备", "硅片", "超薄单晶硅片"],
        subclasses=[
            ("光伏玻璃", "太阳能光伏玻璃"),
            ("光伏玻璃", "光伏玻璃深加工设备"),  # equipment, not glass
            ("硅片", "超薄单晶硅片"),  # a two-character parent takes no modifier either
        ],
    )
    segments = [
        segment("pv-glass", "光伏玻璃", keywords=("光伏玻璃",)),
        segment("pv-wafer", "切片", keywords=("硅片",)),
    ]
    found = {(m.src, m.dst, m.via) for m in match_segments(segments, graph)}
    assert found == {
        ("pv-glass", "p:光伏玻璃", ""),
        ("pv-glass", "p:太阳能光伏玻璃", ""),  # matched directly too: no via
        ("pv-wafer", "p:硅片", ""),
    }


def test_a_subclass_reached_only_through_the_relation_says_via_which_product():
    products = ["太阳能光伏玻璃", "超白压花太阳能光伏玻璃"]  # 7 characters before 光伏玻璃
    graph = national(products, subclasses=[tuple(products)])
    matches = match_segments([segment("pv-glass", "光伏玻璃")], graph)
    assert {(m.dst, m.via) for m in matches} == {
        ("p:太阳能光伏玻璃", ""),
        ("p:超白压花太阳能光伏玻璃", "p:太阳能光伏玻璃"),
    }


def test_matching_an_empty_national_graph_gives_nothing():
    assert match_segments([segment("pv-glass", "光伏玻璃")], national([])) == []


def test_quality_report_flags_generic_terms_and_products_claimed_by_two_chains():
    products = [f"{i}号提取物" for i in range(45)] + ["铝箔"]
    graph = national(products, makers=[("a-1", "铝箔", 0.5), ("a-2", "铝箔", 0.2)])
    segments = [
        segment("bio-extracts", "植物提取物", chain="bio", keywords=("提取物",)),
        segment("alloy-foil", "铝板带箔", chain="alloy", keywords=("铝箔",)),
        segment("li-foil", "电池铝箔", chain="li", keywords=("铝箔",)),
        segment("pv-nothing", "不存在的环节"),
    ]
    quality = {
        q.segment.id: q for q in match_quality(segments, match_segments(segments, graph), graph)
    }
    assert any("too generic" in flag for flag in quality["bio-extracts"].flags)
    assert quality["li-foil"].flags == ["铝箔 is also matched by chain alloy"]
    assert quality["li-foil"].firms == 2
    assert quality["pv-nothing"].direct == [] and quality["pv-nothing"].firms == 0

"""The one vocabulary: ids, Chinese spellings of enum values, frozen records, sourced facts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph import (
    EDGE_MODELS,
    NODE_MODELS,
    Batch,
    Certainty,
    Chain,
    ChainMap,
    HasCapacity,
    LinkKind,
    NodeKind,
    OperatesIn,
    PartOf,
    Project,
    ProjectType,
    RelType,
    Segment,
    Stage,
    Supplies,
    TargetedFor,
    TargetStatus,
)
from graph.schema import kind_of

SRC = {"source": "test", "year": 2024}


def segment(**changes: object) -> Segment:
    values: dict[str, object] = {"id": "pv-wafer", "name": "切片", "chain": "pv", "stage": "中游"}
    return Segment.model_validate({**values, **SRC, **changes})


# ------------------------------------------------------------------------------- ids


@pytest.mark.parametrize("good", ["pv", "pv-wafer", "li_ion", "kpi.2023", "a1-b2-c3"])
def test_slugs_are_accepted(good: str) -> None:
    assert segment(id=good).id == good


@pytest.mark.parametrize("bad", ["PV-wafer", "pv wafer", "光伏", "-pv", "pv-", "pv--wafer", ""])
def test_bad_slugs_are_rejected_with_an_example_of_a_good_one(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        segment(id=bad)
    message = str(caught.value)
    assert "is not a valid id" in message
    assert "lower-case latin letters, digits and '-'" in message
    assert "'pv-polysilicon'" in message


def test_references_are_slugs_too() -> None:
    with pytest.raises(ValidationError, match="is not a valid id"):
        segment(chain="Photo Voltaic")
    with pytest.raises(ValidationError, match="is not a valid id"):
        ChainMap(id="m", name="图谱", chain="pv", segments=("pv-wafer", "Bad Id"), **SRC)


# ------------------------------------------------------------------------------- enum spellings


@pytest.mark.parametrize(
    ("written", "stage"),
    [
        ("上游", Stage.UPSTREAM),
        ("中游", Stage.MIDSTREAM),
        ("下游", Stage.DOWNSTREAM),
        (" 下游 ", Stage.DOWNSTREAM),
        ("upstream", Stage.UPSTREAM),
    ],
)
def test_stage_accepts_chinese_and_english(written: str, stage: Stage) -> None:
    assert segment(stage=written).stage is stage


def test_an_unknown_stage_is_rejected() -> None:
    with pytest.raises(ValidationError, match="stage"):
        segment(stage="侧游")


def test_stage_labels_and_order() -> None:
    assert [s.label for s in Stage] == ["上游", "中游", "下游"]
    assert sorted(Stage, key=lambda s: s.rank) == [
        Stage.UPSTREAM,
        Stage.MIDSTREAM,
        Stage.DOWNSTREAM,
    ]


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("待接触", TargetStatus.TO_CONTACT),
        ("contacted", TargetStatus.CONTACTED),
        ("洽谈中", TargetStatus.NEGOTIATING),
        ("signed", TargetStatus.SIGNED),
        ("已落地", TargetStatus.LANDED),
    ],
)
def test_target_status_accepts_chinese_and_english(written: str, status: TargetStatus) -> None:
    entry = TargetedFor(src="firm-a", dst="pv-wafer", status=written, **SRC)
    assert entry.status is status


@pytest.mark.parametrize(
    ("written", "kind"),
    [("强链", ProjectType.STRENGTHEN), ("fill", ProjectType.FILL), ("延链", ProjectType.EXTEND)],
)
def test_project_type_accepts_chinese_and_english(written: str, kind: ProjectType) -> None:
    assert Project(id="p", name="项目", type=written, **SRC).type is kind


@pytest.mark.parametrize(
    ("written", "kind"),
    [("材料", LinkKind.MATERIAL), ("设备", LinkKind.EQUIPMENT), ("service", LinkKind.SERVICE)],
)
def test_link_kind_accepts_chinese_and_english(written: str, kind: LinkKind) -> None:
    assert Supplies(src="a", dst="b", kind=written, **SRC).kind is kind


@pytest.mark.parametrize(
    ("written", "certainty"),
    [
        ("V", Certainty.VERIFIED),
        ("U", Certainty.UNCERTAIN),
        ("LR", Certainty.LOW_RELIABILITY),
        ("R", Certainty.RECONSTRUCTED),
        ("reconstructed", Certainty.RECONSTRUCTED),
    ],
)
def test_certainty_short_forms(written: str, certainty: Certainty) -> None:
    assert segment(certainty=written).certainty is certainty


def test_certainty_defaults_to_verified_and_has_chinese_labels() -> None:
    assert segment().certainty is Certainty.VERIFIED
    assert Certainty.RECONSTRUCTED.label == "整理重建"
    assert Certainty.UNCERTAIN.label == "待核实"


# ------------------------------------------------------------------------------- records


def test_records_are_frozen() -> None:
    seg = segment()
    with pytest.raises(ValidationError, match="frozen"):
        seg.name = "硅片"  # type: ignore[misc]
    assert seg.model_copy(update={"name": "硅片"}).name == "硅片"
    assert seg.name == "切片"


def test_records_are_hashable_and_equal_by_value() -> None:
    assert segment() == segment()
    assert len({segment(), segment()}) == 1


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError, match="stgae"):
        segment(stgae="中游")


def test_text_is_stripped() -> None:
    assert segment(name="  切片\t").name == "切片"


def test_every_fact_needs_a_source() -> None:
    with pytest.raises(ValidationError, match="source"):
        Chain(id="pv", name="光伏", year=2024)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="source"):
        Chain(id="pv", name="光伏", source="", year=2024)


@pytest.mark.parametrize("year", [1800, 2200])
def test_years_outside_the_plausible_range_are_rejected(year: int) -> None:
    with pytest.raises(ValidationError, match="year"):
        segment(year=year)


def test_capacities_and_shares_are_bounded() -> None:
    with pytest.raises(ValidationError, match="capacity"):
        OperatesIn(src="f", dst="s", capacity=-1, **SRC)
    with pytest.raises(ValidationError, match="share"):
        OperatesIn(src="f", dst="s", share=1.5, **SRC)
    with pytest.raises(ValidationError, match="priority"):
        TargetedFor(src="f", dst="s", priority=4, **SRC)
    with pytest.raises(ValidationError, match="unit"):
        HasCapacity(src="xn", dst="s", capacity=5, unit="", **SRC)


def test_a_map_shows_at_least_one_segment() -> None:
    with pytest.raises(ValidationError, match="segments"):
        ChainMap(id="m", name="图谱", chain="pv", segments=(), **SRC)


def test_a_shared_segment_belongs_to_all_its_chains() -> None:
    assert segment(also_in=("electronic",)).chains == ("pv", "electronic")


# ------------------------------------------------------------------------------- vocabulary


def test_every_node_kind_and_relation_type_has_a_model() -> None:
    assert set(NODE_MODELS) == set(NodeKind)
    assert set(EDGE_MODELS) == set(RelType)
    for kind, model in NODE_MODELS.items():
        assert model.KIND is kind  # type: ignore[attr-defined]
    for rel, edge_model in EDGE_MODELS.items():
        assert edge_model.REL is rel


def test_kind_of_and_edge_keys() -> None:
    assert kind_of(segment()) is NodeKind.SEGMENT
    assert PartOf(src="pv-wafer", dst="pv").key == ("PART_OF", "pv-wafer", "pv")


def test_batch_length_counts_nodes_and_edges() -> None:
    batch = Batch(nodes=[segment()], edges=[PartOf(src="pv-wafer", dst="pv")])
    assert len(batch) == 2
    assert len(Batch()) == 0

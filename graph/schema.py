"""One vocabulary for chainkg: node kinds, relation types, and the records that carry facts.

Every loader validates into these models, every back end stores them, the API returns them.
Records are frozen pydantic models; ids are slugs (``pv-polysilicon``) so data files and URLs
stay readable. Every record that states a fact carries ``source`` and ``year``, and a
``certainty`` saying whether it was verified, is uncertain, or was reconstructed by us.

>>> Segment(id="pv-wafer", name="切片", chain="pv", stage="中游", source="s", year=2023).stage
<Stage.MIDSTREAM: 'midstream'>
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def _check_slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lower-case latin letters, digits and '-', "
            "e.g. 'pv-polysilicon'"
        )
    return value


Slug = Annotated[str, AfterValidator(_check_slug)]


class Direction(StrEnum):
    """Which way along a relation: edges leaving (OUT) or entering (IN) a node."""

    OUT = "out"
    IN = "in"


class NodeKind(StrEnum):
    REGION = "Region"
    PARK = "Park"
    CHAIN = "Chain"
    MAP = "ChainMap"
    SEGMENT = "Segment"
    FIRM = "Firm"
    PROJECT = "Project"
    KPI = "Kpi"
    PRODUCT = "Product"
    INDUSTRY = "Industry"


class RelType(StrEnum):
    PART_OF = "PART_OF"  # Segment -> Chain
    SHOWS = "SHOWS"  # ChainMap -> Segment
    SUPPLIES = "SUPPLIES"  # Segment -> Segment (upstream -> downstream)
    OPERATES_IN = "OPERATES_IN"  # Firm -> Segment
    LOCATED_IN = "LOCATED_IN"  # Firm -> Park | Region
    IN = "IN"  # Park -> Region
    TARGETED_FOR = "TARGETED_FOR"  # Firm -> Segment (target-list entry)
    FILLS = "FILLS"  # Project -> Segment
    BY = "BY"  # Project -> Firm
    MAKES = "MAKES"  # Firm -> Product (ChainKG 主营产品)
    MATCHES = "MATCHES"  # Segment -> Product (segment keyword matches the product)
    UPSTREAM_MATERIAL = "UPSTREAM_MATERIAL"  # Product -> Product (ChainKG 上游材料)
    SUBCLASS = "SUBCLASS"  # Product -> Product (ChainKG 产品小类)
    DOWNSTREAM_PRODUCT = "DOWNSTREAM_PRODUCT"  # Product -> Product (ChainKG 下游产品)
    IN_INDUSTRY = "IN_INDUSTRY"  # Firm -> Industry (申万 所属行业)
    SUBINDUSTRY_OF = "SUBINDUSTRY_OF"  # Industry -> Industry (child -> parent)
    UPSTREAM_INDUSTRY = "UPSTREAM_INDUSTRY"  # Industry -> its upstream Industry (ChainKG)
    HAS_CAPACITY = "HAS_CAPACITY"  # Region -> Segment (an official regional capacity figure)
    PARENT_OF = "PARENT_OF"  # Firm -> Firm (parent company -> subsidiary or branch)


def _alias(mapping: dict[str, str]) -> BeforeValidator:
    """Accept Chinese (or other) spellings for an enum value, e.g. 上游 for upstream."""

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            return mapping.get(value.strip(), value.strip())
        return value

    return BeforeValidator(convert)


class Stage(StrEnum):
    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"

    @property
    def label(self) -> str:
        return {"upstream": "上游", "midstream": "中游", "downstream": "下游"}[self.value]

    @property
    def rank(self) -> int:
        return {"upstream": 0, "midstream": 1, "downstream": 2}[self.value]


StageField = Annotated[
    Stage, _alias({"上游": "upstream", "中游": "midstream", "下游": "downstream"})
]


class LinkKind(StrEnum):
    MATERIAL = "material"
    EQUIPMENT = "equipment"
    SERVICE = "service"


LinkKindField = Annotated[
    LinkKind,
    _alias({"材料": "material", "原料": "material", "设备": "equipment", "服务": "service"}),
]


class ProjectType(StrEnum):
    STRENGTHEN = "强链"
    FILL = "补链"
    EXTEND = "延链"


ProjectTypeField = Annotated[
    ProjectType, _alias({"strengthen": "强链", "fill": "补链", "extend": "延链"})
]


class TargetStatus(StrEnum):
    """The pipeline a target firm moves along, in order."""

    TO_CONTACT = "待接触"
    CONTACTED = "已接触"
    NEGOTIATING = "洽谈中"
    SIGNED = "已签约"
    LANDED = "已落地"


TargetStatusField = Annotated[
    TargetStatus,
    _alias(
        {
            "to_contact": "待接触",
            "contacted": "已接触",
            "negotiating": "洽谈中",
            "signed": "已签约",
            "landed": "已落地",
        }
    ),
]


class Certainty(StrEnum):
    """How far a fact can be trusted (the [V]/[U]/[LR] tags of the research brief)."""

    VERIFIED = "verified"  # stated in a cited report
    UNCERTAIN = "uncertain"  # not verified, inferred, or a source without a link
    LOW_RELIABILITY = "low_reliability"  # blog or commentary
    RECONSTRUCTED = "reconstructed"  # assembled by chainkg from public information

    @property
    def label(self) -> str:
        return {
            "verified": "已核实",
            "uncertain": "待核实",
            "low_reliability": "低可信",
            "reconstructed": "整理重建",
        }[self.value]


CertaintyField = Annotated[
    Certainty,
    _alias({"V": "verified", "U": "uncertain", "LR": "low_reliability", "R": "reconstructed"}),
]


class Record(BaseModel):
    """Base of every node and edge record: frozen, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Sourced(Record):
    """A record that states facts: it names where they come from and of which year."""

    source: str = Field(min_length=1, description="URL or citation of the facts in this record")
    year: int | None = Field(default=None, ge=1949, le=2100, description="year the facts refer to")
    certainty: CertaintyField = Certainty.VERIFIED
    note: str = ""


# ----------------------------------------------------------------------------------- nodes


class Node(Sourced):
    KIND: ClassVar[NodeKind]
    id: Slug
    name: str = Field(min_length=1)


class Region(Node):
    KIND = NodeKind.REGION
    province: str = ""
    focus: bool = Field(
        False,
        description="the focus region of a loaded dataset (its dataset.yaml `region:`); set "
        "by the loader, so the region analysed comes from the data, not from a setting",
    )


class Park(Node):
    KIND = NodeKind.PARK
    region: Slug


class Chain(Node):
    KIND = NodeKind.CHAIN
    description: str = ""


class ChainMap(Node):
    """An investment-attraction chain map (招商图谱): a named view over segments."""

    KIND = NodeKind.MAP
    chain: Slug
    segments: tuple[Slug, ...] = Field(min_length=1)
    description: str = ""


class Segment(Node):
    """A link (环节) of a chain. ``chains`` lists further chains it also belongs to."""

    KIND = NodeKind.SEGMENT
    chain: Slug
    also_in: tuple[Slug, ...] = ()
    stage: StageField
    unit: str = ""  # capacity unit the segment is measured in, e.g. GW, 万吨
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    description: str = ""

    @property
    def chains(self) -> tuple[str, ...]:
        return (self.chain, *self.also_in)


class Firm(Node):
    """A firm. ``name`` is the short name (简称), ``full_name`` the registered name."""

    KIND = NodeKind.FIRM
    full_name: str = ""
    aliases: tuple[str, ...] = ()
    stock_code: str = ""  # normalised, e.g. 601865.SH
    exchange: str = ""
    hq_province: str = ""
    hq_city: str = ""
    registry_code: str = ""  # 统一社会信用代码 (unified social credit code), as written


class Project(Node):
    KIND = NodeKind.PROJECT
    type: ProjectTypeField
    investment: float | None = Field(default=None, ge=0, description="亿元")
    approximate: bool = False  # the investment was written 约/近/超 …: a rounded figure
    status: str = ""
    park: Slug | None = None


class Kpi(Node):
    """A programme figure (e.g. 157 target firms), with its unit."""

    KIND = NodeKind.KPI
    value: float
    unit: str = ""
    approximate: bool = False  # the value was written 约/近/超 …: a rounded figure


class Product(Record):
    """A ChainKG product or business line (national data set; no per-record source)."""

    KIND: ClassVar[NodeKind] = NodeKind.PRODUCT
    id: str
    name: str


class Industry(Record):
    KIND: ClassVar[NodeKind] = NodeKind.INDUSTRY
    id: str
    name: str
    level: int = Field(ge=1, le=3)


NODE_MODELS: dict[NodeKind, type[Record]] = {
    NodeKind.REGION: Region,
    NodeKind.PARK: Park,
    NodeKind.CHAIN: Chain,
    NodeKind.MAP: ChainMap,
    NodeKind.SEGMENT: Segment,
    NodeKind.FIRM: Firm,
    NodeKind.PROJECT: Project,
    NodeKind.KPI: Kpi,
    NodeKind.PRODUCT: Product,
    NodeKind.INDUSTRY: Industry,
}

AnyNode = Region | Park | Chain | ChainMap | Segment | Firm | Project | Kpi | Product | Industry

# ----------------------------------------------------------------------------------- edges


class Edge(Record):
    """A relation from ``src`` to ``dst``; at most one edge of a type between two nodes."""

    REL: ClassVar[RelType]
    SRC: ClassVar[tuple[NodeKind, ...]]
    DST: ClassVar[tuple[NodeKind, ...]]
    src: str
    dst: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.REL.value, self.src, self.dst)


class PartOf(Edge):
    REL = RelType.PART_OF
    SRC = (NodeKind.SEGMENT,)
    DST = (NodeKind.CHAIN,)


class Shows(Edge):
    REL = RelType.SHOWS
    SRC = (NodeKind.MAP,)
    DST = (NodeKind.SEGMENT,)


class Supplies(Edge, Sourced):
    """Upstream segment ``src`` supplies downstream segment ``dst`` (may cross chains)."""

    REL = RelType.SUPPLIES
    SRC = (NodeKind.SEGMENT,)
    DST = (NodeKind.SEGMENT,)
    kind: LinkKindField = LinkKind.MATERIAL


class OperatesIn(Edge, Sourced):
    """Firm ``src`` is active in segment ``dst``; ``site`` is the park or region of that
    operation (empty: a national operation, not tied to any region in the graph)."""

    REL = RelType.OPERATES_IN
    SRC = (NodeKind.FIRM,)
    DST = (NodeKind.SEGMENT,)
    site: str = ""
    capacity: float | None = Field(default=None, ge=0)
    approximate: bool = False  # the capacity was written 约/近/超 …: a rounded figure
    unit: str = ""
    share: float | None = Field(default=None, ge=0, le=1, description="share of firm revenue")
    # What ``capacity`` measures and where that figure comes from, when it has a source of its
    # own (targets.csv scale_* columns): e.g. 销量 36 万吨, 2023, an annual report's URL.
    basis: str = ""  # 产能 | 产量 | 销量 | 出货量 | 营收 ...
    capacity_source: str = ""
    capacity_year: int | None = Field(default=None, ge=1949, le=2100)
    capacity_certainty: CertaintyField | None = None


class LocatedIn(Edge, Sourced):
    REL = RelType.LOCATED_IN
    SRC = (NodeKind.FIRM,)
    DST = (NodeKind.PARK, NodeKind.REGION)


class ParkIn(Edge):
    REL = RelType.IN
    SRC = (NodeKind.PARK,)
    DST = (NodeKind.REGION,)


class TargetedFor(Edge, Sourced):
    """An entry of the target list: firm ``src`` is courted for segment ``dst``."""

    REL = RelType.TARGETED_FOR
    SRC = (NodeKind.FIRM,)
    DST = (NodeKind.SEGMENT,)
    priority: int = Field(default=2, ge=1, le=3, description="1 = highest")
    rationale: str = ""
    status: TargetStatusField = TargetStatus.TO_CONTACT
    status_date: str = ""
    status_note: str = ""


class HasCapacity(Edge, Sourced):
    """An official capacity statistic of region ``src`` in segment ``dst`` (e.g. the zone's
    102 GW of mono ingots), used before the sum of firm capacities when judging weakness."""

    REL = RelType.HAS_CAPACITY
    SRC = (NodeKind.REGION,)
    DST = (NodeKind.SEGMENT,)
    capacity: float = Field(ge=0)
    approximate: bool = False  # the capacity was written 约/近/超 …: a rounded figure
    unit: str = Field(min_length=1)


class ParentOf(Edge, Sourced):
    """Firm ``src`` owns or controls firm ``dst`` (subsidiary, branch): 诺德股份 -> 青海诺德.
    ``relation`` says how (子公司, 分公司, 控股子公司)."""

    REL = RelType.PARENT_OF
    SRC = (NodeKind.FIRM,)
    DST = (NodeKind.FIRM,)
    relation: str = ""


class Fills(Edge):
    REL = RelType.FILLS
    SRC = (NodeKind.PROJECT,)
    DST = (NodeKind.SEGMENT,)


class By(Edge):
    REL = RelType.BY
    SRC = (NodeKind.PROJECT,)
    DST = (NodeKind.FIRM,)


class Makes(Edge):
    REL = RelType.MAKES
    SRC = (NodeKind.FIRM,)
    DST = (NodeKind.PRODUCT,)
    weight: float = 0.0


class Matches(Edge):
    REL = RelType.MATCHES
    SRC = (NodeKind.SEGMENT,)
    DST = (NodeKind.PRODUCT,)
    keyword: str = ""
    via: str = ""  # product id whose ChainKG 产品小类 (sub-class) ``dst`` is; "" for a direct match


class UpstreamMaterial(Edge):
    REL = RelType.UPSTREAM_MATERIAL
    SRC = (NodeKind.PRODUCT,)
    DST = (NodeKind.PRODUCT,)


class Subclass(Edge):
    REL = RelType.SUBCLASS
    SRC = (NodeKind.PRODUCT,)
    DST = (NodeKind.PRODUCT,)


class DownstreamProduct(Edge):
    REL = RelType.DOWNSTREAM_PRODUCT
    SRC = (NodeKind.PRODUCT,)
    DST = (NodeKind.PRODUCT,)


class InIndustry(Edge):
    REL = RelType.IN_INDUSTRY
    SRC = (NodeKind.FIRM,)
    DST = (NodeKind.INDUSTRY,)


class SubindustryOf(Edge):
    REL = RelType.SUBINDUSTRY_OF
    SRC = (NodeKind.INDUSTRY,)
    DST = (NodeKind.INDUSTRY,)


class UpstreamIndustry(Edge):
    """Industry ``dst`` is upstream of industry ``src``; ``count`` is how often ChainKG saw it."""

    REL = RelType.UPSTREAM_INDUSTRY
    SRC = (NodeKind.INDUSTRY,)
    DST = (NodeKind.INDUSTRY,)
    count: int = Field(default=0, ge=0)


EDGE_MODELS: dict[RelType, type[Edge]] = {
    model.REL: model
    for model in (
        PartOf,
        Shows,
        Supplies,
        OperatesIn,
        LocatedIn,
        ParkIn,
        TargetedFor,
        Fills,
        By,
        Makes,
        Matches,
        UpstreamMaterial,
        Subclass,
        DownstreamProduct,
        InIndustry,
        SubindustryOf,
        UpstreamIndustry,
        HasCapacity,
        ParentOf,
    )
}


class NationalCandidate(Record):
    """A firm of the national pool for a segment: it makes a product the segment matches.

    ``weight`` is the product's share of the firm's revenue (ChainKG 主营产品 rel_weight)."""

    firm: str
    segment: str
    product: str
    weight: float | None = None
    source: str = ""


class Batch(BaseModel):
    """Nodes and edges written together, all or nothing."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    nodes: list[AnyNode] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)

    def __len__(self) -> int:
        return len(self.nodes) + len(self.edges)


def kind_of(node: Record) -> NodeKind:
    return node.KIND  # type: ignore[attr-defined]

"""The ChainKG importer on the hand-made sample (every quirk) and on the full shared dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import Batch, DatasetError, Direction, Firm, MemoryStore, NodeKind, RelType, SqliteStore
from graph.analysis import chain_view, rank_targets
from graph.national import NationalBuilder
from loaders import load_dataset
from loaders.chainkg import FILES, ORIGIN, load_chainkg, read_chainkg

SAMPLE = Path(__file__).parents[1] / "fixtures" / "chainkg_sample"
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "datasets" / "chainkg"
XINING = REPO / "data" / "xining"

# file -> (loaded, dropped), worked out by hand from tests/fixtures/chainkg_sample/README.md
SAMPLE_OUTCOME = {
    "company.json": (15, 8),
    "industry.json": (11, 1),
    "industry_industry.json": (9, 2),
    "company_industry.json": (6, 12),
    "industry_up.json": (2, 1),
    "product.json": (92, 9),
    "product_product.json": (8, 3),
    "company_product.json": (76, 15),
}


def physical_lines(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


@pytest.fixture(scope="module")
def sample():
    return read_chainkg(SAMPLE)


@pytest.fixture
def store(mini_dataset: Path) -> MemoryStore:
    store = MemoryStore()
    load_dataset(mini_dataset, store)
    load_chainkg(SAMPLE, store)
    return store


# ------------------------------------------------------------------------------ accounting


@pytest.mark.parametrize("name", FILES)
def test_every_line_of_the_sample_is_loaded_or_dropped(sample, name):
    report = sample.report.files[name]
    assert report.lines == physical_lines(SAMPLE / name)
    assert (report.loaded, report.dropped_total) == SAMPLE_OUTCOME[name]
    assert report.loaded + report.dropped_total == report.lines


@pytest.mark.parametrize(
    ("name", "reason", "count"),
    [
        ("company.json", "former name, kept as alias", 2),
        ("company.json", "with another company's full name", 2),
        ("company.json", "blank line", 1),
        ("company.json", "not valid JSON", 1),
        ("company.json", "missing field 'code'", 1),
        ("company.json", "not an A-share stock code", 1),
        ("industry.json", "duplicate industry code", 1),
        ("industry_industry.json", "industry code not in industry.json", 1),
        ("company_industry.json", "company not in company.json", 1),
        ("industry_up.json", "industry name not in industry.json", 1),
        ("product.json", "accounting line", 5),
        ("product.json", "duplicate name", 2),
        ("product.json", "a sentence, not a product name", 1),
        ("product_product.json", "a product related to itself", 2),
        ("product_product.json", "unknown relation '同类产品'", 1),
        ("company_product.json", "accounting line", 8),
        ("company_product.json", "duplicate pair", 3),
        ("company_product.json", "rel_weight is not a number", 1),
        ("company_product.json", "missing field 'rel_weight'", 1),
        ("company_product.json", "product not in product.json", 1),
        ("company_product.json", "company not in company.json", 1),
    ],
)
def test_dropped_lines_say_why(sample, name, reason, count):
    dropped = sample.report.files[name].dropped
    assert sum(n for why, n in dropped.items() if reason in why) == count


@pytest.mark.parametrize(
    ("name", "repair", "count"),
    [
        ("company.json", "location held a date", 1),
        ("company.json", "listing date missing", 3),
        ("company.json", "another company's; cleared", 1),
        ("company_industry.json", "linked by name", 1),
        ("company_industry.json", "linked by code", 1),
        ("product.json", "escaped characters", 4),
        ("product.json", "invisible control character", 1),
        ("company_product.json", "line break inside a name", 1),
        ("company_product.json", "capped at 1", 1),
        ("company_product.json", "set to 0", 1),
    ],
)
def test_repairs_are_counted(sample, name, repair, count):
    repaired = sample.report.files[name].repaired
    assert sum(n for what, n in repaired.items() if repair in what) == count


def test_report_names_the_lines_of_each_reason(sample):
    text = "\n".join(sample.report.lines())
    assert "company.json: 23 lines = 15 loaded + 8 dropped" in text
    assert "not an A-share stock code (company.json:22)" in text


# ------------------------------------------------------------------------------ companies


def firms(sample) -> dict[str, Firm]:
    return {f.id: f for f in sample.firms}


def test_codes_in_any_spelling_become_one_firm_id(sample):
    guanzhong = firms(sample)["a-300948-sz"]  # written "300948" in company.json
    assert (guanzhong.stock_code, guanzhong.exchange) == ("300948.SZ", "深圳证券交易所")
    assert guanzhong.source == f"{ORIGIN}, company.json" and guanzhong.year == 2021


def test_exchange_comes_from_the_code_when_location_holds_a_date(sample):
    assert firms(sample)["a-300054-sz"].exchange == "深圳证券交易所"


def test_renamed_company_keeps_former_name_as_alias(sample):
    xianfeng = firms(sample)["a-002141-sz"]
    assert xianfeng.full_name == "贤丰控股股份有限公司"
    assert xianfeng.aliases == ("广东蓉胜超微线材股份有限公司",)


def test_fields_borrowed_from_another_company_are_not_kept(sample):
    by_id = firms(sample)
    assert by_id["a-688078-sh"].full_name == "" and by_id["a-688078-sh"].note == ""
    assert by_id["a-688096-sh"].full_name == "江苏京源环保股份有限公司"
    assert "大连港股份有限公司" not in by_id["a-688096-sh"].aliases


# ------------------------------------------------------------------------------ store


def names(edges, end="dst") -> list[str]:
    return [getattr(e, end) for e in edges]


def test_cleaned_names_connect_the_files(store):
    assert store.get("p:光纤复合架空地线").name == "光纤复合架空地线"
    assert store.find("p:维生素A系列") is not None
    assert store.find("p:钢铁/不锈钢立柱") is not None
    upstream_of = store.neighbours("p:北极虾", RelType.UPSTREAM_MATERIAL, Direction.IN)
    assert names(upstream_of, "src") == ["p:丁香鱼炒咸菜"]
    sub = store.neighbours("p:家电维修", RelType.SUBCLASS, Direction.OUT)
    assert names(sub) == ["p:家电维修系统"]


def test_revenue_shares_are_capped_and_floored(store):
    made = {e.dst: e.weight for e in store.neighbours("a-002257-sz", RelType.MAKES, Direction.OUT)}
    assert made["p:单晶硅片"] == 1.0  # 1.209639 in the source
    estate = store.neighbours("a-000056-sz", RelType.MAKES, Direction.OUT)
    assert [(e.dst, e.weight) for e in estate] == [("p:房地产销售", 0.0)]


def test_business_lines_are_kept_and_accounting_lines_are_not(store):
    made = names(store.neighbours("a-688268-sh", RelType.MAKES, Direction.OUT))
    assert "p:设备与工程" in made
    assert store.find("p:平衡项目") is None and store.find("p:分部间抵销") is None


def test_store_counts_and_scans_include_the_national_graph(store):
    assert store.count(NodeKind.PRODUCT) == 92
    assert store.count(NodeKind.INDUSTRY) == 11
    assert store.count(RelType.MAKES) == 76
    makes = store.edges(RelType.MAKES)
    assert len(makes) == 76 and makes == sorted(makes, key=lambda e: (e.src, e.dst))
    assert len(store.nodes(NodeKind.PRODUCT)) == 92
    parents = store.neighbours("sw:630504", RelType.SUBINDUSTRY_OF, Direction.OUT)
    assert names(parents) == ["sw:630500"]
    assert store.get("sw:630504").level == 3


def test_industry_codes_of_another_revision_are_linked_by_name(store):
    industries = names(store.neighbours("a-300054-sz", RelType.IN_INDUSTRY, Direction.OUT))
    assert industries == ["sw:630306", "sw:640108"]  # 其他能源设备Ⅲ by code, 金属制品 by name
    ups = store.neighbours("sw:630504", RelType.UPSTREAM_INDUSTRY, Direction.OUT)
    assert {(e.dst, e.count) for e in ups} == {("sw:630306", 1), ("sw:630501", 2)}


def test_listed_company_becomes_a_national_candidate_for_its_segment(store):
    anode = store.national_candidates(["li-anode"])
    assert [(c.firm, c.product, c.weight) for c in anode] == [
        ("a-603659-sh", "p:负极材料业务", 0.61295)
    ]


def test_ranking_puts_the_national_pool_after_the_target_list(store):
    view = chain_view(store, "li", "xn")
    ranked = rank_targets(store, view, "li-anode")
    assert [(r.firm, r.origin, r.on_list) for r in ranked] == [
        ("anode-g", "target_list", True),
        ("a-603659-sh", "national", False),
    ]
    on_list = next(c for c in ranked[1].components if c.name == "on_list")
    assert on_list.why == "尚未列入名单"


def test_firm_already_stored_with_the_same_code_keeps_its_id(mini_dataset):
    store = MemoryStore()
    load_dataset(mini_dataset, store)
    curated = Firm(id="putailai", name="璞泰来", stock_code="603659.SH", source="test", year=2023)
    store.apply(Batch(nodes=[curated]))
    data = load_chainkg(SAMPLE, store)
    assert store.find("a-603659-sh") is None
    assert [c.firm for c in store.national_candidates(["li-anode"])] == ["putailai"]
    assert store.get("putailai").source == "test"  # the curated record is not overwritten
    assert "same stock code as a stored firm" in " ".join(data.report.files["company.json"].notes)


def test_importing_twice_changes_nothing(store):
    before = [store.count(kind) for kind in (*NodeKind, *RelType)]
    candidates = store.national_candidates(["li-anode", "pv-wafer"])
    load_chainkg(SAMPLE, store)
    assert [store.count(kind) for kind in (*NodeKind, *RelType)] == before
    assert store.national_candidates(["li-anode", "pv-wafer"]) == candidates


def test_the_sqlite_file_keeps_the_national_graph(store, tmp_path, mini_dataset):
    saved = SqliteStore(tmp_path / "graph.sqlite")
    load_dataset(mini_dataset, saved)
    load_chainkg(SAMPLE, saved)
    saved.close()
    restored = SqliteStore(tmp_path / "graph.sqlite")
    assert restored.count(RelType.SUBCLASS) == store.count(RelType.SUBCLASS)
    assert restored.national_candidates(["li-anode"]) == store.national_candidates(["li-anode"])
    restored.close()


def test_missing_file_is_named(tmp_path):
    (tmp_path / "company.json").write_text("", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_chainkg(tmp_path)
    assert "product.json" in str(caught.value) and "file missing" in str(caught.value)


def test_graph_naming_an_unknown_firm_changes_nothing(store):
    builder = NationalBuilder()
    builder.add(RelType.MAKES, builder.firms.add("nobody"), builder.products.add("光伏玻璃"), 1.0)
    before = store.count(RelType.MAKES)
    with pytest.raises(DatasetError, match="unknown firm 'nobody'"):
        store.load_national(builder.build(), [], [])
    assert store.count(RelType.MAKES) == before


# ------------------------------------------------------------------------------ full dataset


@pytest.fixture(scope="module")
def full():
    if not SHARED.is_dir():
        pytest.skip(f"the ChainKG dataset is not at {SHARED}")
    return read_chainkg(SHARED)


@pytest.mark.shared
@pytest.mark.parametrize("name", FILES)
def test_full_dataset_every_line_is_accounted_for(full, name):
    report = full.report.files[name]
    assert report.lines == physical_lines(SHARED / name)
    assert report.loaded + report.dropped_total == report.lines
    assert report.loaded > 0.9 * report.lines  # repairs, not mass drops


@pytest.mark.shared
def test_full_dataset_flat_glass_maker_is_a_candidate_for_xining_pv_glass(full):
    if not (XINING / "chains" / "pv.yaml").is_file():
        pytest.skip("data/xining is not there yet")
    store = MemoryStore()
    load_dataset(XINING, store)
    load_chainkg(SHARED, store)
    glass = {c.firm: c for c in store.national_candidates(["pv-glass"])}
    codes = {f.stock_code: f.id for f in store.nodes(NodeKind.FIRM) if isinstance(f, Firm)}
    flat = codes["601865.SH"]  # 福莱特: the curated id when data/xining lists it, else a-601865-sh
    assert glass[flat].product == "p:光伏玻璃" and glass[flat].weight == pytest.approx(0.728975)

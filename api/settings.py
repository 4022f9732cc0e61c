"""One settings object, read only at entry points (CLI, API lifespan).

Every field can be set from the environment as ``CHAINKG_<NAME>``; the Neo4j connection also
reads the standard ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.analysis import GapRules, RankWeights

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASET = REPO_ROOT / "data" / "xining"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHAINKG_", extra="ignore")

    backend: Literal["memory", "neo4j"] = Field(
        "memory", description="graph back end: the embedded store or a Neo4j server"
    )
    data_file: Path = Field(
        Path(".chainkg/graph.pickle"),
        description="snapshot file of the embedded store; every accepted write is saved here",
    )
    dataset: Path | None = Field(
        None,
        description="dataset that `chainkg load` (without DIR) and the first `chainkg serve` "
        "load; with no store at all and no dataset set, the quick start loads data/xining",
    )
    region: str | None = Field(
        None,
        pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$",
        description="overrides the region analysed (default: the focus region named in the "
        "loaded dataset's dataset.yaml; must be a region of the store)",
    )
    lang: Literal["zh", "en"] = Field(
        "zh", description="language of messages: zh (中文, default) or en; never taken from LANG"
    )
    token: SecretStr | None = Field(
        None, description="bearer token for write requests; writes are disabled when unset"
    )
    neo4j_uri: str = Field(
        "",
        validation_alias=AliasChoices("NEO4J_URI", "CHAINKG_NEO4J_URI"),
        description="bolt/neo4j URI of the Neo4j server (neo4j+s:// for Aura)",
    )
    neo4j_user: str = Field(
        "neo4j",
        validation_alias=AliasChoices("NEO4J_USER", "CHAINKG_NEO4J_USER"),
        description="Neo4j user name",
    )
    neo4j_password: SecretStr = Field(
        SecretStr(""),
        validation_alias=AliasChoices("NEO4J_PASSWORD", "CHAINKG_NEO4J_PASSWORD"),
        description="Neo4j password (never logged)",
    )
    neo4j_database: str = Field(
        "neo4j",
        validation_alias=AliasChoices("NEO4J_DATABASE", "CHAINKG_NEO4J_DATABASE"),
        description="Neo4j database name",
    )
    neo4j_batch_size: int = Field(1000, ge=1, le=100_000, description="rows per UNWIND write")
    min_firms: int = Field(
        2, ge=1, description="a segment with fewer local firms than this is weak (单点风险)"
    )
    bottleneck_ratio: float = Field(
        0.25,
        gt=0,
        le=1,
        description="local capacity below this share of the chain's largest comparable local "
        "capacity up- or downstream is weak (e.g. 5.6 GW wafers vs 102 GW ingots)",
    )
    count_uncertain: bool = Field(
        True, description="count unverified local operations as local presence (flagged)"
    )
    # defaults: graph.analysis.ranking.RankWeights (cited scale weighs most, issue 13)
    weight_fit: float = Field(
        10.0, ge=0, description="ranking weight: share of business in the segment"
    )
    weight_on_list: float = Field(20.0, ge=0, description="ranking weight: on the target list")
    weight_link: float = Field(
        10.0, ge=0, description="ranking weight: 以商招商 links to local segments"
    )
    weight_scale: float = Field(50.0, ge=0, description="ranking weight: capacity in the segment")
    weight_listed: float = Field(10.0, ge=0, description="ranking weight: listed company")
    max_depth: int = Field(6, ge=1, le=20, description="largest upstream/downstream depth")
    max_page_size: int = Field(500, ge=1, le=10_000, description="largest page of results")
    max_upload_bytes: int = Field(5_000_000, ge=1_000, description="largest accepted upload")
    upload_seconds: float = Field(
        30.0, gt=0, le=600, description="longest time reading one upload may take (else 422)"
    )

    def gap_rules(self) -> GapRules:
        """The status thresholds, as the analysis takes them."""
        return GapRules(
            min_firms=self.min_firms,
            bottleneck_ratio=self.bottleneck_ratio,
            count_uncertain=self.count_uncertain,
        )

    def rank_weights(self) -> RankWeights:
        """The ranking weights, as the analysis takes them."""
        return RankWeights(
            fit=self.weight_fit,
            on_list=self.weight_on_list,
            link=self.weight_link,
            scale=self.weight_scale,
            listed=self.weight_listed,
        )

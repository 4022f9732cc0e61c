"""Analysis commands: gaps, targets (with Excel/CSV export), simulate."""

from __future__ import annotations

from pathlib import Path

import orjson
import typer
from rich.markup import escape
from rich.table import Table

from api.cli.common import BackendOption, RegionOption, analysed, console, failures, settings
from api.exports import ChainSheet, to_csv, to_xlsx
from graph import InvalidRequest, NodeKind
from graph.analysis import (
    CHAINKG_DATE,
    Completeness,
    Gap,
    GapKind,
    LandingResult,
    RankedCandidate,
    chain_view,
    completeness,
    find_gaps,
    map_completeness,
    rank_targets,
    segment_status,
    simulate_landing,
)
from graph.i18n import _
from graph.schema import Certainty

KIND_HELP = "补链 | 强链 | 延链 (or fill | strengthen | extend)"
KIND_ALIASES = {"fill": "补链", "strengthen": "强链", "extend": "延链"}


def gaps(
    chain: str = typer.Argument(..., help="chain id, e.g. pv or lithium"),
    kind: str = typer.Option(None, "--kind", help=KIND_HELP),
    map_id: str = typer.Option(None, "--map", help="only segments on this map"),
    fmt: str = typer.Option("table", "--format", help="table | json | csv"),
    region: str = RegionOption,
    backend: str = BackendOption,
) -> None:
    """List the chain's 补链/强链/延链 gaps, ranked, with the evidence of each verdict."""
    cfg = settings(backend)
    with failures(), analysed(cfg, region) as (store, focus):
        if kind:
            try:
                kind = GapKind(KIND_ALIASES.get(kind, kind))
            except ValueError as e:
                raise InvalidRequest(
                    _("--kind {value!r}: use {kinds}", value=kind, kinds=KIND_HELP)
                ) from e
        if fmt not in ("table", "json", "csv"):
            raise InvalidRequest(_("--format {value!r}: use table, json or csv", value=fmt))
        view = chain_view(store, chain, focus)
        verdicts = segment_status(view, cfg.gap_rules())
        found = find_gaps(view, kind=kind, map_id=map_id, verdicts=verdicts)
        score = (
            map_completeness(store, map_id, cfg.region, cfg.gap_rules())
            if map_id
            else completeness(view, verdicts)
        )
        _print_gaps(found, score, fmt)


def _print_gaps(found: list[Gap], score: Completeness, fmt: str) -> None:
    if fmt == "json":
        payload = {"completeness": score, "gaps": found}
        print(orjson.dumps(payload, default=_dump, option=orjson.OPT_INDENT_2).decode())
        return
    rows = [
        [
            g.kind.value,
            g.rank,
            g.segment,
            g.name,
            g.verdict.status.label,
            g.evidence_grade_label,
            g.why,
            g.coverage_label,
            len(g.dependent_segments),
            len(g.dependent_firms),
            g.targets_on_list,
        ]
        for g in found
    ]
    headers = [
        "类型",
        "排名",
        "环节ID",
        "环节",
        "状态",
        "证据等级",
        "依据",
        "覆盖与可信度",
        "下游依赖环节",
        "下游依赖企业",
        "靶向企业数",
    ]
    if fmt == "csv":
        import csv
        import sys

        writer = csv.writer(sys.stdout)
        writer.writerow(headers)
        writer.writerows(rows)
        return
    table = Table(title=f"{score.name}: {score.label}")
    for header in headers:
        long = header in ("依据", "覆盖与可信度")  # wrap the sentences, never cut them
        table.add_column(header, overflow="fold" if long else "ellipsis", ratio=3 if long else None)
    for row in rows:
        table.add_row(*(str(v) for v in row))
    console.print(table)


def _dump(value: object) -> object:
    dump = getattr(value, "model_dump", None)
    if dump is None:
        raise TypeError(f"cannot serialise {type(value).__name__}")
    return dump(mode="json")


def targets(
    chain: str = typer.Argument(..., help="chain id, or 'all' for every chain"),
    segment: str = typer.Option(None, "--segment", help="one segment id (default: every gap)"),
    top: int = typer.Option(None, "--top", min=1, help="keep the N best"),
    export: Path = typer.Option(None, "--export", help="write FILE.xlsx or FILE.csv"),
    region: str = RegionOption,
    backend: str = BackendOption,
) -> None:
    """Rank the firms to court for a gap segment (or every gap of the chain), explained."""
    cfg = settings(backend)
    with failures(), analysed(cfg, region) as (store, focus):
        chains = [c.id for c in store.nodes(NodeKind.CHAIN)] if chain == "all" else [chain]
        sheets = []  # a list, not keyed by name: chains may share a name
        for chain_id in chains:
            view = chain_view(store, chain_id, focus)
            verdicts = segment_status(view, cfg.gap_rules())
            ranked = rank_targets(
                store, view, segment, cfg.rank_weights(), top=top, verdicts=verdicts
            )
            sheets.append(ChainSheet(view.chain.id, view.chain.name, ranked))
        if export:
            _export(export, sheets)
            return
        for sheet in sheets:
            console.print(_targets_table(sheet.chain_name, list(sheet.candidates)))


def _export(path: Path, sheets: list[ChainSheet]) -> None:
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(to_xlsx(sheets))
    elif path.suffix.lower() == ".csv":
        path.write_bytes(to_csv(sheets))
    else:
        raise InvalidRequest(_("--export {path}: the file must end in .xlsx or .csv", path=path))
    count = sum(len(s.candidates) for s in sheets)
    wrote = _(
        "wrote {count} candidates of {chains} chains to {path}",
        count=count,
        chains=len(sheets),
        path=path,
    )
    console.print(f"[green]✓[/green] {escape(wrote)}")


def _targets_table(title: str, ranked: list[RankedCandidate]) -> Table:
    dated = any(c.data_date for c in ranked)
    caption = f"全国池数据日期：{CHAINKG_DATE}" if dated else None
    table = Table(title=f"{title} · 靶向企业排序", caption=caption)
    for header in (
        "排名",
        "企业",
        "股票代码",
        "环节",
        "缺口",
        "来源",
        "线索",
        "总分",
        "构成",
        "规模依据",
    ):
        table.add_column(header)
    for c in ranked:
        parts = " + ".join(
            f"{p.label} {'数据缺失' if p.points is None else f'{p.points:g}'}" for p in c.components
        )
        lead = "已在本地（关联企业）" if c.related else c.lead
        table.add_row(
            str(c.rank), c.name, c.stock_code, c.segment_name, c.gap_kind, c.origin_label, lead,
            f"{c.score:g}（{c.scored_note}）", parts, _short_figure(c.scale_figure),
        )  # fmt: skip
    return table


def _short_figure(figure: str) -> str:
    """The cited figure without its source URL (the export and the API keep it)."""
    head, cut, _ = figure.partition("；来源：")
    return f"{head}）" if cut else figure


def simulate(
    firm: str = typer.Argument(..., help="firm id"),
    segment: str = typer.Option(..., "--segment", help="segment id the firm would land in"),
    capacity: float = typer.Option(None, "--capacity", min=0, help="capacity it would bring"),
    unit: str = typer.Option("", "--unit", help="unit of --capacity (default: the segment's)"),
    certainty: str = typer.Option(
        "verified", "--certainty", help="what the firm counts as: verified | uncertain | …"
    ),
    fmt: str = typer.Option("table", "--format", help="table | json"),
    region: str = RegionOption,
    backend: str = BackendOption,
) -> None:
    """Simulate a firm landing in a segment: gaps closed/opened, completeness before → after."""
    cfg = settings(backend)
    with failures(), analysed(cfg, region) as (store, focus):
        if fmt not in ("table", "json"):
            raise InvalidRequest(_("--format {value!r}: use table or json", value=fmt))
        try:
            stated = Certainty(certainty)
        except ValueError as e:
            raise InvalidRequest(
                f"--certainty {certainty!r}: use {', '.join(c.value for c in Certainty)}"
            ) from e
        result = simulate_landing(
            store, firm, segment, focus, cfg.gap_rules(), capacity, unit, stated
        )
        place = store.get(focus).name
    if fmt == "json":
        print(orjson.dumps(result.model_dump(mode="json"), option=orjson.OPT_INDENT_2).decode())
        return
    _print_landing(result, place)


def _print_landing(result: LandingResult, place: str) -> None:
    amount = f" {result.capacity:g}{result.unit}" if result.capacity is not None else ""
    console.print(
        f"假设 [bold]{result.firm_name}[/bold]{amount} 落地 {result.segment_name}"
        f"（{place}）；{result.certainty_note}"
    )
    v0, v1 = result.verdict_before, result.verdict_after
    console.print(
        f"  {result.segment_name}: {v0.status.label}（{v0.reason}）"
        f" → {v1.status.label}（{v1.reason}）"
    )
    for change in result.status_changes:
        console.print(f"  状态变化 {change.name}: {change.before.label} → {change.after.label}")
    for gap in result.gaps_closed:
        console.print(f"  [green]关闭缺口[/green] {gap.kind.value} {gap.name}（现为已有）")
    for gap in result.gaps_changed:
        after = gap.kind_after.value if gap.kind_after else ""
        console.print(
            f"  [yellow]缺口类型变化[/yellow] {gap.name}: {gap.kind.value} → {after}（仍是缺口）"
        )
    for gap in result.gaps_opened:
        console.print(f"  [red]新增缺口[/red] {gap.kind.value} {gap.name}")
    if result.why_unchanged:
        console.print(f"  {result.why_unchanged}")
    for c in [*result.chains, *result.maps]:
        console.print(
            f"  {c.name}: 完整度 {c.before.share:.1%} → {c.after.share:.1%}"
            f" ({c.delta_share:+.1%})；加权（仅供参考）{c.before.weighted:.1%}"
            f" → {c.after.weighted:.1%}"
        )


def register(app: typer.Typer) -> None:
    app.command(
        help=_("List the chain's 补链/强链/延链 gaps, ranked, with the evidence of each verdict.")
    )(gaps)
    app.command(
        help=_("Rank the firms to court for a gap segment (or every gap of the chain), explained.")
    )(targets)
    app.command(
        help=_("Simulate a firm landing in a segment: gaps closed, completeness before → after.")
    )(simulate)

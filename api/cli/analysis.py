"""Analysis commands: gaps, targets (with Excel/CSV export), simulate."""

from __future__ import annotations

from pathlib import Path

import orjson
import typer
from rich.table import Table

from api.cli.common import BackendOption, console, failures, opened, settings
from api.exports import ChainSheet, to_csv, to_xlsx
from graph import InvalidRequest, NodeKind
from graph.analysis import (
    Completeness,
    Gap,
    GapKind,
    RankedCandidate,
    chain_view,
    completeness,
    find_gaps,
    rank_targets,
    segment_status,
    simulate_landing,
)
from graph.i18n import _

KIND_HELP = "补链 | 强链 | 延链 (or fill | strengthen | extend)"
KIND_ALIASES = {"fill": "补链", "strengthen": "强链", "extend": "延链"}


def gaps(
    chain: str = typer.Argument(..., help="chain id, e.g. pv or lithium"),
    kind: str = typer.Option(None, "--kind", help=KIND_HELP),
    map_id: str = typer.Option(None, "--map", help="only segments on this map"),
    fmt: str = typer.Option("table", "--format", help="table | json | csv"),
    backend: str = BackendOption,
) -> None:
    """List the chain's 补链/强链/延链 gaps, ranked, with the evidence of each verdict."""
    cfg = settings(backend)
    with failures(), opened(cfg, load_default=True) as store:
        if kind:
            try:
                kind = GapKind(KIND_ALIASES.get(kind, kind))
            except ValueError as e:
                raise InvalidRequest(f"--kind {kind!r}: use {KIND_HELP}") from e
        view = chain_view(store, chain, cfg.region)
        verdicts = segment_status(view, cfg.gap_rules())
        found = find_gaps(view, kind=kind, map_id=map_id, verdicts=verdicts)
        score = completeness(view, verdicts, map_id)
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
            g.why,
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
        "依据",
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
    if fmt != "table":
        raise InvalidRequest(f"--format {fmt!r}: use table, json or csv")
    table = Table(title=f"{score.name}: 完整度 {score.share:.0%}（加权 {score.weighted:.0%}）")
    for header in headers:
        table.add_column(header)
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
    backend: str = BackendOption,
) -> None:
    """Rank the firms to court for a gap segment (or every gap of the chain), explained."""
    cfg = settings(backend)
    with failures(), opened(cfg, load_default=True) as store:
        chains = [c.id for c in store.nodes(NodeKind.CHAIN)] if chain == "all" else [chain]
        sheets = []  # a list, not keyed by name: chains may share a name
        for chain_id in chains:
            view = chain_view(store, chain_id, cfg.region)
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
    console.print(f"[green]✓[/green] {wrote}")


def _targets_table(title: str, ranked: list[RankedCandidate]) -> Table:
    table = Table(title=f"{title} · 靶向企业排序")
    for header in ("排名", "企业", "股票代码", "环节", "来源", "总分", "构成"):
        table.add_column(header)
    for c in ranked:
        parts = " + ".join(f"{p.name} {p.points:g}" for p in c.components)
        origin = {"target_list": "名单", "graph": "图谱", "national": "全国池"}[c.origin]
        table.add_row(
            str(c.rank), c.name, c.stock_code, c.segment_name, origin, f"{c.score:g}", parts
        )
    return table


def simulate(
    firm: str = typer.Argument(..., help="firm id"),
    segment: str = typer.Option(..., "--segment", help="segment id the firm would land in"),
    fmt: str = typer.Option("table", "--format", help="table | json"),
    backend: str = BackendOption,
) -> None:
    """Simulate a firm landing in a segment: gaps closed, completeness before → after."""
    cfg = settings(backend)
    with failures(), opened(cfg, load_default=True) as store:
        result = simulate_landing(store, firm, segment, cfg.region, cfg.gap_rules())
    if fmt == "json":
        print(orjson.dumps(result.model_dump(mode="json"), option=orjson.OPT_INDENT_2).decode())
        return
    console.print(
        f"假设 [bold]{result.firm_name}[/bold] 落地 {result.segment_name}（{result.region}）"
    )
    for change in result.status_changes:
        console.print(f"  {change.name}: {change.before.label} → {change.after.label}")
    for gap in result.gaps_closed:
        console.print(f"  [green]关闭缺口[/green] {gap.kind.value} {gap.name}")
    for c in [*result.chains, *result.maps]:
        console.print(
            f"  {c.name}: 完整度 {c.before.share:.1%} → {c.after.share:.1%} ({c.delta_share:+.1%})"
        )


def register(app: typer.Typer) -> None:
    app.command()(gaps)
    app.command()(targets)
    app.command()(simulate)

"""National-scale commands: import ChainKG, re-match segments, list a segment's national pool."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn
from rich.table import Table

from api.cli.common import BackendOption, console, failures, opened, settings
from graph import Firm, NodeKind, RelType, Segment, Store
from graph.errors import NotFound, closest
from loaders.chainkg import ChainKGData, load_chainkg
from loaders.chainkg_match import match_quality, match_segments, national_from_store
from loaders.chainkg_report import ImportReport, label

DataFileOption = typer.Option(None, "--data-file", help="SQLite file of the embedded store")


def import_chainkg(
    path: Path = typer.Argument(..., help="ChainKG directory (the eight .json files)"),
    details: bool = typer.Option(False, "--details", help="list every drop and repair reason"),
    backend: str = BackendOption,
    data_file: Path = DataFileOption,
) -> None:
    """Import ChainKG (A-share companies, products, industries) and match it to the segments."""
    cfg = settings(backend, data_file)
    with failures(), opened(cfg) as store, _progress() as bar:
        tasks: dict[str, TaskID] = {}

        def advance(name: str, done: int, size: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=size)
            bar.update(tasks[name], completed=done)

        data = load_chainkg(path, store, advance)
        console.print(_report_table(data.report))
        if details:
            console.print(_details(data.report))
        console.print(_summary(store, data))


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<24}"), BarColumn(), DownloadColumn(), console=console
    )


def _report_table(report: ImportReport) -> Table:
    table = Table(title="ChainKG 导入报告（每行或导入，或说明原因后丢弃）")
    for column in ("文件", "行数", "已导入", "已丢弃", "已修复", "主要丢弃原因"):
        table.add_column(column, justify="right" if column in ("行数", "已导入") else "left")
    for f in report.files.values():
        top = "；".join(f"{label(why)} ×{n}" for why, n in f.dropped.most_common(2))
        repaired = str(sum(f.repaired.values()))
        table.add_row(f.file, str(f.lines), str(f.loaded), str(f.dropped_total), repaired, top)
    return table


def _details(report: ImportReport) -> Table:
    table = Table(title="丢弃与修复明细（文件:行号）")
    for column in ("文件", "类别", "原因", "行数", "示例行"):
        table.add_column(column)
    for f in report.files.values():
        for kind, counter in (("丢弃", f.dropped), ("修复", f.repaired), ("提示", f.notes)):
            for why, n in counter.most_common():
                table.add_row(f.file, kind, label(why), str(n), f.where(why))
    return table


def _summary(store: Store, data: ChainKGData) -> str:
    segments = [s for s in store.nodes(NodeKind.SEGMENT) if isinstance(s, Segment)]
    matches = store.edges(RelType.MATCHES)
    unmatched = [s.name for s in segments if not any(m.src == s.id for m in matches)]
    lines = [
        f"[green]✓[/green] {len(data.firms)} 家上市公司新增, "
        f"{store.count(NodeKind.PRODUCT)} 个产品, {len(matches)} 条环节—产品匹配",
    ]
    if unmatched:
        lines.append(
            f"[yellow]未匹配到产品的环节 ({len(unmatched)})：{'、'.join(unmatched)}[/yellow]"
        )
    return "\n".join(lines)


def match_products(
    details: bool = typer.Option(False, "--details", help="show matched products per segment"),
    backend: str = BackendOption,
    data_file: Path = DataFileOption,
) -> None:
    """Re-match every segment to the imported products (after editing keywords or loading)."""
    with failures(), opened(settings(backend, data_file)) as store:
        national = national_from_store(store)
        segments = [s for s in store.nodes(NodeKind.SEGMENT) if isinstance(s, Segment)]
        matches = match_segments(segments, national)
        store.replace_matches(matches)
        table = Table(title="环节—产品匹配质量")
        for column in ("环节", "名称", "直接匹配", "产品小类", "上市公司", "提示"):
            table.add_column(column)
        for q in match_quality(segments, matches, national):
            shown = "、".join(p[2:] for p in q.direct[:8]) if details else str(len(q.direct))
            flags = "; ".join(q.flags[:2]) or ("未匹配" if not q.direct else "")
            table.add_row(
                q.segment.id, q.segment.name, shown, str(len(q.subclass)), str(q.firms), flags
            )
        console.print(table)


def national_candidates(
    segment: str = typer.Argument(..., help="segment id, e.g. lithium-anode"),
    top: int = typer.Option(30, "--top", min=1, help="how many firms to show"),
    out: Path = typer.Option(None, "--out", help="also write a CSV (UTF-8 with BOM, for Excel)"),
    backend: str = BackendOption,
    data_file: Path = DataFileOption,
) -> None:
    """Who in China makes what this segment makes, and how much of their business it is."""
    with failures(), opened(settings(backend, data_file)) as store:
        if store.find(segment) is None:
            ids = [s.id for s in store.nodes(NodeKind.SEGMENT)]
            raise NotFound("Segment", segment, closest(segment, ids))
        listed = {t.src for t in store.targets([segment])}
        pool = sorted(store.national_candidates([segment]), key=lambda c: -(c.weight or 0))
        rows = [_candidate_row(store, c.firm, c.product, c.weight, c.firm in listed) for c in pool]
        console.print(_candidates_table(store.get(segment).name, rows[:top], len(rows)))
        if out:
            out.write_bytes(_csv(rows))
            console.print(f"[green]✓[/green] wrote {len(rows)} rows to {out}")


HEADERS = ("企业ID", "企业简称", "股票代码", "主营产品", "收入占比", "名单状态")


def _candidate_row(
    store: Store, firm_id: str, product: str, weight: float | None, on_list: bool
) -> list[str]:
    firm = store.get(firm_id, NodeKind.FIRM)
    assert isinstance(firm, Firm)
    share = f"{weight:.1%}" if weight is not None else "未知"
    status = "已在靶向名单" if on_list else "尚未列入名单"
    return [firm.id, firm.name, firm.stock_code, product.removeprefix("p:"), share, status]


def _candidates_table(segment_name: str, rows: list[list[str]], total: int) -> Table:
    table = Table(title=f"全国池：{segment_name}（共 {total} 家，数据来源 ChainKG 主营产品）")
    for column in HEADERS:
        table.add_column(column, justify="right" if column == "收入占比" else "left")
    for row in rows:
        table.add_row(*row)
    return table


def _csv(rows: list[list[str]]) -> bytes:
    """CSV that Excel opens with Chinese intact; cells Excel would run as formulas are quoted
    as text (firm and product names come from outside data)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow("'" + cell if cell[:1] in ("=", "+", "-", "@") else cell for cell in row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def register(app: typer.Typer) -> None:
    app.command("import-chainkg")(import_chainkg)
    app.command("match-products")(match_products)
    app.command("national-candidates")(national_candidates)

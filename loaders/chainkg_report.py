"""What an import did with every line of every ChainKG file: loaded, repaired, or dropped.

Each line of a file is counted exactly once, as loaded or as dropped with a reason, so
``loaded + dropped == lines`` holds per file and an officer can see nothing vanished silently.
Repairs and notes count loaded lines that needed attention (a line can carry several).

>>> r = FileReport("product.json")
>>> r.line(); r.loaded += 1; r.line(); r.drop(2, "duplicate name")
>>> r.balanced, r.dropped_total
(True, 1)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_EXAMPLES = 5

# Chinese labels of the reasons, for officers (matched by the start of the English reason).
LABELS = (
    ("same code as an earlier line, with another", "代码重复且全称/上市日期属于另一家公司"),
    ("same code as an earlier line: a former name", "代码重复（曾用名，已并入为别名）"),
    ("same stock code as a stored firm", "与已有企业股票代码相同，已关联到该企业"),
    ("code written without exchange suffix", "股票代码缺交易所后缀，已规范为 600000.SH 形式"),
    (
        "full name and listing date predate the board",
        "全称与上市日期早于该板块开板，属另一家公司，已清除",
    ),
    ("location held", "上市地点字段不是交易所，已按代码判定交易所"),
    ("listing date missing", "上市日期缺失（字段为交易所名或“-”）"),
    ("industry code names another industry", "行业代码指向另一行业，已按名称关联"),
    ("industry name differs", "行业名称与行业表不同，已按代码关联"),
    ("industry code and name both unknown", "行业代码与名称均不在行业表中"),
    ("industry code not in", "行业代码不在行业表中"),
    ("industry code is not six digits", "行业代码不是六位数字或名称为空"),
    ("industry name not in", "行业名称不在行业表中"),
    ("'ups' is not a mapping", "上游行业字段格式错误"),
    ("upstream entries skipped", "跳过的上游行业条目（未知、自身或计数无效）"),
    ("duplicate industry code", "行业代码重复"),
    ("company not in company.json", "企业不在企业表中"),
    ("product not in product.json", "产品不在产品表中"),
    ("accounting line", "会计抵销/平衡项目，不是产品"),
    ("a sentence, not a product name", "是一句话而非产品名"),
    ("duplicate name", "产品名重复（清洗后）"),
    ("duplicate relation", "关系重复"),
    ("duplicate pair", "企业—产品重复"),
    ("a product related to itself", "产品与自身相关"),
    ("unknown relation", "未知关系类型"),
    ("revenue share above 1", "收入占比大于1，已截为1"),
    ("negative revenue share", "收入占比为负，已设为0"),
    ("rel_weight is not a number", "收入占比不是数字"),
    ("escaped characters", "名称中的转义字符已还原"),
    ("line break inside a name", "名称中的换行已去除"),
    ("invisible control character", "名称中的不可见字符已去除"),
    ("unpaired quote mark", "名称中不成对的引号已去除"),
    ("spaces around a name", "名称首尾空格已去除"),
    ("business line rather than a good", "业务线而非具体产品（保留）"),
    ("missing field", "缺少字段"),
    ("a field has the wrong type", "字段类型错误"),
    ("not a JSON object", "不是 JSON 对象"),
    ("not valid JSON", "不是有效的 JSON"),
    ("blank line", "空行"),
    ("not an A-share stock code", "不是A股股票代码"),
    ("no short name", "缺少企业简称"),
    ("empty name", "名称为空"),
)


def label(reason: str) -> str:
    """The Chinese label of a reason, keeping any detail after it (field names, values).

    >>> label("missing field 'code'")
    "缺少字段 'code'"
    """
    for start, chinese in LABELS:
        if reason.startswith(start):
            detail = reason[len(start) :].strip(" :")
            return f"{chinese} {detail}" if detail.startswith("'") else chinese
    return reason


@dataclass
class FileReport:
    file: str
    lines: int = 0
    loaded: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    repaired: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=dict)

    def line(self) -> None:
        self.lines += 1

    def drop(self, line: int, reason: str) -> None:
        self.dropped[reason] += 1
        self._example(reason, line)

    def repair(self, line: int, what: str) -> None:
        self.repaired[what] += 1
        self._example(what, line)

    def note(self, line: int, what: str, count: int = 1) -> None:
        self.notes[what] += count
        self._example(what, line)

    def _example(self, key: str, line: int) -> None:
        lines = self.examples.setdefault(key, [])
        if len(lines) < MAX_EXAMPLES:
            lines.append(line)

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    @property
    def balanced(self) -> bool:
        return self.loaded + self.dropped_total == self.lines

    def where(self, key: str) -> str:
        """``file:line, line…`` of the first lines a reason applies to, for the report."""
        lines = self.examples.get(key, [])
        more = "…" if len(lines) == MAX_EXAMPLES else ""
        return f"{self.file}:" + ",".join(str(n) for n in lines) + more


@dataclass
class ImportReport:
    files: dict[str, FileReport] = field(default_factory=dict)

    def file(self, name: str) -> FileReport:
        return self.files.setdefault(name, FileReport(name))

    @property
    def balanced(self) -> bool:
        return all(f.balanced for f in self.files.values())

    def lines(self) -> list[str]:
        """The report as plain text lines (Chinese officers read the CLI's table instead)."""
        out = []
        for f in self.files.values():
            out.append(f"{f.file}: {f.lines} lines = {f.loaded} loaded + {f.dropped_total} dropped")
            for label, counter in (("dropped", f.dropped), ("repaired", f.repaired)):
                for key, n in counter.most_common():
                    out.append(f"  {label} {n}: {key} ({f.where(key)})")
            for key, n in f.notes.most_common():
                out.append(f"  note {n}: {key}")
        return out

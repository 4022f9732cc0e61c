"""YAML reading that remembers line numbers, so problems can say where they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graph.errors import Problem


class LineDict(dict[str, Any]):
    """A YAML mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[str(key)] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, rel: str, problems: list[Problem]) -> Any:
    """Parse ``path``; on failure record a problem (with line) and return None."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        problems.append(Problem(rel, 0, "", f"not UTF-8 text ({e.reason}); save the file as UTF-8"))
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        reason = getattr(e, "problem", None) or str(e)
        problems.append(Problem(rel, line, "", f"YAML syntax error: {reason}"))
        return None

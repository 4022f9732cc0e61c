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
        key = str(loader.construct_object(key_node, deep=True))
        if key in result:  # PyYAML would silently keep the last value
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} appears twice in this mapping (first on line "
                f"{result.key_lines[key]}): keep one",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
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
        problems.append(Problem(rel, *_locate(e, text)))
        return None


def _locate(error: yaml.YAMLError, text: str) -> tuple[int, str, str]:
    """(line, field, message) of a YAML error. An error found only at the end of the file
    (an unclosed bracket or quote) is placed where the unclosed construct begins."""
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    reason = getattr(error, "problem", None) or str(error)
    line = mark.line + 1 if mark else 0
    at_end = mark is not None and mark.index >= len(text.rstrip())
    if at_end and context is not None:
        what = str(getattr(error, "context", None) or "a bracket").removeprefix("while parsing ")
        return (
            context.line + 1,
            "",
            f"YAML syntax error: {what} opened here is never closed ({reason})",
        )
    return line, "", f"YAML syntax error: {reason}"

"""YAML reading that remembers line numbers, so problems can say where they are, and that
nothing in a file can turn into something else or blow up:

- scalars are read as written where YAML 1.1 would reinterpret them: ``000725`` stays the
  text ``'000725'`` (not the octal number 469), ``2024-03-01`` stays text (the year check
  then says it is a date), ``1:20`` is not base-60;
- aliases (``*name``) are refused before anything is expanded (the "billion laughs" bomb:
  603 bytes that expand to gigabytes);
- the text is decoded and cleaned by ``loaders.textin`` (GBK read with a warning, control
  characters removed with a warning at their line).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from graph.errors import Problem, warning
from graph.i18n import _
from loaders.textin import Decoded, clean, control_warning, decode, encoding_warning


class LineDict(dict[str, Any]):
    """A YAML mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class AliasRefused(yaml.composer.ComposerError):
    """An alias (``*name``): refused before expansion."""


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise AliasRefused(
                None,
                None,
                _(
                    "YAML aliases (*{name}) are not accepted: write each value out in full",
                    name=str(event.anchor)[:20],
                ),
                event.start_mark,
            )
        return super().compose_node(parent, index)


# YAML 1.1 ints with a leading zero are octal (000725 -> 469), 1:20 is base 60 and
# 2024-03-01 a date: ids, codes and years must stay as written, so those stay text
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":int", ":timestamp"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _PLAIN_INT, list("-+0123456789"))


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
                _(
                    "key {key!r} appears twice in this mapping (first on line {line}): keep one",
                    key=key[:40],
                    line=result.key_lines[key],
                ),
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_KEY = re.compile(r"^\s*-?\s*([^\s:#{]+)\s*:")


def read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    """The decoded, cleaned text of a data file; problems (and warnings) are appended."""
    decoded = decode(path.read_bytes())
    if not isinstance(decoded, Decoded):
        problems.append(Problem(rel, 0, "", decoded))
        return None
    if note := encoding_warning(decoded):
        problems.append(warning(rel, 0, "", note))
    lines = decoded.text.split("\n")
    for number, text in enumerate(lines):
        cleaned, found = clean(text)
        if found:
            key = _KEY.match(cleaned)
            problems.append(
                warning(rel, number + 1, key.group(1) if key else "", control_warning(found))
            )
            lines[number] = cleaned
    return "\n".join(lines)


def read_yaml(path: Path, rel: str, problems: list[Problem]) -> Any:
    """Parse ``path``; on failure record a problem (with line) and return None."""
    text = read_text(path, rel, problems)
    if text is None:
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
    reason = str(getattr(error, "problem", None) or error)[:200]
    line = mark.line + 1 if mark else 0
    if isinstance(error, AliasRefused):
        return line, "", reason
    at_end = mark is not None and mark.index >= len(text.rstrip())
    if at_end and context is not None:
        what = str(getattr(error, "context", None) or "a bracket").removeprefix("while parsing ")
        return (
            context.line + 1,
            "",
            _(
                "YAML syntax error: {what} opened here is never closed ({reason})",
                what=what,
                reason=reason,
            ),
        )
    return line, "", _("YAML syntax error: {reason}", reason=reason)

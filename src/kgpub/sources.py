"""Reading the curated sources: YAML with line numbers, validated against the typed model.

A curator edits YAML by hand, so every error must point at a line. PyYAML's composed node tree
carries marks; we record the line of every mapping key and sequence item by its path, and map
pydantic's error locations back onto those paths.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import SourceError, SourceProblem
from .model import ArticleFile, ContextFile, Registry

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

REGISTRY_FILE = Path("data/actors.yaml")
FACTS_DIR = Path("data/facts")
CONTEXT_FILE = Path("data/context.yaml")


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates stay strings and pydantic reports bad ones."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class LineMap:
    """Line (1-based) of each value in a YAML document, by its path of keys and indices."""

    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Sequence[str | int]) -> int | None:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def _walk(node: yaml.Node, path: Path_, lines: LineMap, problems: list[SourceProblem], file: Path):
    lines.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    SourceProblem(
                        file, line, _dotted(path + (key,)),
                        f"duplicate key {key!r} (first at line {seen[key]}); YAML would keep only "
                        "the last one: merge the two",
                    )
                )
            seen[key] = line
            lines.lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, problems, file)
            lines.lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, problems, file)


def _dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Parse one YAML file; syntax errors and duplicate keys become a SourceError with a line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError([SourceProblem(path, None, None, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise SourceError(
            [SourceProblem(path, None, None, f"not UTF-8 ({exc.reason}); save it as UTF-8")]
        ) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SourceError([SourceProblem(path, 1, None, "the file is empty")])
        lines = LineMap()
        problems: list[SourceProblem] = []
        _walk(node, (), lines, problems, path)
        if problems:
            raise SourceError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        raise SourceError(
            [SourceProblem(path, line, None,
                           f"malformed YAML: {what}; check indentation and quoting")]
        ) from None
    finally:
        loader.dispose()
    return data, lines


def load_model(path: Path, model: type[M]) -> tuple[M, LineMap]:
    """Read YAML and validate it against `model`; every pydantic error gets its line."""
    data, lines = read_yaml(path)
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            # pydantic puts union member names into the path (e.g. "str"); keep real keys only.
            loc = [p for p in loc if isinstance(p, int) or p in _known_keys(lines)]
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = f"unknown field {loc[-1]!r}; check the spelling against the README"
            elif err["type"] == "missing":
                message = f"missing required field {loc[-1]!r}"
            problems.append(SourceProblem(path, lines.line(loc), _dotted(loc) or None, message))
        raise SourceError(problems) from None


def _known_keys(lines: LineMap) -> set[str]:
    return {p for path in lines.lines for p in path if isinstance(p, str)}


@dataclass
class LoadedArticle:
    path: Path
    model: ArticleFile
    lines: LineMap
    text: str
    text_path: Path
    sha256: str


@dataclass
class Sources:
    root: Path
    registry: Registry
    registry_lines: LineMap
    registry_path: Path
    articles: list[LoadedArticle]
    context: ContextFile | None
    context_lines: LineMap
    context_path: Path


def load_article(path: Path) -> LoadedArticle:
    model, lines = load_model(path, ArticleFile)
    text_path = (path.parent / model.article.text).resolve()
    try:
        raw = text_path.read_bytes()
    except FileNotFoundError:
        raise SourceError(
            [
                SourceProblem(
                    path, lines.line(("article", "text")), "article.text",
                    f"article text {model.article.text!r} not found (looked for {text_path.name} "
                    f"in {text_path.parent.name}/); store the article text there or fix the path",
                )
            ]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            [SourceProblem(text_path, None, None, f"article text is not UTF-8 ({exc.reason})")]
        ) from None
    return LoadedArticle(path, model, lines, text, text_path, hashlib.sha256(raw).hexdigest())


def load_sources(root: Path) -> Sources:
    """Load the registry, every facts file and the context file below the project root `root`."""
    root = Path(root)
    problems: list[SourceProblem] = []
    registry_path = root / REGISTRY_FILE
    registry, registry_lines = load_model(registry_path, Registry)
    facts_dir = root / FACTS_DIR
    paths = sorted(facts_dir.glob("*.yaml")) + sorted(facts_dir.glob("*.yml"))
    if not paths:
        raise SourceError([SourceProblem(facts_dir, None, None, "no facts files (*.yaml) found")])
    articles = []
    for path in paths:
        try:
            articles.append(load_article(path))
        except SourceError as exc:
            problems.extend(exc.problems)
    context_path = root / CONTEXT_FILE
    context, context_lines = (None, LineMap())
    if context_path.exists():
        try:
            context, context_lines = load_model(context_path, ContextFile)
        except SourceError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SourceError(problems)
    return Sources(
        root, registry, registry_lines, registry_path, articles, context, context_lines,
        context_path,
    )

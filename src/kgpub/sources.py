"""Reading the curated sources: YAML with line numbers, validated against the typed model.

A curator edits YAML by hand, so every error must point at a line. PyYAML's composed node tree
carries marks; we record the line of every mapping key and sequence item by its path, and map
pydantic's error locations back onto those paths.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import SourceError, SourceProblem
from .model import ArticleFile, ContextFile, Registry
from .project import Project, as_project

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences (also through aliases); the real files need 6."""

MAX_ALIAS_NODES = 100_000
"""Nodes that aliases may repeat: anchors are for sharing a citation, not for alias bombs."""


class _Refused(yaml.MarkedYAMLError):
    """A YAML document PyYAML could read but kgpub will not; `problem` is the whole message."""


class _Constructing(yaml.constructor.SafeConstructor):
    """Turns a value its tag cannot hold (`!!int abc`, a 5000-digit number) into an error with
    a line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            tag = node.tag.removeprefix("tag:yaml.org,2002:")
            raise _Refused(
                None, None, f"this value cannot be read as {tag} ({exc}); quote it if it is "
                "text, or correct it", node.start_mark,
            ) from None


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
              yaml.composer.Composer, _Constructing, yaml.resolver.Resolver):
    """SafeLoader without implicit timestamps: dates stay strings and pydantic reports bad ones.

    It also bounds nesting before PyYAML's recursive composer overflows the stack. This pure
    Python reader says exactly what is wrong with a file; `_FastLoader` reads good files.
    """

    _depth = 0

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructing.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    None, None, f"nested deeper than {MAX_DEPTH} levels: flatten the structure",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_IMPLICIT = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = _IMPLICIT

try:  # libyaml: scanning and composing in C, some ten times faster than PyYAML's own
    from yaml._yaml import CParser
except ImportError:  # a PyYAML built without libyaml
    CParser = None

if CParser is not None:
    class _FastLoader(CParser, _Constructing, yaml.resolver.Resolver):  # type: ignore[misc]
        """libyaml's parser and composer, the same constructor and resolvers as `_Loader`.

        libyaml composes recursively in C, so `_nesting` measures the depth on its event stream
        first; whatever this loader refuses, `_Loader` reads again to say what is wrong.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Constructing.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _FastLoader.yaml_implicit_resolvers = _IMPLICIT


def _nesting(text: str) -> int:
    """The deepest nesting of collections in `text` (libyaml events: no recursion)."""
    parser = CParser(text)
    depth = deepest = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        parser.dispose()
    return deepest


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


@dataclass
class _Walk:
    """What one walk of a document has seen: for alias bombs and alias cycles."""

    file: Path
    lines: LineMap
    problems: list[SourceProblem]
    visited: set[int] = field(default_factory=set)
    ancestors: set[int] = field(default_factory=set)
    repeats: int = 0

    def refuse(self, path: Path_, message: str) -> SourceError:
        return SourceError([SourceProblem(self.file, self.lines.line(path), _dotted(path) or None,
                                          message)])


def _walk(node: yaml.Node, path: Path_, walk: _Walk) -> None:
    """Record lines and duplicate keys; refuse nesting, alias cycles and bombs before pydantic.

    Aliases make the node tree a graph; pydantic (and this walk) see it expanded, so count it.
    """
    lines, problems, file = walk.lines, walk.problems, walk.file
    if id(node) in walk.ancestors:
        raise walk.refuse(path, "an alias (*name) refers to a value that contains it; YAML "
                                "cycles cannot become facts: write the value out")
    if len(path) > MAX_DEPTH:
        raise walk.refuse(path, f"nested deeper than {MAX_DEPTH} levels (through aliases): "
                                "flatten the structure")
    if id(node) in walk.visited:
        walk.repeats += 1
        if walk.repeats > MAX_ALIAS_NODES:
            raise walk.refuse(path, f"aliases (*name) repeat more than {MAX_ALIAS_NODES:,} values "
                                    "(an alias bomb?); write the shared values out instead")
    walk.visited.add(id(node))
    if path not in lines.lines:
        lines.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        walk.ancestors.add(id(node))
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(SourceProblem(
                    file, line, _dotted(path) or None,
                    "a key must be a plain name, not a list or mapping (YAML '? ' complex key)",
                ))
                continue
            key = key_node.value
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
            _walk(value_node, path + (key,), walk)
        walk.ancestors.discard(id(node))
    elif isinstance(node, yaml.SequenceNode):
        walk.ancestors.add(id(node))
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), walk)
        walk.ancestors.discard(id(node))


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
    if CParser is not None:
        try:
            if _nesting(text) <= MAX_DEPTH:
                return _read(path, _FastLoader(text))
        except (yaml.YAMLError, SourceError):
            pass  # the pure-Python reader below says exactly what is wrong, with its line
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(path, text, exc) from None
    try:
        return _read(path, loader)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(path, text, exc) from None


def _read(path: Path, loader: Any) -> tuple[Any, LineMap]:
    """The document and its lines, from a loader over the file's text."""
    try:
        node = loader.get_single_node()
        if node is None:
            raise SourceError([SourceProblem(path, 1, None, "the file is empty")])
        lines = LineMap()
        problems: list[SourceProblem] = []
        _walk(node, (), _Walk(path, lines, problems))
        if problems:
            raise SourceError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        if isinstance(exc, yaml.constructor.ConstructorError) and "constructor for the tag" in what:
            message = (f"{what}: kgpub sources are plain YAML, without tags such as "
                       "!!python/object; remove the tag")
        elif isinstance(exc, _Refused):
            message = what
        else:
            message = f"malformed YAML: {what}; check indentation and quoting"
        raise SourceError([SourceProblem(path, line, None, message)]) from None
    finally:
        loader.dispose()
    return data, lines


def _reader_error(path: Path, text: str, exc: yaml.reader.ReaderError) -> SourceError:
    """PyYAML refuses control characters without a line; count it from the position."""
    line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
    char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
    return SourceError([SourceProblem(
        path, line, None, f"character {char} is not allowed in YAML ({exc.reason}); remove it",
    )])


def load_model(path: Path, model: type[M]) -> tuple[M, LineMap]:
    """Read YAML and validate it against `model`; every pydantic error gets its line."""
    data, lines = read_yaml(path)
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        problems = []
        known = _known_keys(lines)
        for err in exc.errors():
            # pydantic puts validator and union member names into the path (e.g.
            # "function-after[...]", "str"); keep real keys only.
            loc = [p for p in err["loc"] if isinstance(p, int) or p in known]
            message = err["msg"].removeprefix("Value error, ")
            name = loc[-1] if loc else (err["loc"][-1] if err["loc"] else "?")
            if err["type"] == "extra_forbidden":
                message = f"unknown field {name!r}; check the spelling against the README"
            elif err["type"] == "missing":
                message = f"missing required field {name!r}"
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
    try:
        text_path = (path.parent / model.article.text).resolve()
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
    except (OSError, ValueError) as exc:  # a directory, a NUL byte, a name too long, no access
        reason = getattr(exc, "strerror", None) or str(exc)
        raise SourceError(
            [
                SourceProblem(
                    path, lines.line(("article", "text")), "article.text",
                    f"article text {model.article.text!r} cannot be read ({reason}); give the "
                    "path of the stored text file, relative to this facts file",
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


def facts_files(facts_dir: Path) -> list[Path]:
    """The facts files a build reads: `*.yaml` and `*.yml` directly in `facts_dir`, in the
    order of their names (as `sorted(facts_dir.glob(...))` gives them, without 10,000 Path
    objects compared part by part)."""
    try:
        names = os.listdir(facts_dir)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [facts_dir / n for suffix in (".yaml", ".yml")
            for n in sorted(n for n in names if n.endswith(suffix))]


def load_sources(root: Project | Path) -> Sources:
    """Load the registry, every facts file and the context file of the project at `root`."""
    project = as_project(root)
    problems: list[SourceProblem] = []
    facts_dir = project.facts_dir
    paths = facts_files(facts_dir)
    if not paths:
        raise SourceError([SourceProblem(facts_dir, None, None, "no facts files (*.yaml) found")])
    try:
        shared = load_shared_sources(project)
    except SourceError as exc:
        problems.extend(exc.problems)
        shared = None
    articles = []
    for path in paths:
        try:
            articles.append(load_article(path))
        except SourceError as exc:
            problems.extend(exc.problems)
    if problems or shared is None:
        raise SourceError(problems)
    shared.articles = articles
    return shared


def load_shared_sources(root: Project | Path) -> Sources:
    """The registry and the context file of the project at `root` (no articles)."""
    project = as_project(root)
    root = project.root
    problems: list[SourceProblem] = []
    registry_path = project.registry_file
    registry, registry_lines = load_model(registry_path, Registry)
    articles: list[LoadedArticle] = []
    context_path = project.context_file
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

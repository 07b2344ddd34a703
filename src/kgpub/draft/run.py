"""`kgpub draft` as one library call: read, draft, check that the draft loads, write, score.

Nothing is written unless the draft validates against the typed model and every span it claims
is found in the article; files are written to a temporary file and renamed; a file that
`kgpub draft` did not write is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..dump import write_atomic
from ..errors import SourceError
from ..model import ArticleFile, Registry
from ..sources import load_model
from .draft import Draft, Request, make_draft
from .evaluate import Evaluation, evaluate
from .lexicon import load_lexicon
from .project import load_existing
from .text import DraftError, count_overlapping, read_article
from .writer import MARKER, render_facts, render_new_actors


@dataclass
class Result:
    draft: Draft
    facts_yaml: str
    new_actors_yaml: str | None
    written: list[Path]
    evaluation: Evaluation | None = None


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DraftError(f"--date {value!r} is not a date: write YYYY-MM-DD", 2) from None


def run(article: Path, *, article_id: str | None = None, date: str | None = None,
        publisher: str | None = None, url: str | None = None, registry: Path | None = None,
        new_actors: Path | None = None, out: Path | None = None, curated: Path | None = None,
        root: Path | None = None) -> Result:
    from ..project import Project

    project = Project.find(root, required=registry is None)
    registry = Path(registry) if registry else project.registry_file
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise DraftError(f"--url {url!r} is not an http(s) URL", 2)
    request = Request(Path(article), article_id, parse_date(date), publisher=publisher, url=url)
    gold = None
    if curated is not None:
        gold, _ = load_model(Path(curated), ArticleFile)
        meta = gold.article
        request.article_id = request.article_id or meta.id
        request.publisher = request.publisher or meta.publisher
        request.url = request.url or meta.url
        if request.date_published is None:
            request.date_published = meta.date_published
            request.earliest, request.latest = (meta.date_published_earliest,
                                                meta.date_published_latest)
    for path in (out, new_actors):
        _check_overwrite(path)
    text = read_article(request.article)
    reg, _ = load_model(registry, Registry)
    # A draft agrees with the project's other facts files; a draft being scored must not see
    # any curated file (the one it is scored against, or another article's sharing its facts).
    existing = None if gold is not None else load_existing(registry.parent / "facts", out)
    taken = set() if gold is not None else _ids_in_project(registry, out)
    lexicon = load_lexicon(project.root.resolve() if project else None)
    draft = make_draft(request, text, reg, lexicon, str(registry),
                       existing, taken)
    text_path = _text_path(request.article, out)
    facts_yaml = render_facts(draft, text_path)
    drafted = _validate(facts_yaml, ArticleFile, out)
    _check_spans(drafted, text)
    actors_yaml = None
    if new_actors is not None:
        actors_yaml = render_new_actors(draft, request.article.name, registry.name)
        _validate(actors_yaml, Registry, new_actors)
    written = []
    if new_actors is not None:
        write_atomic(new_actors, actors_yaml.encode("utf-8"))
        written.append(new_actors)
    if out is not None:
        write_atomic(out, facts_yaml.encode("utf-8"))
        written.append(out)
    result = Result(draft, facts_yaml, actors_yaml, written)
    if gold is not None:
        result.evaluation = evaluate(drafted, gold, text, draft.mentions, draft.entities)
    return result


def _check_overwrite(path: Path | None) -> None:
    if path is None or not path.exists():
        return
    if path.is_dir():
        raise DraftError(f"{path} is a directory; give a file name", 2)
    try:
        with path.open(encoding="utf-8") as f:
            first = f.readline()
    except (OSError, UnicodeDecodeError):
        first = ""
    if not first.startswith(MARKER):
        raise DraftError(f"{path} exists and was not written by kgpub draft; it is left as it is: "
                         "choose another file, or move it away first")


def _text_path(article: Path, out: Path | None) -> str:
    article = Path(article).resolve()
    if out is not None:
        return Path(os.path.relpath(article, Path(out).resolve().parent)).as_posix()
    if article.parent.name == "articles":
        return f"../articles/{article.name}"
    return Path(os.path.relpath(article, Path.cwd())).as_posix()


def _ids_in_project(registry: Path, out: Path | None) -> set[str]:
    """Ids already used by the project's facts files, so a drafted event id never clashes."""
    taken: set[str] = set()
    facts = registry.parent / "facts"
    for path in sorted(facts.glob("*.yaml")) if facts.is_dir() else []:
        if out is not None and path.resolve() == Path(out).resolve():
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        taken |= set(re.findall(r"^\s*(?:-\s+)?(?:id|ref):\s*([a-z0-9-]+)\s*$", content,
                                re.MULTILINE))
    return taken


def _validate(content: str, model, beside: Path | None):
    """Load the YAML through the same reader and model as `kgpub build`."""
    folder = Path(beside).resolve().parent if beside is not None else None
    if folder is not None and not folder.is_dir():
        raise DraftError(f"{beside}: the directory {folder} does not exist", 2)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", encoding="utf-8", delete=False,
                                     dir=folder, prefix=".kgpub-draft-check-") as f:
        f.write(content)
        name = Path(f.name)
    try:
        parsed, _ = load_model(name, model)
    except SourceError as exc:
        raise DraftError(f"internal error: the draft does not load ({exc}); please report it "
                         "with the article") from None
    finally:
        name.unlink(missing_ok=True)
    return parsed


def _check_spans(drafted: ArticleFile, text: str) -> None:
    from .evaluate import _evidence_items

    for item in _evidence_items(drafted):
        wanted, occurrence = (item, None) if isinstance(item, str) else (item.text,
                                                                        item.occurrence)
        starts = count_overlapping(text, wanted)
        if not starts or (occurrence is None and len(starts) > 1 and wanted != drafted.article
                          .headline) or (occurrence or 1) > len(starts):
            raise DraftError(f"internal error: the draft's span {wanted[:60]!r} is not in the "
                             "text as given; please report it with the article")

"""Score `kgpub draft` against curated facts files, per kind, and time it per article.

The sets, reported separately (micro-averaged over their articles):

* seeds   - data/facts/*.yaml with data/articles/ and data/actors.yaml (curated by hand before
            the drafter existed);
* dev     - tests/fixtures/draft/dev/* (the articles the rules were developed on);
* heldout - tests/fixtures/draft/heldout/* (written before any rule; scored blind once, at the
            first freeze; seen since);
* blind   - tests/fixtures/draft/blind/* (written after that run, before any further rule
            change; never tuned on);
* fresh   - tests/fixtures/draft/fresh/* (written after the previous stop's rules were frozen,
            by a writer who had not read the rules; tuned on since its first run).
* fresh2  - tests/fixtures/draft/fresh2/* (written by a writer who had not read the rules, while
            they were being changed on the other sets, fresh included; first scored once both
            were merged).
* fresh3  - tests/fixtures/draft/fresh3/* (written, with their gold, by a writer who had not read
            the rules, while they were being changed on the other sets; first scored once both
            were merged).
* fresh4  - tests/fixtures/draft/fresh4/* (the same way, while the joint-intent rule was being
            written; first scored once that rule was committed).
* fresh5  - tests/fixtures/draft/fresh5/* (the same way, on the rules before the event and stance
            round; scored twice unseen, before and after it, then tuned on).
* fresh6  - tests/fixtures/draft/fresh6/* (the same way, on commit 64abe0a; scored twice unseen,
            there and after the round of recall that generalises).
* fresh7  - tests/fixtures/draft/fresh7/* (the same way, on commit f7d517c; scored once unseen,
            at 10e35ce, after the round tuned on fresh6).

    python bench/draft_eval.py                    # every set's table and the timings
    python bench/draft_eval.py --sets seeds,dev   # only some sets
    python bench/draft_eval.py --details          # one line per article as well
    python bench/draft_eval.py --markdown         # the block the README quotes

Each draft goes through the same call as `kgpub draft --evaluate` (nothing is written). The time
per article is the wall time of that call in this process; the first call also reads the cue
lexicons, so it is reported apart.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kgpub.draft import run  # noqa: E402
from kgpub.draft.evaluate import KINDS, Evaluation, table  # noqa: E402
from kgpub.model import ArticleFile  # noqa: E402
from kgpub.sources import load_model  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "draft"


def articles(name: str) -> list[tuple[Path, Path, Path]]:
    """(article text, curated facts file, registry) for each article of a set."""
    if name == "seeds":
        projects = [ROOT]
    else:
        projects = sorted(p for p in (FIXTURES / name).iterdir() if p.is_dir())
    found = []
    for project in projects:
        data = project / "data"
        for facts in sorted((data / "facts").glob("*.yaml")):
            model, _ = load_model(facts, ArticleFile)
            text = (facts.parent / model.article.text).resolve()
            found.append((text, facts, data / "actors.yaml"))
    return found


def score(name: str, details: bool) -> tuple[Evaluation, list[float]]:
    total = Evaluation()
    seconds = []
    for text, facts, registry in articles(name):
        t0 = time.perf_counter()
        result = run(text, curated=facts, registry=registry, root=ROOT)
        seconds.append(time.perf_counter() - t0)
        total.add(result.evaluation)
        if details:
            s = result.evaluation.scores
            cells = " ".join(f"{k}={_f1(s[k])}" for k in KINDS)
            print(f"  {facts.relative_to(ROOT)}: {cells}")
            for kind, what, item in result.evaluation.differences:
                if kind != "actors in facts":
                    print(f"      {kind} {what}: {item}")
    return total, seconds


def combined(results: dict[str, Evaluation]) -> str:
    """One Markdown table: a row per kind, "P / R" per set."""
    names = list(results)
    head = " | ".join(f"{n} ({results[n].articles})" for n in names)
    lines = [f"| kind | {head} |", "|---" * (len(names) + 1) + "|"]
    for kind in KINDS:
        cells = " | ".join(f"{_p(results[n].scores[kind].precision)} / "
                           f"{_p(results[n].scores[kind].recall)}" for n in names)
        lines.append(f"| {kind} | {cells} |")
    accuracy = " | ".join(_p(results[n].speaker_accuracy) for n in names)
    lines.append(f"| speaker accuracy | {accuracy} |")
    verbatim = " | ".join(f"{results[n].spans_verbatim}/{results[n].spans_total}" for n in names)
    lines.append(f"| spans verbatim | {verbatim} |")
    return "\n".join(lines)


def _p(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _f1(score) -> str:
    return "-" if score.f1 is None else f"{score.f1:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets",
                        default="seeds,dev,heldout,blind,fresh,fresh2,fresh3,fresh4,fresh5,"
                                "fresh6,fresh7")
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    timings: list[float] = []
    results: dict[str, Evaluation] = {}
    for name in args.sets.split(","):
        evaluation, seconds = score(name, args.details)
        timings += seconds
        results[name] = evaluation
        if not args.markdown:
            print(table(evaluation, name))
            print()
    if args.markdown:
        print(combined(results))
        print()
    first, rest = timings[0], timings[1:] or timings
    mean, most = statistics.mean(rest) * 1000, max(rest) * 1000
    print(f"time per article: mean {mean:.0f} ms, max {most:.0f} ms over {len(rest)} articles "
          f"(the first call, which also reads the lexicons: {first * 1000:.0f} ms)")


if __name__ == "__main__":
    main()

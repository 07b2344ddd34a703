"""A synthetic corpus: a complete kgpub project of N news articles about an invented world.

    python bench/corpus.py --articles 10000 --out /tmp/corpus [--seed 1]
    kgpub build --root /tmp/corpus

Writes kgpub.toml, data/actors.yaml (some 530 countries, cities, posts, office holders,
intergovernmental organisations and outlets), and for each article its text
(data/articles/{id}.txt, a few thousand characters of English news prose) and its facts file
(data/facts/{id}.yaml, about 40 facts) in the documented source format (README, "The curated
sources"). Actors are drawn with a power law. Articles report stories (visits, meetings,
summits, phone calls, signings) as real news does: announced before (status Scheduled) and
reported after (Occurred); a second outlet sometimes gives another date or place; recaps
derive from an earlier report (derived_from); the same office holders are attested in office
by many articles, the same sentences are quoted again, and earlier stories come back as
background. Every evidence string is verbatim in the text. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_article import Plan, Writer  # noqa: E402
from corpus_world import Story, World, make_story, make_world  # noqa: E402

START = dt.date(2022, 1, 3)


def plan_articles(world: World, rng: random.Random, n: int) -> list[Plan]:
    """Stories spread over time, each reported by two to four articles, cut to `n`."""
    days = max(60, n // 8)
    plans: list[Plan] = []
    ids: set[str] = set()
    while len(plans) < n * 1.2 + 6:
        date = START + dt.timedelta(days=rng.randrange(days))
        story = make_story(world, rng, date)
        while story.id in ids:  # the same kind of event of the same parties on one day
            story.id += "-again"
        ids.add(story.id)
        world.stories.append(story)
        outlet = lambda: rng.choice(world.outlets)  # noqa: E731
        if story.kind != "PhoneCall" and rng.random() < 0.6:
            plans.append(Plan(story, "announce", date - dt.timedelta(days=rng.randint(2, 9)),
                              outlet()))
        report = Plan(story, "report", date + dt.timedelta(days=rng.randint(0, 1)), outlet())
        plans.append(report)
        if rng.random() < 0.4:  # a second outlet, which may give another date or place
            plans.append(Plan(story, "report", date + dt.timedelta(days=1), outlet(),
                              shifted=rng.random() < 0.35,
                              moved=story.place is not None and rng.random() < 0.35))
        if rng.random() < 0.6:
            plans.append(Plan(story, "recap", date + dt.timedelta(days=rng.randint(3, 14)),
                              outlet(), derived_from=report if rng.random() < 0.5 else None))
    world.stories.sort(key=lambda s: (s.date, s.id))
    plans.sort(key=lambda p: (p.published, p.story.id, p.kind, p.outlet.key))
    plans = plans[:n]
    kept = {id(p) for p in plans}
    for number, plan in enumerate(plans, 1):
        plan.id = f"{plan.outlet.key}-{plan.published.isoformat()}-{number:05d}"
        if plan.derived_from is not None and id(plan.derived_from) not in kept:
            plan.derived_from = None
    return plans


def registry_yaml(world: World) -> str:
    lines = ["# The registry of the synthetic corpus (bench/corpus.py): an invented world.",
             "entities:"]
    for e in world.entities:
        lines.append(f"  - key: {e.key}\n    type: {e.type}\n    label: {json.dumps(e.label)}")
        if e.post_in:
            lines.append(f"    post_in: {e.post_in}")
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = 1) -> dict:
    """Write the project; statistics of what was written."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"error: {out}: not empty; give a new or empty directory")
    rng = random.Random(seed)
    world = make_world(rng)
    plans = plan_articles(world, rng, n)
    by_country: dict[str, list[Story]] = {c.key: [] for c in world.countries}
    for story in world.stories:
        for country in {story.host.key, story.guest.key}:
            by_country[country].append(story)
    (out / "data" / "articles").mkdir(parents=True)
    (out / "data" / "facts").mkdir(parents=True)
    (out / "kgpub.toml").write_text(
        f"[dataset]\ntitle = \"Synthetic corpus: {n} articles (seed {seed})\"\n"
        "description = \"Invented news articles written by bench/corpus.py.\"\n",
        encoding="utf-8")
    (out / "data" / "actors.yaml").write_text(registry_yaml(world), encoding="utf-8")
    stats: Counter = Counter()
    recurring: dict[str, Counter] = {"events": Counter(), "tenures": Counter(),
                                     "quotes": Counter(), "stances": Counter()}
    for plan in plans:
        writer = Writer(world, plan, seed, by_country)
        text, facts = writer.write()
        (out / "data" / "articles" / f"{plan.id}.txt").write_text(text, encoding="utf-8")
        (out / "data" / "facts" / f"{plan.id}.yaml").write_text(facts, encoding="utf-8")
        stats["chars"] += len(text)
        for section, items in writer.facts.sections.items():
            stats["facts"] += len(items)
            stats[section] += len(items)
            if section in recurring:
                recurring[section].update(identity(section, fact) for fact in items)
        stats["derived"] += plan.derived_from is not None
        stats["scheduled"] += plan.kind == "announce"
    stats["articles"] = len(plans)
    stats["registry"] = len(world.entities)
    stats["stories"] = len({p.story.id for p in plans})
    for section, seen in recurring.items():  # things stated by more than one article
        stats[f"{section} in 2+ articles"] = sum(1 for n in seen.values() if n > 1)
        stats[f"distinct {section}"] = len(seen)
    return dict(stats)


def identity(section: str, fact: dict) -> tuple:
    """What makes two articles' facts one thing (docs/data-model.md: the IRI of each kind)."""
    if section == "events":
        return (fact["id"],)
    if section == "tenures":
        return (fact["person"], fact["post"])
    if section == "quotes":
        return (fact["speaker"], fact["text"], fact["uttered_on"])
    return (fact["holder"], *fact["targets"], fact["type"], fact["stated_on"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="How many articles.")
    parser.add_argument("--out", type=Path, required=True, help="A new or empty directory.")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
    args = parser.parse_args()
    t0 = time.perf_counter()
    stats = generate(args.articles, args.out, args.seed)
    seconds = time.perf_counter() - t0
    n = stats["articles"]
    print(f"{n} articles ({stats['stories']} stories, {stats['scheduled']} announcing, "
          f"{stats['derived']} derived from another) and {stats['registry']} registry entries "
          f"in {args.out} in {seconds:.1f} s ({n / seconds:.0f} articles/s); per article "
          f"{stats['chars'] / n:.0f} characters, {stats['facts'] / n:.1f} facts ("
          + ", ".join(f"{stats[k] / n:.1f} {k}" for k in ("events", "quotes", "stances",
                                                          "tenures", "statements",
                                                          "assessments", "omissions")) + ")")
    for kind in ("events", "tenures", "quotes", "stances"):
        print(f"  {kind}: {stats[f'distinct {kind}']} distinct, "
              f"{stats[f'{kind} in 2+ articles']} stated by two articles or more")
    return 0


if __name__ == "__main__":
    sys.exit(main())

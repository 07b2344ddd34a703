"""Benchmark of the search index on a large dataset: build time, size, memory; search latency;
lists with facets; the network and timeline pictures (query + SVG rendering).

Not part of the test suite. Takes any built dataset's N-Quads (`data/ttl/kgpub.nq`, a corpus
build, or bench/generate.py's synthetic data):

    .venv/bin/python bench/search.py --data bench/data/synth-10000000.nq [--twice] [--sparql]
    .venv/bin/python bench/search.py --triples 1000000      # generates the data first

Everything is measured in this one run on this machine. The index is made in a child process,
so its peak RSS is its own; pyoxigraph parsing the same file is timed beside it as the floor.
Query texts are drawn (seeded) from the index itself: whole actor names, the first letters of
a name (as typed into the box), three consecutive words of quotes, two words of evidence.
`--twice` builds the index again and compares the bytes; `--sparql` loads the data into an
in-memory Oxigraph store and times the same facet counts in SPARQL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kgpub.search import SearchIndex  # noqa: E402
from kgpub.search.browse import Filters  # noqa: E402
from kgpub.search.pictures import NetworkQuery, TimelineQuery  # noqa: E402
from kgpub.search.text import tokens  # noqa: E402
from kgpub.site import Site, SiteConfig  # noqa: E402

BUILD = """
import json, resource, sys, time
from pathlib import Path
from kgpub.search.index import make_index
started = time.perf_counter()
stats = make_index(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - started, "bytes": stats.bytes,
                  "quads": stats.quads, "items": stats.items, "documents": stats.documents,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"n": len(ordered), "p50": at(0.5), "p90": at(0.9), "p99": at(0.99),
            "max": ordered[-1] * 1000}


def timed(call, *args, repeat: int = 1):
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call(*args)
        samples.append(time.perf_counter() - started)
    return result, samples


def build(data: Path, out: Path) -> dict:
    out.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", BUILD, str(data), str(out)], check=True,
                          capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    return json.loads(done.stdout)


def parse_floor(data: Path) -> float:
    started = time.perf_counter()
    count = sum(1 for _ in ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS))
    assert count
    return time.perf_counter() - started


def queries(index: SearchIndex, n: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    with index.connect(None) as conn:
        actors = [r[0] for r in conn.execute(
            "SELECT label FROM doc WHERE kind = 'actor' ORDER BY id")]
        quotes = [r[0] for r in conn.execute(
            "SELECT body FROM doc WHERE kind = 'quote' ORDER BY id")]
        evidence = [r[0] for r in conn.execute(
            "SELECT body FROM doc WHERE kind = 'evidence' ORDER BY random() LIMIT 5000")]

    def words(texts: list[str], k: int) -> list[str]:
        out = []
        while len(out) < n and texts:
            found = tokens(rng.choice(texts))
            if len(found) >= k:
                start = rng.randrange(len(found) - k + 1)
                out.append(" ".join(found[start:start + k]))
        return out

    prefixes = []
    for _ in range(n if actors else 0):
        last = (tokens(rng.choice(actors)) or ["x"])[-1]
        prefixes.append(last[:rng.randint(2, 5)])
    return {"name": [rng.choice(actors) for _ in range(n)] if actors else [],
            "name prefix (box)": prefixes, "quote words": words(quotes, 3),
            "evidence words": words(evidence, 2)}


def top(index: SearchIndex, kind: str, facet: str) -> str:
    listing = index.browse(kind, Filters())
    values = next(f for f in listing.facets if f.name == facet).values
    return values[0].value if values else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--triples", type=int, help="generate this many quads first")
    parser.add_argument("--work", type=Path, help="where the index goes (default: a temp dir)")
    parser.add_argument("--queries", type=int, default=200, help="per query kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--twice", action="store_true", help="build again, compare the bytes")
    parser.add_argument("--sparql", action="store_true", help="facet counts in SPARQL too")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kgpub-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    data = args.data
    if data is None:
        data = work / f"synth-{args.triples}.nq"
        subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), "--triples",
                        str(args.triples), "--out", str(data)], check=True)
    report: dict = {"data": str(data), "bytes": data.stat().st_size}

    floor = parse_floor(data)
    made = build(data, work / "index.sqlite")
    report["build"] = {**made, "parse_floor_seconds": floor,
                       "ratio_to_parse": made["seconds"] / floor}
    print(f"index: {made['quads']:,} quads -> {made['bytes'] / 1e6:,.0f} MB in "
          f"{made['seconds']:.1f} s ({made['seconds'] / floor:.1f}x pyoxigraph's parse, "
          f"{floor:.1f} s); peak RSS {made['rss_mb']:.0f} MB; items {made['items']}; "
          f"{made['documents']:,} search documents", flush=True)
    if args.twice:
        again = build(data, work / "again.sqlite")
        same = (work / "again.sqlite").read_bytes() == (work / "index.sqlite").read_bytes()
        report["build"]["again_seconds"], report["build"]["identical"] = again["seconds"], same
        print(f"built again in {again['seconds']:.1f} s: byte-identical {same}", flush=True)
        (work / "again.sqlite").unlink()

    index = SearchIndex(work / "index.sqlite", deadline=60)
    report["search"] = {}
    everything: list[float] = []
    for kind, texts in queries(index, args.queries, args.seed).items():
        samples = []
        for text in texts:
            limit = 8 if kind == "name prefix (box)" else 20
            samples += timed(index.search, text, None, limit)[1]
        everything += samples
        if samples:
            report["search"][kind] = percentiles(samples)
    report["search"]["all"] = percentiles(everything)
    for kind, p in report["search"].items():
        print(f"search {kind:18} n={p['n']:4}  p50 {p['p50']:6.1f} ms  p90 {p['p90']:6.1f}  "
              f"p99 {p['p99']:6.1f}  max {p['max']:6.1f}", flush=True)

    holder, stance_type = top(index, "stances", "holder"), top(index, "stances", "type")
    lists = {
        "stances, no filter": ("stances", Filters()),
        "stances, top holder": ("stances", Filters((("holder", holder),))),
        "stances, holder+type+year": ("stances", Filters((("holder", holder),
                                                          ("type", stance_type)), "2017", "2019")),
        "events, no filter": ("events", Filters()),
        "quotes, no filter": ("quotes", Filters()),
    }
    report["lists"] = {}
    for name, (kind, filters) in lists.items():
        listing, samples = timed(index.browse, kind, filters, 1, 50, repeat=10)
        rows, export = timed(lambda k=kind, f=filters: sum(1 for _ in index.export(k, f)))
        report["lists"][name] = {**percentiles(samples), "total": listing.total,
                                 "export_rows": rows, "export_ms": export[0] * 1000}
        print(f"list {name:26} total {listing.total:7,}  page+facets p50 "
              f"{percentiles(samples)['p50']:6.1f} ms p99 {percentiles(samples)['p99']:6.1f}; "
              f"all rows read in {export[0] * 1000:7.1f} ms", flush=True)

    async def no_sparql(query: str) -> list:
        raise AssertionError("pictures read the index only")

    site = Site(no_sparql, SiteConfig(), None, index)
    report["pictures"] = {}
    pictures = {
        "network, all": lambda: site.network_svg(NetworkQuery()),
        "network, top type": lambda: site.network_svg(NetworkQuery(stance_type)),
        "network, one year": lambda: site.network_svg(NetworkQuery("", "2018", "2018")),
        "timeline, top holder": lambda: site.timeline_svg(TimelineQuery(actor=holder)),
    }
    for name, make in pictures.items():
        svg, samples = timed(lambda m=make: asyncio.run(m()), repeat=5)
        counts = {what: svg.count(f'class="{what}') for what in ("node", "edge ", "mark ")}
        counts["node"] = svg.count('class="node"')
        report["pictures"][name] = {**percentiles(samples), "svg_bytes": len(svg),
                                    "nodes": counts["node"], "edges": counts["edge "],
                                    "marks": counts["mark "]}
        print(f"{name:22} p50 {percentiles(samples)['p50']:7.1f} ms  svg "
              f"{len(svg) / 1000:6.0f} kB  nodes {counts['node']:3} edges "
              f"{counts['edge ']:3} marks {counts['mark ']:5}", flush=True)
    network = index.network(NetworkQuery())
    report["pictures"]["network totals"] = {"stances": network.stances,
                                            "actors": network.nodes_total,
                                            "pairs": network.edges_total}
    print(f"network: {network.stances:,} stances between {network.nodes_total:,} actors, "
          f"{network.edges_total:,} pairs", flush=True)

    if args.sparql:
        store = ox.Store()
        started = time.perf_counter()
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        load = time.perf_counter() - started
        facets = {"holder": "kgp:stanceHolder", "target": "kgp:stanceTarget",
                  "type": "kgp:stanceType", "polarity": "kgp:polarity",
                  "speaker": "kgp:statedBy", "source": "kgp:reportedIn"}
        report["sparql"] = {"load_seconds": load}
        for name, filters in (("all stances", Filters()),
                              ("top holder", Filters((("holder", holder),)))):
            extra = "".join(f"; {facets[n]} <{v}>" for n, v in filters.facets)

            def six(extra: str = extra) -> None:
                for prop in facets.values():
                    list(store.query(
                        "PREFIX kgp: <https://w3id.org/kgpub/ontology#> SELECT ?v "
                        "(COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a kgp:Stance " + extra
                        + f" ; {prop} ?v }} GROUP BY ?v", use_default_graph_as_union=True))

            _, sparql = timed(six, repeat=5)
            _, ours = timed(index.browse, "stances", filters, repeat=5)
            report["sparql"][name] = {"sparql_six_facets": percentiles(sparql),
                                      "index_page_and_six_facets": percentiles(ours)}
            print(f"facets of {name}: SPARQL (in-memory Oxigraph, loaded in {load:.1f} s), the "
                  f"six facet queries p50 {percentiles(sparql)['p50']:.1f} ms; the index, page "
                  f"and six facets p50 {percentiles(ours)['p50']:.1f} ms", flush=True)
    (work / "report.json").write_text(json.dumps(report, indent=1))
    print(f"report: {work / 'report.json'}")


if __name__ == "__main__":
    main()

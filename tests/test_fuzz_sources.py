"""The curated-sources loader under mutation: every broken file is a SourceError naming it.

The real sources (data/actors.yaml, data/facts/*.yaml, data/context.yaml) are mutated the way a
hand edit or a hostile contribution might: lines deleted, duplicated, swapped or re-indented,
the file truncated, values of the wrong type, random text and unicode, invalid UTF-8, YAML tags
(`!!python/object`), alias bombs, alias cycles and very deep nesting. Whatever comes out must load
or raise a KgpubError whose message names the file (and a line inside it), and `kgpub build` must
answer with a message and exit 1, never a traceback.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from kgpub.cli import main
from kgpub.errors import KgpubError, SourceError
from kgpub.model import Registry
from kgpub.sources import load_model, load_sources

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    str(p.relative_to(ROOT))
    for p in [ROOT / "data/actors.yaml", ROOT / "data/context.yaml",
              *(ROOT / "data/facts").glob("*.yaml")]
)
ORIGINAL = {rel: (ROOT / rel).read_text(encoding="utf-8") for rel in SOURCES}
FIXTURE_CHECK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def alias_bomb(levels: int, width: int) -> str:
    """A flow sequence whose anchors nest: `width ** levels` values from a few hundred bytes."""
    items = ["&b0 [" + ", ".join(["lol"] * width) + "]"]
    items += [f"&b{i} [" + ", ".join([f"*b{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "[" + ", ".join(items) + "]"


def deep_flow(depth: int, mapping: bool) -> str:
    return "{a: " * depth + "1" + "}" * depth if mapping else "[" * depth + "]" * depth


def deep_block(depth: int) -> str:
    return "\n".join("  " * i + "a:" for i in range(depth)) + " 1"


SNIPPETS = [
    "[]", "{}", "0", "-1", "3.5e300", ".nan", ".inf", "true", "null", "~", "''", "[a, b]",
    "{a: 1}", "2017-13-45", "2017-02-30", "1:20:30", "0x1F", "0o17", "+12_345",
    "!!python/object:os.system [echo pwned]", "!!python/object/apply:os.system [echo pwned]",
    "!!python/name:os.system", "!!binary ZZZ", "!!binary aGVsbG8=", "!!int abc", "!!float x",
    "!!bool maybe", "!!timestamp 2017-99-99", "!!set {a, b}", "!!omap [a]", "!!pairs [a]",
    "!!str {a: 1}", "!!map [a]", "!foo bar", "!<tag:example.org,2000:x> y",
    "&anchor value", "*undefined", "&c [*c]", "&m {k: *m}", "? [a, b]\n: c", "? {a: 1}\n: c",
    "<<: 1", "<<: *undefined", "9" * 5000, "'" + "x" * 100_000 + "'",
    "|\n  block", ">-\n  folded", "- - - -", ":", "- :", "'unterminated", '"unterminated',
    "{unclosed", "[unclosed", "@reserved", "`backtick", "%TAG ! tag:x,2000:", "---", "...",
    "\t", "#", "\ufeff", "\x85", "\u2028", "\x00", "\x1b", "\x7f", "é", "😀", "\U0010ffff",
    '"\\ud800"', '"\\x00"', "key: [1, *a]",
]

VALUES = st.one_of(
    st.sampled_from(SNIPPETS),
    # Small enough (at most 12 ** 5 values) to stay in memory should the bound ever regress;
    # the full-size bombs run in a subprocess with a memory limit (below).
    st.builds(alias_bomb, st.integers(2, 5), st.integers(2, 12)),
    st.builds(deep_flow, st.integers(1, 3000), st.booleans()),
    st.builds(deep_block, st.integers(1, 300)),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats().map(repr),
)
KEYS = st.one_of(
    st.sampled_from(["key", "type", "label", "id", "text", "evidence", "targets", "holder",
                     "stances", "quotes", "entities", "article", "facts", "context", "source",
                     "date_published", "function-after", "str", "<<", "1", "~", "? x"]),
    st.text(min_size=1, max_size=12),
)
OPS = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("swap"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("truncate"), st.integers(0, 10_000), st.integers(0, 200)),
    st.tuples(st.just("indent"), st.integers(0, 10_000), st.integers(-4, 4)),
    st.tuples(st.just("value"), st.integers(0, 10_000), VALUES),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.integers(0, 12), KEYS, VALUES),
    st.tuples(st.just("text"), st.integers(0, 10_000), st.integers(0, 200),
              st.text(min_size=1, max_size=20)),
    st.tuples(st.just("bytes"), st.integers(0, 10_000),
              st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                               b"\x00", b"\xef\xbb\xbf"])),
)


def mutate(text: str, ops: list[tuple]) -> bytes:
    """Apply each mutation to the lines of `text`; indices wrap around the current length."""
    lines = text.splitlines(keepends=True)
    raw_inserts = []
    for op in ops:
        kind, at = op[0], op[1] % max(len(lines), 1)
        if not lines:
            lines = [""]
        line = lines[at]
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, line)
        elif kind == "swap":
            other = op[2] % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "truncate":
            lines = lines[:at] + [line[:op[2]]]
        elif kind == "indent":
            lines[at] = " " * op[2] + line if op[2] >= 0 else line[min(-op[2], len(line)):]
        elif kind == "value":
            head, sep, _ = line.partition(": ")
            if not sep:
                head, sep, _ = line.partition("- ")
            lines[at] = f"{head}{sep or ' '}{op[2]}\n"
        elif kind == "insert":
            lines.insert(at, f"{' ' * op[2]}{op[3]}: {op[4]}\n")
        elif kind == "text":
            pos = op[2] % (len(line) + 1)
            lines[at] = line[:pos] + op[3] + line[pos:]
        elif kind == "bytes":
            raw_inserts.append((sum(len(x.encode()) for x in lines[:at]), op[2]))
    data = "".join(lines).encode("utf-8", errors="surrogatepass")
    for pos, blob in sorted(raw_inserts, reverse=True):
        data = data[:pos] + blob + data[pos:]
    return data


MUTATIONS = st.tuples(st.sampled_from(SOURCES), st.lists(OPS, min_size=1, max_size=3))


def check_error(exc: KgpubError, target: Path, data: bytes) -> None:
    """A clear error: it is a SourceError, and names the file and a line that exists."""
    message = str(exc)
    assert isinstance(exc, SourceError), repr(exc)
    assert str(target) in message, message
    assert "Traceback" not in message
    for problem in exc.problems:
        assert str(problem).startswith(str(problem.file)), problem
        assert Path(problem.file).resolve().is_relative_to(target.parents[2].resolve()), problem
        assert problem.message.strip(), problem
        if problem.line is not None:
            assert 1 <= problem.line <= data.count(b"\n") + 1, problem


HANG = 15
"""Seconds after which loading one mutated file counts as stuck (it takes well under one; a
loaded CI machine once took 5.1 s)."""


def write_mutation(project: Path, rel: str, ops: list[tuple]) -> tuple[Path, bytes]:
    note(f"{rel}: {ops!r}"[:3000])
    target = project / rel
    data = mutate(ORIGINAL[rel], ops)
    target.write_bytes(data)
    return target, data


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE_CHECK)
@given(MUTATIONS)
def test_mutated_sources_load_or_fail_clearly(real_project: Path, mutation) -> None:
    rel, ops = mutation
    target, data = write_mutation(real_project, rel, ops)
    started = time.monotonic()
    try:
        load_sources(real_project)
    except KgpubError as exc:
        check_error(exc, target, data)
    finally:
        target.write_text(ORIGINAL[rel], encoding="utf-8")
    assert time.monotonic() - started < HANG  # stopped, not stuck: speed is for bench/


# Each example is a whole build; the 150 of the test above reach the loaders far more cheaply.
@settings(max_examples=10, deadline=None, suppress_health_check=FIXTURE_CHECK)
@given(MUTATIONS)
def test_kgpub_build_on_mutated_sources_never_crashes(real_project: Path, mutation) -> None:
    rel, ops = mutation
    write_mutation(real_project, rel, ops)
    try:
        result = CliRunner().invoke(
            main, ["build", "--root", str(real_project), "--out", str(real_project / "out")])
    finally:
        (real_project / rel).write_text(ORIGINAL[rel], encoding="utf-8")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exc_info)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert result.output.startswith("error: "), result.output
        assert ("SHACL validation failed" in result.output
                or any(rel in result.output for rel in SOURCES)), result.output


# --- the named attacks, one by one ----------------------------------------------------------

ATTACKS = {
    "python object tag": "entities: !!python/object/apply:os.system [echo pwned]\n",
    "small alias bomb": "entities:\n  - key: a\n    type: Person\n    label: x\n"
                        f"    alt_labels: {alias_bomb(5, 12)}\n",
    "alias cycle": "entities: &a [*a]\n",
    "mapping cycle": "entities:\n  - &e {key: a, type: Person, label: x, labels: *e}\n",
    "deep flow nesting": "entities: " + deep_flow(100_000, False) + "\n",
    "deep mapping nesting": "entities: " + deep_flow(10_000, True) + "\n",
    "deep block nesting": "entities:\n" + deep_block(2_000) + "\n",
    "complex key": "entities:\n  - ? [a, b]\n    : c\n",
    "control character": "entities:\n  - key: a\x01\n",
    "huge integer": "entities:\n  - key: " + "9" * 5000 + "\n",
    "bad explicit bool": "entities: !!bool maybe\n",
    "bad explicit timestamp": "entities: !!timestamp 2017-99-99\n",
    "function-named key": "function-after: 1\nentities: []\n",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_named_yaml_attack_is_a_source_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / "actors.yaml"
    path.write_text(ATTACKS[name], encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(SourceError) as exc:
        load_model(path, Registry)
    assert time.monotonic() - started < HANG  # stopped, not stuck: speed is for bench/
    check_error(exc.value, path, ATTACKS[name].encode())
    assert all(p.line for p in exc.value.problems), str(exc.value)


def test_anchors_and_aliases_still_work(tmp_path: Path) -> None:
    """context.yaml shares citations through anchors; sharing within the budget is fine."""
    path = tmp_path / "actors.yaml"
    path.write_text("entities:\n  - {key: a, type: Person, label: &l Someone}\n"
                    "  - {key: b, type: Person, label: *l}\n", encoding="utf-8")
    registry, _ = load_model(path, Registry)
    assert [e.label for e in registry.entities] == ["Someone", "Someone"]


def test_unreadable_article_text_path(real_project: Path) -> None:
    rel = next(r for r in SOURCES if r.startswith("data/facts/"))
    target = real_project / rel
    for bad in ("'.'", "'a\\0b'", "'" + "x" * 5000 + "'"):
        text = ORIGINAL[rel]
        head, _, rest = text.partition("\n  text: ")
        target.write_text(head + "\n  text: " + bad + "\n" + rest.partition("\n")[2])
        with pytest.raises(SourceError) as exc:
            load_sources(real_project)
        assert "article.text" in str(exc.value) and str(target) in str(exc.value)


BOMBS = {
    "alias bomb": f"  - key: bomb\n    type: Person\n    label: x\n"
                  f"    alt_labels: {alias_bomb(10, 10)}\n",
    "merge-key bomb": "  - &m0 {key: bomb, type: Person, label: x}\n" + "".join(
        f"  - &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 10)}]}}\n" for i in range(1, 9)),
}


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_alias_bombs_through_the_cli_are_bounded(real_project: Path, bomb: str) -> None:
    """`kgpub build` in a subprocess with 2 GiB of address space: a clear error, quickly."""
    actors = real_project / "data/actors.yaml"
    actors.write_text(ORIGINAL["data/actors.yaml"].replace(
        "entities:\n", "entities:\n" + BOMBS[bomb], 1), encoding="utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "kgpub.cli", "build", "--root", str(real_project),
         "--out", str(real_project / "out")],
        capture_output=True, text=True, timeout=60, preexec_fn=limit,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert f"{actors}:" in output and "alias bomb" in output and "Traceback" not in output
    assert time.monotonic() - started < 30

"""Shared fixtures: the repository root, a copy of a small hand-written project, the real build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_project(dest: Path, data: Path) -> Path:
    """A project directory: the given data/ plus the repository's ontology/ and shapes/."""
    shutil.copytree(data, dest / "data")
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    shutil.copytree(ROOT / "shapes", dest / "shapes")
    return dest


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "mini", FIXTURES / "mini" / "data")


@pytest.fixture
def real_project(tmp_path: Path) -> Path:
    """A writable copy of the real sources (without the committed dumps)."""
    dest = tmp_path / "real"
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("ttl"))
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    shutil.copytree(ROOT / "shapes", dest / "shapes")
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The real dataset, built once per test session into a temporary directory."""
    from kgpub.pipeline import build

    out = tmp_path_factory.mktemp("dumps")
    result = build(ROOT, out)
    return out, result


@pytest.fixture(scope="session")
def store(built):
    from kgpub.query import load_store

    out, _ = built
    return load_store([out / "kgpub.nq"])

"""tools/fetch_yasgui.py: the pinned YASGUI tarball is installed only when its hash matches."""

from __future__ import annotations

import importlib.util
import io
import json
import tarfile
from pathlib import Path

import pytest
from conftest import ROOT


def _tool():
    spec = importlib.util.spec_from_file_location("fetch_yasgui", ROOT / "tools/fetch_yasgui.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tarball(path: Path, licence: str = "MIT") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in {"package/build/yasgui.min.js": b"var Yasgui = 1;",
                           "package/build/yasgui.min.css": b".yasgui {}",
                           "package/package.json": json.dumps(
                               {"name": "@zazuko/yasgui", "version": "9.9.9", "license": licence,
                                "author": "Someone"}).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_installs_a_matching_tarball_with_its_licence(tmp_path: Path) -> None:
    tool = _tool()
    data = _tarball(tmp_path / "y.tgz")
    dest = tmp_path / "static/vendor/yasgui"
    assert tool.fetch((tmp_path / "y.tgz").as_uri(), tool.integrity_of(data), dest, "9.9.9")
    assert (dest / "yasgui.min.js").read_bytes() == b"var Yasgui = 1;"
    assert "MIT" in (dest / "LICENSE.txt").read_text() and (dest / "package.json").exists()
    assert not tool.fetch((tmp_path / "y.tgz").as_uri(), tool.integrity_of(data), dest, "9.9.9")


def test_refuses_a_tarball_whose_hash_differs(tmp_path: Path) -> None:
    tool = _tool()
    _tarball(tmp_path / "y.tgz")
    dest = tmp_path / "static/vendor/yasgui"
    with pytest.raises(SystemExit, match="integrity"):
        tool.fetch((tmp_path / "y.tgz").as_uri(), tool.INTEGRITY, dest, "9.9.9")
    assert not dest.exists()


def test_the_pin_is_the_registry_s_format() -> None:
    tool = _tool()
    assert tool.INTEGRITY.startswith("sha512-") and tool.VERSION in tool.TARBALL

"""The settings table drives `kgpub serve --help` and the README; a test keeps them in step."""

from __future__ import annotations

from dataclasses import fields

from click.testing import CliRunner
from conftest import ROOT

from kgpub.cli import main
from kgpub.web.settings import ServeSettings, setting_help


def test_every_setting_is_an_option_and_documented() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    for f in fields(ServeSettings):
        option = "--" + f.name.replace("_", "-")
        assert option in result.output, option
        assert f"`{option}" in readme, f"{option} is not in the README's settings table"
        if f.name != "base_iri":
            assert f"`{option}`" in security, f"{option} is not in SECURITY.md's limits table"
        assert setting_help()[f.name]


def test_serve_refuses_missing_data_file(tmp_path) -> None:
    result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 2
    assert "nope.ttl" in result.output and "no such file" in result.output

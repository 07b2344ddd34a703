"""The HTTP layer only reads what the build produced: it never imports the conversion side."""

from __future__ import annotations

import subprocess
import sys

CONVERSION = ("kgpub.convert", "kgpub.sources", "kgpub.model", "kgpub.validate",
              "kgpub.reasoning", "kgpub.sparql_constraints", "pyshacl", "owlready2")


def test_web_app_does_not_import_conversion_or_validation() -> None:
    code = ("import sys, kgpub.web.app, kgpub.web.worker; "
            "print('\\n'.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())
    assert not loaded & set(CONVERSION), loaded & set(CONVERSION)


def test_worker_imports_only_pyoxigraph_and_the_standard_library() -> None:
    code = "import sys, kgpub.web.worker; print('\\n'.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())
    assert not {m for m in loaded if m.split(".")[0] in ("rdflib", "starlette", "click")}

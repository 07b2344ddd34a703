"""Fetch the pinned YASGUI release from the npm registry into the package's static folder.

YASGUI (the SPARQL editor and result viewer that Oxigraph's and Fuseki's own pages embed) is a
dependency, not code in this repository: `make` runs this script, which downloads one pinned
tarball, checks it against the sha512 integrity the registry publishes for it (pinned below), and
keeps the bundle, its stylesheet, its package.json and its licence in
src/kgpub/static/vendor/yasgui/ (git-ignored; wheels built afterwards carry it). Standard library
only; no npm. Without the bundle the query page falls back to its plain editor.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
VERSION = "4.6.2"
TARBALL = "https://registry.npmjs.org/@zazuko/yasgui/-/yasgui-4.6.2.tgz"
INTEGRITY = ("sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6B"
             "kSZV2vUuQw==")
FILES = {"package/build/yasgui.min.js": "yasgui.min.js",
         "package/build/yasgui.min.css": "yasgui.min.css",
         "package/package.json": "package.json"}
DEST = Path(__file__).resolve().parents[1] / "src/kgpub/static/vendor/yasgui"
MIT = """\
{name} {version}, from the npm registry ({tarball}).

Its package.json declares the MIT licence ("license": "MIT"; author: {author}; contributors:
{contributors}). The package ships no licence file; this is the text of the MIT licence
(https://spdx.org/licenses/MIT.html) it names.

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def fetch(url: str, integrity: str, dest: Path, version: str = VERSION) -> bool:
    """Install the release into `dest`; False (and nothing written) when it is already there."""
    stamp = dest / "VERSION"
    if stamp.exists() and stamp.read_text().strip() == version and \
            all((dest / name).exists() for name in FILES.values()):
        return False
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - a pinned URL
        data = response.read()
    if integrity_of(data) != integrity:
        raise SystemExit(f"error: {url}: integrity {integrity_of(data)} is not the pinned "
                         f"{integrity}; nothing was installed")
    staging = Path(tempfile.mkdtemp(prefix=".yasgui-", dir=dest.parent if dest.parent.exists()
                                    else None))
    staging.chmod(0o755)  # mkdtemp makes it owner-only; the server and wheels must read it
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member, name in FILES.items():
                source = tar.extractfile(member)  # only these names: no path from the archive
                if source is None:
                    raise SystemExit(f"error: {url}: {member} is missing from the tarball")
                (staging / name).write_bytes(source.read())
        meta = json.loads((staging / "package.json").read_text(encoding="utf-8"))
        contributors = ", ".join(c.get("name", str(c)) if isinstance(c, dict) else str(c)
                                 for c in meta.get("contributors", [])) or "none named"
        if meta.get("license") != "MIT":
            raise SystemExit(f"error: {url}: licence {meta.get('license')!r}, not MIT as pinned")
        (staging / "LICENSE.txt").write_text(MIT.format(
            name=meta["name"], version=meta["version"], tarball=url, author=meta.get("author"),
            contributors=contributors), encoding="utf-8")
        (staging / "VERSION").write_text(version + "\n")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=TARBALL)
    parser.add_argument("--integrity", default=INTEGRITY)
    parser.add_argument("--dest", type=Path, default=DEST)
    args = parser.parse_args()
    if fetch(args.url, args.integrity, args.dest):
        print(f"installed {PACKAGE} {VERSION} into {args.dest}", file=sys.stderr)


if __name__ == "__main__":
    main()

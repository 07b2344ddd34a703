"""The one build step pyproject.toml cannot declare: kgpub's resources into the package.

The ontology, vocabularies (and the lexicons of `kgpub draft`), shapes and competency queries
are maintained in the repository's top-level ontology/, shapes/ and queries/ (the design
requires them there). A wheel must carry them, so the build copies them into the package as
kgpub/resources/{ontology,shapes,queries}/,
where kgpub finds them with importlib.resources (src/kgpub/project.py). There is only ever one
copy in the repository; an editable install has none and reads the top-level directories.
An sdist carries the top-level directories (MANIFEST.in), so a wheel built from it has them too.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
RESOURCES = ("ontology/*.ttl", "ontology/draft/*.ttl", "ontology/draft/*.tsv", "shapes/*.ttl",
             "queries/*.rq")


class BuildWithResources(build_py):
    """build_py, then the resource files copied into the package being built."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the top-level directories themselves
        for pattern in RESOURCES:
            files = sorted(HERE.glob(pattern))
            if not files:
                raise SystemExit(f"error: {HERE}: no {pattern} files to package")
            for source in files:
                target = Path(self.build_lib, "kgpub", "resources", source.relative_to(HERE))
                self.mkpath(str(target.parent))
                self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildWithResources})

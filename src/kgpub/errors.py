"""Errors that reach the user: each says where (file, line, field or IRI), what, and how to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class KgpubError(Exception):
    """Base of every error the CLI turns into a message and an exit code."""

    exit_code = 1


@dataclass
class SourceProblem:
    file: Path | str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class SourceError(KgpubError):
    """One or more problems in the curated sources; nothing is written when this is raised."""

    def __init__(self, problems: list[SourceProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnreadableInput(KgpubError):
    """An RDF file that cannot be parsed (exit 2, as `kgpub validate` promises)."""

    exit_code = 2


class NotOurFile(KgpubError):
    """A build would replace a file that kgpub cannot prove it wrote; nothing is written."""

    exit_code = 2


class ValidationFailed(KgpubError):
    """The SHACL gate refused the graph; the report is attached for printing."""

    def __init__(self, report_text: str):
        self.report_text = report_text
        super().__init__("SHACL validation failed; no dumps were written\n" + report_text)


class ReasonerUnavailable(KgpubError):
    """Java (needed by HermiT) is missing or failed to start."""

    exit_code = 3


class Inconsistent(KgpubError):
    """The reasoner found the ontology plus data inconsistent."""

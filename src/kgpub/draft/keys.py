"""Keys and refs in the form the registry requires: lower-case ASCII words joined by hyphens."""

from __future__ import annotations

import re
import unicodedata


def kebab(text: str, limit: int = 60) -> str:
    """ "Marta Ibáñez" -> "marta-ibanez"; never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    key = ""
    for word in words:
        candidate = f"{key}-{word}" if key else word
        if len(candidate) > limit:
            break
        key = candidate
    return key or "x"


def unique(key: str, taken: set[str]) -> str:
    """`key`, or `key-2`, `key-3`... whichever is free; the result is added to `taken`."""
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}-{n}", n + 1
    taken.add(candidate)
    return candidate

"""Run `kgpub build` and SIGKILL it at an exact point of publishing (used by test_faults.py).

    python kill_at.py write N  kgpub-args...   die inside the N-th write to a temporary file
    python kill_at.py rename N kgpub-args...   die right after the N-th rename over a dump

Timed kills land wherever the clock says; these land exactly where a crash is most harmful:
half-way through a temporary file, and between two renames of the publishing loop.
"""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    phase, n = sys.argv[1], int(sys.argv[2])
    del sys.argv[1:3]
    import kgpub.outputs as outputs
    from kgpub.builder.cache import CACHE_NAME
    from kgpub.cli import main as cli

    seen = 0

    def hit() -> None:
        nonlocal seen
        seen += 1
        if seen == n:
            os.kill(os.getpid(), signal.SIGKILL)

    if phase == "write":
        write = outputs._HashingWriter.write

        def dying_write(self, data: bytes) -> int:  # type: ignore[no-untyped-def]
            done = write(self, data[: len(data) // 2])
            self.fh.flush()
            hit()
            return done + write(self, data[len(data) // 2:])

        outputs._HashingWriter.write = dying_write  # type: ignore[method-assign]
    elif phase == "rename":
        replace = os.replace

        def dying_replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
            replace(src, dst, *args, **kwargs)
            path = os.fspath(dst)
            if not os.path.basename(path).startswith(".") and CACHE_NAME not in path:
                hit()  # a dump: not the manifest, not the build cache

        os.replace = dying_replace
    else:
        raise SystemExit(f"unknown phase {phase!r}")
    cli(prog_name="kgpub")


if __name__ == "__main__":
    main()

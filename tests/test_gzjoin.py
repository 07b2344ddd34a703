"""Joining separately compressed pieces into one gzip member (what the .gz dumps are)."""

from __future__ import annotations

import gzip
import io
import random
import zlib

from kgpub.gzjoin import GzipJoiner, compress_piece, crc32_combine, join_pieces


def test_crc32_combine_equals_the_crc_of_the_concatenation() -> None:
    rng = random.Random(7)
    for size_a, size_b in [(0, 0), (0, 5), (5, 0), (1, 1), (255, 256), (4096, 70000),
                           *((rng.randrange(3000), rng.randrange(3000)) for _ in range(200))]:
        a, b = rng.randbytes(size_a), rng.randbytes(size_b)
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_joined_pieces_are_one_member_a_single_member_decoder_reads_whole() -> None:
    rng = random.Random(3)
    parts = [rng.randbytes(rng.randrange(400)) * rng.randrange(1, 30) for _ in range(40)]
    out = io.BytesIO()
    joiner = GzipJoiner(out)
    joiner.add(join_pieces([compress_piece(p) for p in parts[:15]]))  # a cached entry
    for part in parts[15:]:
        piece = compress_piece(part)
        out.write(piece.data)  # streamed by the caller
        joiner.add_written(piece.crc, piece.size)
    joiner.close()
    data = out.getvalue()
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)  # what HTTP clients use: one member
    assert decoder.decompress(data) == b"".join(parts)
    assert decoder.eof and not decoder.unused_data
    assert gzip.decompress(data) == b"".join(parts)  # and its trailer (CRC, length) is right

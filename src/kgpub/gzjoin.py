"""One gzip member from pieces compressed apart, so a build can join cached pieces without
compressing the corpus again.

Concatenated gzip *members* are a valid .gz file, but many HTTP clients (httpx among them) stop
after the first member when they decode `Content-Encoding: gzip`, and the server hands out the
.gz dumps that way. So each piece is a raw deflate stream ended by a sync flush (byte-aligned,
no final block): such pieces concatenate into one deflate stream. The joined file is one
member: a header, the pieces, an empty final block, then the CRC-32 of the whole uncompressed
content, combined from the pieces' own CRCs (`crc32_combine`), and its length.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO

HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time stamp
FINAL_BLOCK = b"\x03\x00"  # an empty fixed-Huffman block with BFINAL set
LEVEL = 6


@dataclass(frozen=True)
class Piece:
    """A raw deflate piece and what the trailer needs of its uncompressed content."""

    data: bytes
    crc: int
    size: int


def compress_piece(data: bytes, level: int = LEVEL) -> Piece:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Piece(compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH),
                 zlib.crc32(data), len(data))


def join_pieces(pieces: list[Piece]) -> Piece:
    """Pieces concatenated: still a piece (for a cache entry holding several graphs)."""
    crc, size = 0, 0
    for p in pieces:
        crc, size = crc32_combine(crc, p.crc, p.size), size + p.size
    return Piece(b"".join(p.data for p in pieces), crc, size)


class GzipJoiner:
    """Writes one gzip member to `out` from pieces given in order."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.crc, self.size = out, 0, 0
        out.write(HEADER)

    def add(self, piece: Piece) -> None:
        self.out.write(piece.data)
        self.add_written(piece.crc, piece.size)

    def add_written(self, crc: int, size: int) -> None:
        """Account for a piece whose bytes the caller wrote to `out` itself (streamed)."""
        self.crc = crc32_combine(self.crc, crc, size)
        self.size += size

    def close(self) -> None:
        self.out.write(trailer(self.crc, self.size))


def trailer(crc: int, size: int) -> bytes:
    """What ends the member: the empty final block, the CRC-32 and the length (mod 2^32) of
    the whole uncompressed content."""
    return FINAL_BLOCK + struct.pack("<II", crc, size & 0xFFFFFFFF)


# CRC-32 of A+B from crc(A), crc(B) and len(B): crc(A) is carried through len(B) zero bytes by
# the linear operator "multiply by x^(8*len(B)) mod P" over GF(2), then XORed with crc(B).
# The operators for 2^k bytes are squares of one another; each is kept as four 256-entry tables
# (one per byte of the register), so applying one costs four look-ups.

_POLY = 0xEDB88320


def _apply(matrix: list[int], vector: int) -> int:
    result, i = 0, 0
    while vector:
        if vector & 1:
            result ^= matrix[i]
        vector >>= 1
        i += 1
    return result


def _square(matrix: list[int]) -> list[int]:
    return [_apply(matrix, column) for column in matrix]


def _tables(matrix: list[int]) -> tuple[list[int], ...]:
    return tuple([_apply(matrix, b << (8 * k)) for b in range(256)] for k in range(4))


def _operators(count: int = 48) -> list[tuple[list[int], ...]]:
    """Operators for 1, 2, 4, … 2^(count-1) zero bytes, as look-up tables."""
    one_bit = [_POLY] + [1 << n for n in range(31)]  # the register shifted by one zero bit
    op = _square(_square(_square(one_bit)))  # eight bits: one zero byte
    ops = []
    for _ in range(count):
        ops.append(_tables(op))
        op = _square(op)
    return ops


_OPS: list[tuple[list[int], ...]] | None = None


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A+B, given crc1 = crc32(A), crc2 = crc32(B) and len2 = len(B)."""
    global _OPS
    if len2 <= 0:
        return crc1
    if _OPS is None:
        _OPS = _operators()
    k = 0
    while len2:
        if len2 & 1:
            t = _OPS[k]
            crc1 = (t[0][crc1 & 0xFF] ^ t[1][(crc1 >> 8) & 0xFF] ^ t[2][(crc1 >> 16) & 0xFF]
                    ^ t[3][crc1 >> 24])
        len2 >>= 1
        k += 1
    return crc1 ^ crc2

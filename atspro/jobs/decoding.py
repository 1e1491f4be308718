"""Bounded decoding of a response body's Content-Encoding.

httpx decodes a whole network chunk in one call and the chain of codings a server names,
so a 64 KiB gzip chunk can become 64 MB before any size check runs, and ``gzip, gzip``
multiplies that again. Here the body is read raw and decoded by one zlib object with an
output limit per call: no call yields more than ``piece_bytes``, and the decoder refuses as
soon as the total passes ``max_bytes`` or the output outgrows the input by more than
``max_ratio``. Invariant: ``produced <= max_bytes + piece_bytes`` at any time.

Only identity, gzip and deflate are accepted (and asked for in ``Accept-Encoding``);
stacked codings and anything else are refused before the body is read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

ACCEPT_ENCODING = "gzip, deflate"
PIECE_BYTES = 64 * 1024
# Below this much output the ratio is not checked: small pages legitimately compress well.
RATIO_FLOOR_BYTES = 1024 * 1024
_ALIASES = {"x-gzip": "gzip"}
_CODINGS = frozenset({"identity", "gzip", "deflate"})


class EncodingRefused(Exception):
    """The Content-Encoding is stacked or unknown; ``detail`` says which."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BodyTooLarge(Exception):
    """The decoded body passed the byte cap, or the ratio limit when ``by_ratio``."""

    def __init__(self, detail: str, *, by_ratio: bool = False) -> None:
        super().__init__(detail)
        self.by_ratio = by_ratio


class CorruptBody(Exception):
    """The body is not valid data for its declared coding."""


def content_coding(header: str) -> str:
    """The single coding named by a Content-Encoding header; EncodingRefused otherwise."""
    names = [_ALIASES.get(n, n) for n in (p.strip().lower() for p in header.split(",")) if n]
    codings = [n for n in names if n != "identity"]
    unknown = [n for n in codings if n not in _CODINGS]
    if unknown:
        raise EncodingRefused(f"unsupported content encoding {', '.join(unknown)!s}")
    if len(codings) > 1:
        raise EncodingRefused(f"stacked content encodings ({', '.join(codings)})")
    return codings[0] if codings else "identity"


class BoundedDecoder:
    """Decodes one body incrementally; ``feed`` and ``flush`` yield pieces of bounded size."""

    def __init__(
        self,
        coding: str,
        *,
        max_bytes: int,
        max_ratio: float,
        piece_bytes: int = PIECE_BYTES,
    ) -> None:
        self.coding = coding
        self.max_bytes = max_bytes
        self.max_ratio = max_ratio
        self.piece_bytes = piece_bytes
        self.consumed = 0
        self.produced = 0
        self.largest_piece = 0
        self._zlib = self._new_zlib(coding)
        self._first = True

    @staticmethod
    def _new_zlib(coding: str, *, raw: bool = False) -> zlib._Decompress | None:
        if coding == "gzip":
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        if coding == "deflate":
            return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        return None

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decode ``data`` (raw bytes off the wire) into pieces of at most ``piece_bytes``."""
        if self._zlib is None:
            self.consumed += len(data)
            yield from self._emit_slices(data)
            return
        if self._first and data:
            self._first = False
            wrapped = len(data) > 1 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            if self.coding == "deflate" and not wrapped:
                # "deflate" is meant to be zlib-wrapped, but many servers send raw deflate.
                self._zlib = self._new_zlib("deflate", raw=True)
        yield from self._inflate(data)

    def flush(self) -> Iterator[bytes]:
        """Yield what the decoder still holds; CorruptBody when the stream was cut short."""
        if self._zlib is None:
            return
        yield from self._inflate(b"")
        if self.coding == "gzip" and not self._zlib.eof and self.consumed:
            raise CorruptBody("truncated gzip stream")

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        inflater = self._zlib
        assert inflater is not None
        pending = data
        while True:
            try:
                piece = inflater.decompress(pending, self.piece_bytes)
            except zlib.error as exc:
                raise CorruptBody(str(exc)) from exc
            # Input zlib actually used, so the ratio compares like with like.
            self.consumed += len(pending) - len(inflater.unconsumed_tail)
            pending = inflater.unconsumed_tail
            if piece:
                yield self._count(piece)
            rest = inflater.unused_data
            if inflater.eof and self.coding == "gzip" and rest.startswith(b"\x1f\x8b"):
                # Another gzip member follows (concatenated gzip is valid); same limits.
                self.consumed -= len(rest)
                pending = rest + pending
                inflater = self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
                continue
            # An empty piece with no input left means zlib holds nothing more for now.
            if not piece and not pending:
                return

    def _emit_slices(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), self.piece_bytes):
            yield self._count(data[start : start + self.piece_bytes])

    def _count(self, piece: bytes) -> bytes:
        self.produced += len(piece)
        self.largest_piece = max(self.largest_piece, len(piece))
        if self.produced > self.max_bytes:
            raise BodyTooLarge(f"decoded body passed {self.max_bytes} bytes")
        ratio = self.produced / max(self.consumed, 1)
        if self.produced > RATIO_FLOOR_BYTES and ratio > self.max_ratio:
            raise BodyTooLarge(
                f"decoded body is more than {self.max_ratio:g} times its compressed size",
                by_ratio=True,
            )
        return piece

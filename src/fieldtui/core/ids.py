"""Record ids: UUIDv7-style (RFC 9562) text, unique across laptops and ordered by creation time.

Time-ordered keys keep inserts near the end of SQLite's key B-tree (see PERF-NOTES: random UUIDs
scatter writes during merges). Python 3.11 has no uuid.uuid7, hence these few lines.
"""

from __future__ import annotations

import os
import time
import uuid


def new_id(ms: int | None = None, rand: bytes | None = None) -> str:
    """A UUIDv7 string; `ms` and `rand` (10 bytes) may be given for reproducible sample data."""
    ms = time.time_ns() // 1_000_000 if ms is None else ms
    rand = os.urandom(10) if rand is None else rand
    raw = bytearray(ms.to_bytes(6, "big") + rand)
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(raw)))

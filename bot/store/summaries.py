"""The ``file_summaries`` table: the project model's per-blob file summaries.

A summary depends only on a blob's content, so rows are written once and never updated;
concurrent workers writing the same blob are harmless (the second insert is skipped).
A row that cannot be decoded (another summary format) is treated as missing.

The table is a cache: when the database is away (issue 17 #21) reads find nothing and
writes are dropped, so the model is built from the blobs themselves and the review is the
same, only slower. Whether the job can go on is for the lease and the store to say.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from bot.analysis import FileSummary
from bot.analysis.summary import SUMMARY_VERSION
from bot.store.outage import UNAVAILABLE
from bot.store.schema import FileSummaryModel

__all__ = ["SummaryTable"]

_T = FileSummaryModel.__table__  # a Table at run time
_INSERT = insert(FileSummaryModel)
_CHUNK = 500


class SummaryTable:
    """Read and write summaries by blob id in the store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get_many(self, keys: Sequence[str]) -> dict[str, FileSummary]:
        out: dict[str, FileSummary] = {}
        with contextlib.suppress(*UNAVAILABLE):  # a cache: what was not read is parsed again
            self._read_into(out, keys)
        return out

    def _read_into(self, out: dict[str, FileSummary], keys: Sequence[str]) -> None:
        with self.engine.connect() as conn:
            for start in range(0, len(keys), _CHUNK):
                chunk = list(keys[start : start + _CHUNK])
                rows = conn.execute(
                    select(_T.c.blob_id, _T.c.data).where(
                        _T.c.blob_id.in_(chunk), _T.c.version == SUMMARY_VERSION
                    )
                )
                for blob, data in rows:
                    try:
                        out[blob] = FileSummary.loads(data)
                    except (ValueError, KeyError, TypeError):
                        continue

    def put_many(self, items: Mapping[str, FileSummary]) -> None:
        with contextlib.suppress(*UNAVAILABLE):  # a cache: computed again next time
            self._write(items)

    def _write(self, items: Mapping[str, FileSummary]) -> None:
        if not items:
            return
        keys = list(items)
        present: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                query = select(_T.c.blob_id).where(
                    _T.c.blob_id.in_(chunk), _T.c.version == SUMMARY_VERSION
                )
                present.update(conn.execute(query).scalars())
        now = datetime.now(UTC)
        rows = [
            {"blob_id": k, "version": SUMMARY_VERSION, "data": v.dumps(), "created_at": now}
            for k, v in items.items()
            if k not in present
        ]
        if not rows:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(_INSERT, rows)
        except IntegrityError:  # another worker wrote some of them meanwhile: one by one
            for row in rows:
                try:
                    with self.engine.begin() as conn:
                        conn.execute(_INSERT, [row])
                except IntegrityError:
                    continue

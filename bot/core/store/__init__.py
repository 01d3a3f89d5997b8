"""The corpus store: what is derived from each document, kept on disk and reused (see
:mod:`bot.core.store.corpus`); its file format (:mod:`.records`) and JSON forms (:mod:`.codec`).

Private modules, one job each: :mod:`._disk` (records, keys, file hashes), :mod:`._files`
(the corpus read file by file), :mod:`._derived` (quotes and summaries per document),
:mod:`._index` (the search index), :mod:`._pool` (worker processes), :mod:`._clean`."""

from bot.core.store.corpus import GRACE_SECONDS, CorpusStore, Progress, StoreReport, code_version
from bot.core.store.records import StoreDamaged

__all__ = [
    "GRACE_SECONDS",
    "CorpusStore",
    "Progress",
    "StoreDamaged",
    "StoreReport",
    "code_version",
]

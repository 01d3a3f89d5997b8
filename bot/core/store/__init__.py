"""The corpus store: what is derived from each document, kept on disk and reused (see
:mod:`bot.core.store.corpus`); its file format (:mod:`.records`) and JSON forms (:mod:`.codec`)."""

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

"""The one object the bot, the console and the CLI ask: a loaded corpus with its indexes.

``Library.build(corpus)`` does all the slow work once (search index, quote ranking); afterwards
every method is a cheap, thread-safe read, so cogs can run them in a worker thread and answer
within Discord's deadline. Each method is exactly the "one core call" a command makes.

``Library(corpus)`` builds each part on first use instead, which suits one-shot CLI commands (a
search need not rank quotes). With ``index_cache`` set, the search index is saved next to the
corpus and reused while the corpus is unchanged (see :meth:`SearchIndex.load`); a damaged cache
file is logged as a warning and rebuilt.

The package: :mod:`._library` (:class:`Library`: building, commands, sources, a server's choice)
and :mod:`._names` (document names as users type them, and their autocomplete).
"""

from bot.core.library._library import Library
from bot.core.library._names import name_key

__all__ = ["Library", "name_key"]

"""One cog per feature. Each command parses the interaction, makes one core call, renders, sends."""

#: Extensions loaded by :class:`bot.client.CorpusBot` in ``setup_hook``, in this order.
EXTENSIONS: tuple[str, ...] = (
    "cogs.quotes",
    "cogs.search",
    "cogs.summary",
    "cogs.sources",
    "cogs.documents",
    "cogs.daily",
    "cogs.admin",
    "cogs.where_from",
    "cogs.cards",
    "cogs.reading",
)

"""The daily-post scheduler: one loop per process that posts each guild's quote once a day.

The arithmetic (which local date is due, when to wake up) is in :mod:`bot.core.daily`; the state
(schedules, claims, statuses) in :mod:`bot.storage`; Discord is reached only through the ``send``
callback the daily cog provides, so this module never imports discord and runs in tests with a
fake clock, a fake ``sleep`` and a fake ``send``.

One pass (:meth:`DailyScheduler.run_once`), per enabled schedule, one guild after another:

1. Skip the guild while it is cooling down after a failed pass (in memory, per process).
2. If its latest post row is ``pending`` and not in flight in this process (the process died
   between send and record, a send's outcome was unknown, or another process is sending right
   now): resend with the *stored nonce* to the *channel stored with the claim* (Discord
   deduplicates a nonce only within one channel, so a ``/daily now`` elsewhere or a ``/daily
   set`` since the claim must not redirect it) while Discord still deduplicates it
   (``nonce_window``, default 2 minutes, measured from the claim; discord.py sends
   ``enforce_nonce`` with every nonce), else mark it ``unknown`` and never resend (at most once).
3. :func:`~bot.core.daily.due_post` decides whether a local date is due (grace window).
4. Mark ``(guild, date)`` in flight, pick the quote (:func:`~bot.core.daily.pick_for_date` over
   the guild's permutation and the keys already used in the current cycle), claim
   ``(guild, date)`` atomically in storage, send. The in-flight mark is set before the claim
   and cleared after the outcome is recorded, so a concurrent pass (or ``/daily now``) in this
   process never sends the same date twice.
5. Record the outcome:

   * ``sent``.
   * Definite 429/5xx (Discord answered; no message was created) are retried within the pass
     with capped exponential backoff and jitter ("equal jitter", M. Brooker, *Exponential
     Backoff And Jitter*, AWS Architecture Blog, 2015), honouring ``retry_after``; when a pass's
     attempts run out the date is left in ``retry`` and claimed again after a cool-down, at most
     ``max_claims`` times and only within the grace window.
   * A send that provably never reached Discord (connection refused, DNS failure: *unreached*)
     releases the claim (no message exists) and holds every guild back for a few seconds,
     doubling per failure up to a minute; the date is claimed again after that, for as long as
     the grace window lasts, so a network outage of minutes or hours delays the post instead
     of losing it.
   * An *unknown* outcome (timeout, lost connection: the message may exist) is retried with the
     same nonce only while ``now - claimed_at <= nonce_window``; the row stays ``pending``
     meanwhile, and once the window is over it becomes ``unknown`` and is never resent. After an
     unknown attempt, or on the resend of a ``pending`` claim, a 429/5xx counts as unknown too
     (it proves nothing about the earlier attempt). So, as long as Discord deduplicates a nonce
     for at least ``nonce_window`` and a 429/5xx means no message was created, a post appears
     at most once: it may be lost, never doubled.
   * 403 pauses the guild (status names the missing permission; the next day is attempted
     again); a channel the ``send`` callback knows to belong to another guild is not sent to
     (status ``wrong_guild`` with that guild's id, an error logged; the next day is attempted
     again); 404 (channel deleted) records the status and disables the schedule until it is set
     again; any other definite error fails the date.
   * In a channel other than the schedule's (``/daily now`` elsewhere, or a schedule moved
     since the claim), a definite 403/404/400 releases the claim instead
     (:meth:`~bot.storage.Storage.release_post`; ``unknown`` if an earlier attempt's outcome is
     unknown) and changes neither the guild's status nor its schedule: the scheduled post in
     the schedule's channel still happens.

   Any exception is logged with guild and channel and never stops the other guilds or the
   loop; the claim stays ``pending`` (outcome unknown, see step 2).

The loop (:meth:`DailyScheduler.run`) sleeps until :func:`~bot.core.daily.next_wakeup`, capped
at ``max_sleep`` (60 s) so schedule changes made by ``/daily set`` are seen within a minute.
:meth:`DailyScheduler.start` is idempotent: call it from ``setup_hook`` or a cog's ``cog_load``
(never needs ``on_ready``; a second call returns the running task).
"""

from __future__ import annotations

from bot.scheduler._results import (
    STATUS_CHANNEL_MISSING,
    STATUS_FAILING,
    STATUS_NO_QUOTES,
    STATUS_OK,
    STATUS_PAUSED,
    STATUS_WRONG_GUILD,
    PostOutcome,
    PostResult,
    QuoteOrder,
    SendCallback,
    SendKind,
    SendResult,
)
from bot.scheduler._scheduler import DailyScheduler

__all__ = [
    "STATUS_CHANNEL_MISSING",
    "STATUS_FAILING",
    "STATUS_NO_QUOTES",
    "STATUS_OK",
    "STATUS_PAUSED",
    "STATUS_WRONG_GUILD",
    "DailyScheduler",
    "PostOutcome",
    "PostResult",
    "QuoteOrder",
    "SendCallback",
    "SendKind",
    "SendResult",
]

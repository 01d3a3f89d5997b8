"""/daily: schedules, next send times as Discord timestamps, guild statuses and the
answers of /daily set, show, now, off and preview.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.daily import DailySchedule, next_send_times, zone_offset_label, zone_offset_note
from bot.render._limits import MESSAGE_LIMIT, escape, shorten
from bot.render._replies import Reply, user_error
from bot.scheduler import (
    STATUS_CHANNEL_MISSING,
    STATUS_FAILING,
    STATUS_NO_QUOTES,
    STATUS_OK,
    STATUS_PAUSED,
    STATUS_WRONG_GUILD,
    PostOutcome,
    PostResult,
)
from bot.storage import GuildStatus, PostRecord, ScheduleRecord


def discord_timestamps(instants: Sequence[datetime]) -> str:
    """``<t:…:F>`` markers, which every reader's client shows in their own time zone."""
    return ", ".join(f"<t:{int(t.timestamp())}:F>" for t in instants)


def _zone_words(zone: str) -> str:
    """``"Europe/Berlin"`` as it is; an ``Etc/GMT±N`` zone with its real offset first."""
    offset = zone_offset_label(zone)
    return f"{offset}, {zone}" if offset and offset != "UTC" else zone


def describe_schedule(schedule: DailySchedule) -> str:
    """One line: when, where, who is mentioned."""
    line = (
        f"every day at {schedule.time.strftime('%H:%M')} ({_zone_words(schedule.timezone)}) "
        f"in <#{schedule.channel_id}>"
    )
    if schedule.mention_role_id:
        line += f", mentioning <@&{schedule.mention_role_id}>"
    return line


def status_text(status: GuildStatus) -> str:
    """The guild's daily-post status in words (``/daily show``), from its code and facts.

    A status written before storage schema 2 has no channel and a sentence as its detail: that
    sentence is returned as it is.
    """
    if status.channel_id is None or status.local_date is None:
        return status.detail
    channel, day = f"<#{status.channel_id}>", status.local_date.isoformat()
    if status.status == STATUS_OK:
        return f"posted the quote of {day} in {channel}"
    if status.status == STATUS_PAUSED:
        return f"the bot lost {status.detail or 'Send Messages'} in {channel} on {day}"
    if status.status == STATUS_CHANNEL_MISSING:
        return (
            f"channel {channel} was deleted or hidden from the bot on {day}; "
            "set the daily post again with /daily set"
        )
    if status.status == STATUS_FAILING:
        return (
            f"Discord kept failing ({status.detail}) for the post of {day} in {channel}; "
            "the next day is tried again"
        )
    if status.status == STATUS_NO_QUOTES:
        return f"no quote could be chosen for {day}: {status.detail}"
    if status.status == STATUS_WRONG_GUILD:
        return (
            f"the post of {day} was not sent: channel {status.channel_id} belongs to another "
            f"server (guild {status.detail}), not this one. Choose a channel of this server with "
            "/daily set, or fix daily[].channel_id in the bot's config file"
        )
    return status.detail or status.status.replace("_", " ")


def show_text(
    record: ScheduleRecord | None,
    status: GuildStatus | None,
    last: PostRecord | None,
    now: datetime,
    removed: Sequence[str] = (),
) -> str:
    """The ``/daily show`` answer; ``removed``: the schedule's documents no longer in the
    corpus (a reload took them away), noted so the server knows why they are not posted."""
    if record is None:
        return "No daily quote is set for this server. Set one with `/daily set`."
    lines = [f"Daily quote: {describe_schedule(record.schedule)}."]
    if record.enabled:
        lines.append(f"Next posts: {discord_timestamps(next_send_times(record.schedule, now))}.")
    else:
        lines.append("It is **off**. Turn it on again with `/daily set`.")
    if record.source == "config":
        lines.append("This schedule comes from the bot's config file.")
    if last is not None:
        lines.append(f"Last post: {last.local_date.isoformat()} ({last.status.value}).")
    if status is not None and status.status != STATUS_OK:
        lines.append(f"**{status.status.replace('_', ' ')}**: {status_text(status)}")
    if removed:
        names = ", ".join(f"`{escape(d)}`" for d in removed)
        lines.append(
            f"No longer in the corpus, so left out of the daily post: {names}. Choose the "
            "documents again with `/daily set`."
        )
    return "\n".join(lines)


_SENT_NOW = "Posted today's quote here. The scheduled post resumes tomorrow."
_BEING_POSTED = "Today's quote is being posted in {where} right now."
_UNKNOWN_NOW = (
    "I cannot tell whether today's quote reached {where}{why}. It is not sent again, "
    "so it appears at most once; the next post is tomorrow's."
)
_FAILED_NOW = "Today's quote could not be posted{why}, and it is not retried today."

#: The ``/daily now`` answer for each outcome; ``{where}`` is the channel, ``{why}`` the
#: detail in parentheses (or nothing), ``{detail}`` the detail itself.
_NOW_TEXTS: dict[PostResult, str] = {
    PostResult.SENT: _SENT_NOW,
    PostResult.RESENT: _SENT_NOW,
    PostResult.ALREADY_POSTED: "Today's quote was already posted in {where}.",
    PostResult.BEING_POSTED: _BEING_POSTED,
    PostResult.ALREADY_CLAIMED: _BEING_POSTED,
    PostResult.ALREADY_FAILED: (
        "Today's quote could not be posted in {where}{why}, and it is not retried today. "
        "The next post is tomorrow's."
    ),
    PostResult.ALREADY_UNKNOWN: _UNKNOWN_NOW,
    PostResult.ABANDONED: _UNKNOWN_NOW,
    PostResult.UNCONFIRMED: (
        "Discord did not confirm today's post in {where}{why}. I will resend it for a "
        "minute or two with the same nonce, so it appears at most once."
    ),
    PostResult.UNREACHED: (
        "I could not reach Discord to post today's quote. I will try again in a minute."
    ),
    PostResult.FORBIDDEN: "I could not post here: I am missing the {detail} permission.",
    PostResult.NOT_FOUND: "I could not post here: I cannot see this channel.",
    PostResult.WRONG_GUILD: "I could not post here: this channel belongs to another server.",
    PostResult.FAILED_HERE: "I could not post here{why}. Today's scheduled post is not affected.",
    PostResult.NO_QUOTES: "{detail}",
    PostResult.FAILED: _FAILED_NOW,
    PostResult.GAVE_UP: _FAILED_NOW,
}


def now_text(outcome: PostOutcome) -> str:
    """The ``/daily now`` answer for each outcome of :meth:`DailyScheduler.post_now`."""
    template = _NOW_TEXTS.get(outcome.result)
    if template is None:
        return (
            f"I could not post today's quote ({outcome.detail or outcome.result}). Try again later."
        )
    why = f" ({outcome.detail})" if outcome.detail else ""
    return template.format(where=f"<#{outcome.channel_id}>", why=why, detail=outcome.detail)


def with_offset_note(reply: Reply, zone: str) -> Reply:
    """``reply`` with :func:`~bot.core.daily.zone_offset_note` added for an ``Etc/GMT±N`` zone,
    whose name reads as the opposite offset (``Etc/GMT+2`` is UTC-2); unchanged otherwise."""
    note = zone_offset_note(zone)
    if note and reply.content is not None:
        reply.content = shorten(f"{reply.content}\n{note}", MESSAGE_LIMIT)
    return reply


def daily_reply(text: str) -> Reply:
    """An ephemeral ``/daily`` answer."""
    return Reply(content=shorten(text, MESSAGE_LIMIT), ephemeral=True)


NO_DAILY = "No daily quote is set for this server. Set one with `/daily set`."
DAILY_OFF = "The daily quote is off. Turn it on again with `/daily set`."


def and_list(items: Sequence[str]) -> str:
    """``["a"]`` → ``"a"``, ``["a", "b"]`` → ``"a and b"``, ``["a", "b", "c"]`` → ``"a, b and c"``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def daily_missing_permissions(
    channel_mention: str, missing: Sequence[str], *, command: str = "/daily set"
) -> Reply:
    """``/daily set`` (or ``/daily now``, named by ``command``) refused: the bot lacks the
    permissions ``missing`` (names as Discord shows them) in the channel; "permission" or
    "permissions" by their number."""
    noun = "permission" if len(missing) == 1 else "permissions"
    pronoun = "it" if len(missing) == 1 else "them"
    return user_error(
        f"I cannot post in {channel_mention}: I am missing the {and_list(missing)} {noun} "
        f"there. Allow {pronoun} in the channel's settings and run `{command}` again."
    )


def daily_set_reply(
    schedule: DailySchedule, next_times: Sequence[datetime], *, config_owned: bool
) -> Reply:
    """``/daily set`` done: the schedule and its next send times as Discord timestamps."""
    text = (
        f"Daily quote set: {describe_schedule(schedule)}.\n"
        f"Next posts: {discord_timestamps(next_times)}."
    )
    if config_owned:
        text += (
            "\nNote: the bot's config file also sets this server's schedule; it wins at the "
            "next restart."
        )
    return daily_reply(text)


def daily_off_reply(*, stopped: bool) -> Reply:
    """``/daily off``: whether a schedule was turned off."""
    if stopped:
        return daily_reply("The daily quote is off. `/daily set` turns it on again.")
    return daily_reply("No daily quote was set for this server.")


def daily_preview(reply: Reply, when: Sequence[datetime]) -> Reply:
    """``/daily preview``: the next quote, privately, with when it will be posted."""
    reply.content = f"Next daily quote ({discord_timestamps(when)}):"
    reply.ephemeral = True
    return reply

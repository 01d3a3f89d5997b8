"""The time-zone lexicon people type: common zones, abbreviations, city names, part-hour offsets.

Data only (plus the tz database's own zone names); :mod:`bot.core.daily._zones` reads it to
accept, refuse and suggest zones.
"""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

#: Offered when the time-zone option is still empty.
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Dubai",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Apia",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Cairo",
)


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if not name.startswith(("posix", "right/", "SystemV/")) and name != "localtime"
        )
    )


# ---- abbreviations, UTC offsets and city names ----------------------------------------

#: Time-zone abbreviations people type, each with the IANA zones it usually means and who uses
#: it. Abbreviations are ambiguous (IST is India, Israel and Ireland; CST is US Central, China
#: and Cuba) and name a season's offset, not a place's rules, so they are only ever
#: *suggestions*: :func:`canonical_zone` refuses them, even the legacy ones that are also
#: names in the tz database (``EST``, ``MST``, ``HST``, ``CET``, ``EET``, ``WET``, ``MET``:
#: fixed offsets or another region's rules, not what a New Yorker or a Parisian means).
#: Source: the abbreviations used in the tz database's own data files (``northamerica``,
#: ``europe``, ``asia``, ``australasia``, ``africa``, ``southamerica``).
ZONE_ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "PST": (("America/Los_Angeles", "US Pacific"),),
    "PDT": (("America/Los_Angeles", "US Pacific"),),
    "MST": (("America/Denver", "US Mountain"), ("America/Phoenix", "Arizona, no DST")),
    "MDT": (("America/Denver", "US Mountain"),),
    "CST": (
        ("America/Chicago", "US Central"),
        ("Asia/Shanghai", "China"),
        ("America/Havana", "Cuba"),
    ),
    "CDT": (("America/Chicago", "US Central"),),
    "EST": (("America/New_York", "US Eastern"),),
    "EDT": (("America/New_York", "US Eastern"),),
    "AKST": (("America/Anchorage", "Alaska"),),
    "AKDT": (("America/Anchorage", "Alaska"),),
    "HST": (("Pacific/Honolulu", "Hawaii"),),
    "AST": (("America/Halifax", "Atlantic"), ("America/Puerto_Rico", "Atlantic, no DST")),
    "ADT": (("America/Halifax", "Atlantic"),),
    "NST": (("America/St_Johns", "Newfoundland"),),
    "NDT": (("America/St_Johns", "Newfoundland"),),
    "BRT": (("America/Sao_Paulo", "Brasília"),),
    "ART": (("America/Argentina/Buenos_Aires", "Argentina"),),
    "BST": (("Europe/London", "British Summer Time"),),
    "WET": (("Europe/Lisbon", "Western European"),),
    "WEST": (("Europe/Lisbon", "Western European"),),
    "CET": (("Europe/Berlin", "Central European"), ("Europe/Paris", "Central European")),
    "CEST": (("Europe/Berlin", "Central European"), ("Europe/Paris", "Central European")),
    "MET": (("Europe/Berlin", "Central European"), ("Europe/Paris", "Central European")),
    "MEST": (("Europe/Berlin", "Central European"), ("Europe/Paris", "Central European")),
    "EET": (("Europe/Athens", "Eastern European"), ("Europe/Helsinki", "Eastern European")),
    "EEST": (("Europe/Athens", "Eastern European"), ("Europe/Helsinki", "Eastern European")),
    "MSK": (("Europe/Moscow", "Moscow"),),
    "IST": (
        ("Asia/Kolkata", "India"),
        ("Asia/Jerusalem", "Israel"),
        ("Europe/Dublin", "Ireland"),
    ),
    "IDT": (("Asia/Jerusalem", "Israel"),),
    "PKT": (("Asia/Karachi", "Pakistan"),),
    "GST": (("Asia/Dubai", "Gulf"),),
    "JST": (("Asia/Tokyo", "Japan"),),
    "KST": (("Asia/Seoul", "Korea"),),
    "HKT": (("Asia/Hong_Kong", "Hong Kong"),),
    "SGT": (("Asia/Singapore", "Singapore"),),
    "WIB": (("Asia/Jakarta", "Western Indonesia"),),
    "AEST": (("Australia/Sydney", "Australian Eastern"), ("Australia/Brisbane", "Queensland")),
    "AEDT": (("Australia/Sydney", "Australian Eastern"),),
    "ACST": (("Australia/Adelaide", "Australian Central"), ("Australia/Darwin", "no DST")),
    "ACDT": (("Australia/Adelaide", "Australian Central"),),
    "AWST": (("Australia/Perth", "Australian Western"),),
    "NZST": (("Pacific/Auckland", "New Zealand"),),
    "NZDT": (("Pacific/Auckland", "New Zealand"),),
    "SAST": (("Africa/Johannesburg", "South Africa"),),
    "WAT": (("Africa/Lagos", "West Africa"),),
    "CAT": (("Africa/Maputo", "Central Africa"),),
    "EAT": (("Africa/Nairobi", "East Africa"),),
}

#: Well-known cities that are not in a tz database name (the database names one city per
#: region), folded as :func:`bot.core.daily._zones._fold` does, each with its zone. Suggestions only.
CITY_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("mumbai", "bombay", "delhi", "new_delhi", "bangalore", "bengaluru", "chennai"),
        "Asia/Kolkata",
    ),
    **dict.fromkeys(("hyderabad", "pune", "madras", "calcutta"), "Asia/Kolkata"),
    **dict.fromkeys(
        ("beijing", "peking", "shenzhen", "guangzhou", "chengdu", "wuhan"), "Asia/Shanghai"
    ),
    **dict.fromkeys(("osaka", "kyoto", "yokohama"), "Asia/Tokyo"),
    **dict.fromkeys(("busan",), "Asia/Seoul"),
    **dict.fromkeys(("hanoi", "saigon"), "Asia/Ho_Chi_Minh"),
    **dict.fromkeys(("islamabad", "lahore"), "Asia/Karachi"),
    **dict.fromkeys(("abu_dhabi", "sharjah"), "Asia/Dubai"),
    **dict.fromkeys(("tel_aviv", "haifa"), "Asia/Jerusalem"),
    **dict.fromkeys(("ankara", "izmir"), "Europe/Istanbul"),
    **dict.fromkeys(
        ("washington", "washington_dc", "boston", "miami", "atlanta", "philadelphia"),
        "America/New_York",
    ),
    **dict.fromkeys(("houston", "dallas", "austin", "new_orleans"), "America/Chicago"),
    **dict.fromkeys(("san_francisco", "seattle", "las_vegas", "san_diego"), "America/Los_Angeles"),
    **dict.fromkeys(("salt_lake_city", "albuquerque"), "America/Denver"),
    **dict.fromkeys(("ottawa", "montreal", "quebec"), "America/Toronto"),
    **dict.fromkeys(("rio_de_janeiro", "rio", "brasilia"), "America/Sao_Paulo"),
    **dict.fromkeys(("munich", "frankfurt", "hamburg", "cologne"), "Europe/Berlin"),
    **dict.fromkeys(("lyon", "marseille", "toulouse"), "Europe/Paris"),
    **dict.fromkeys(("milan", "florence", "naples", "venice"), "Europe/Rome"),
    **dict.fromkeys(("barcelona", "seville", "valencia"), "Europe/Madrid"),
    **dict.fromkeys(("edinburgh", "manchester", "glasgow", "birmingham"), "Europe/London"),
    **dict.fromkeys(("geneva", "basel"), "Europe/Zurich"),
    **dict.fromkeys(("rotterdam", "the_hague"), "Europe/Amsterdam"),
    **dict.fromkeys(("krakow",), "Europe/Warsaw"),
    **dict.fromkeys(("st_petersburg", "saint_petersburg"), "Europe/Moscow"),
    **dict.fromkeys(("canberra",), "Australia/Sydney"),
    **dict.fromkeys(("wellington", "christchurch"), "Pacific/Auckland"),
    **dict.fromkeys(("cape_town", "pretoria", "durban"), "Africa/Johannesburg"),
}

#: Zones to suggest for UTC offsets that are not whole hours (no ``Etc/GMT`` zone has them),
#: in minutes east of UTC.
PART_HOUR_ZONES: dict[int, tuple[str, ...]] = {
    -570: ("Pacific/Marquesas",),
    -210: ("America/St_Johns",),
    210: ("Asia/Tehran",),
    270: ("Asia/Kabul",),
    330: ("Asia/Kolkata", "Asia/Colombo"),
    345: ("Asia/Kathmandu",),
    390: ("Asia/Yangon",),
    525: ("Australia/Eucla",),
    570: ("Australia/Adelaide", "Australia/Darwin"),
    630: ("Australia/Lord_Howe",),
    765: ("Pacific/Chatham",),
}

ABBREVIATION_KEYS = frozenset(a.casefold() for a in ZONE_ABBREVIATIONS)

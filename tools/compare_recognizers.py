#!/usr/bin/env python3
"""Herald's reminder corpus read by Microsoft's Recognizers-Text (not in CI).

    python3 -m venv /tmp/rt && /tmp/rt/bin/pip install ms-recognizers-text-date-time
    /tmp/rt/bin/python tools/compare_recognizers.py

(`ms-recognizers-text-date-time` is the port with Portuguese; in a virtualenv
of its own, as it also installs a `recognizers_date_time` that clashes with
`recognizers-text-suite`'s, which has no Portuguese date-time model and needs
`emoji<2`; the script falls back to that one, Portuguese then finds nothing.)

For every one-shot line of src/domain/reminder/corpus/{en,pt,fr}.txt (one
expected instant, no `...`/`end`, not `refused`), runs the DateTime recognizer
of the line's language with the line's "now" (as local time in its zone) and
checks whether it resolves the instant the line expects. Recurring lines are
left out: the recognizer returns a set (`XXXX-WXX-1T09`) with no instant to
compare. The instants are compared as local wall-clock times in the line's zone.

What counts as the recognizer's instant, `first`: its first resolved value
that is not before now, a datetime as given, a date at 09:00 (Herald's
default for a date said without a time), a time alone on its next occurrence,
or on the date another entity of the same phrase resolved (`tomorrow ... at
9`). `any` also counts a phrase right when any value it offered (both halves
of the day for `at 7`, past and future for a date) is the instant expected.

The corpus is Herald's own and its unit test requires every line, so Herald's
share of it is 100% by construction; the sections written before the grammar
was fixed for them (`# fresh: issue 16`, `# fresh2: issue 16`, `# fresh5:
issue 16`, `# fresh6: issue 16`, `# fresh7: issue 16`, `# fresh8: issue 16`) are also reported
alone; a section runs to the next marker line (so `fresh2` also holds the
kinds added after it, before `fresh5`; `# seventh round: issue 16`, lines
written with their fixes, ends `fresh6` and is counted in `all` only).
"""

import datetime
import os
import sys
from zoneinfo import ZoneInfo

try:
    from ms_recognizers_date_time import Culture, recognize_datetime
except ImportError:
    from recognizers_date_time import Culture, recognize_datetime

CORPUS = os.path.join(os.path.dirname(__file__), "..", "src", "domain", "reminder", "corpus")
CULTURES = {"en": Culture.English, "pt": Culture.Portuguese, "fr": Culture.French}
SECTIONS = (
    "# fresh: issue 16",
    "# fresh2: issue 16",
    "# fresh5: issue 16",
    "# fresh6: issue 16",
    "# seventh round: issue 16",
    "# fresh7: issue 16",
    "# fresh8: issue 16",
)
UNSAID = datetime.time(9, 0)


def cases(path):
    """(section, text, local now, expected local instant or None) per line."""
    now = zone = None
    section = "older"
    with open(path, encoding="utf-8") as corpus:
        for line in corpus:
            line = line.strip()
            if line in SECTIONS:
                section = line[2:].split(":")[0]
                continue
            if not line or line.startswith("#"):
                continue
            if line.startswith("@now"):
                now = datetime.datetime.fromisoformat(line[4:].strip().replace("Z", "+00:00"))
                continue
            if line.startswith("@zone"):
                zone = ZoneInfo(line[5:].strip())
                continue
            text, expected = (part.strip() for part in line.split(" => ", 1))
            instants = expected.split("|", 1)[0].strip()
            # A refusal or a message that is no request has no instant to compare.
            said = not expected.startswith(("refused", "not a reminder"))
            one_shot = said and not instants.endswith(("...", "end"))
            first = None
            if one_shot:
                first = instants.split(" or ")[0].split(",")[0].strip()
                first = datetime.datetime.fromisoformat(first.replace("Z", "+00:00"))
                first = first.astimezone(zone).replace(tzinfo=None)
            yield section, text, now.astimezone(zone).replace(tzinfo=None), first


def values(results, now):
    """Every instant the recognizer offered, in its order."""
    dates, times, instants = [], [], []
    for result in results:
        for value in (result.resolution or {}).get("values", []):
            kind, said = value.get("type"), value.get("value")
            if not said or said == "not resolved":
                continue
            try:
                if kind == "datetime":
                    instants.append(datetime.datetime.fromisoformat(said))
                elif kind == "date":
                    dates.append(datetime.date.fromisoformat(said))
                elif kind == "time":
                    times.append(datetime.time.fromisoformat(said))
            except ValueError:
                continue
    for time in times:
        if dates:
            instants.extend(datetime.datetime.combine(day, time) for day in dates)
        else:
            today = datetime.datetime.combine(now.date(), time)
            instants.append(today if today > now else today + datetime.timedelta(days=1))
    if not times:
        instants.extend(datetime.datetime.combine(day, UNSAID) for day in dates)
    return instants


def main():
    print("| corpus | section | one-shot phrases | Recognizers-Text `first` | `any` |")
    print("| --- | --- | --- | --- | --- |")
    for language, culture in CULTURES.items():
        tally = {}
        for section, text, now, expected in cases(os.path.join(CORPUS, f"{language}.txt")):
            if expected is None:
                continue
            offered = values(recognize_datetime(text, culture, reference=now), now)
            ahead = [instant for instant in offered if instant >= now]
            first = ahead[0] if ahead else None
            for name in ("all", section):
                counts = tally.setdefault(name, [0, 0, 0])
                counts[0] += 1
                counts[1] += first == expected
                counts[2] += expected in offered
        for name in ("all", "older", "fresh", "fresh2", "fresh5", "fresh6", "fresh7", "fresh8"):
            if name not in tally:
                continue
            total, first, anywhere = tally[name]
            print(
                f"| {language} | {name} | {total} | {first} ({100 * first / total:.0f}%)"
                f" | {anywhere} ({100 * anywhere / total:.0f}%) |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

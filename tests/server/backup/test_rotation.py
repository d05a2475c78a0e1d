"""Rotation keeps 7 daily, 4 weekly and 12 monthly backups, over two years of days."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from backend_server.backup_schedule import backup_name, parse_backup_name, rotation_victims


def _at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_name_round_trip_and_foreign_names_are_left_alone() -> None:
    moment = datetime(2026, 3, 1, 2, 0, 7, tzinfo=UTC)
    name = backup_name(moment)
    assert name == "praxisdesk-backup-2026-03-01T020007Z.pxbak"
    assert parse_backup_name(name) == moment
    foreign = ["notes.txt", "praxisdesk-backup-2026-13-01T020007Z.pxbak",
               name + ".partial", "praxisdesk-backup-2026-03-01.pxbak"]
    assert [parse_backup_name(n) for n in foreign] == [None] * 4
    assert rotation_victims(foreign) == []


def test_two_years_of_daily_backups() -> None:
    start = date(2025, 1, 1)
    kept: list[str] = []
    day = start
    for _ in range(730):
        kept.append(backup_name(_at(day)))
        victims = rotation_victims(kept)
        assert backup_name(_at(day)) not in victims  # the newest always stays
        kept = [name for name in kept if name not in victims]
        assert len(kept) <= 7 + 4 + 12
        day += timedelta(days=1)
    last = day - timedelta(days=1)  # 2026-12-31
    days = sorted(d.date() for name in kept if (d := parse_backup_name(name)))
    # The 7 newest days.
    assert days[-7:] == [last - timedelta(days=i) for i in range(6, -1, -1)]
    # The newest 4 ISO weeks: each keeps its newest day (its Sunday, or today).
    for weeks_back in range(4):
        in_week = last - timedelta(weeks=weeks_back)
        sunday = in_week + timedelta(days=6 - in_week.weekday())
        assert min(sunday, last) in days, weeks_back
    # The last backup of each of the newest 12 months.
    months = sorted({(d.year, d.month) for d in days})
    assert months[-12:] == [(2026, m) for m in range(1, 13)]
    for year, month in months[-12:-1]:
        end_of_month = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        assert end_of_month in days
    # Nothing older than a year survives: backups do not grow without end.
    assert min(days) >= date(2026, 1, 1)
    assert len(days) == len(set(days))


def test_gaps_and_several_backups_a_day() -> None:
    rng = random.Random(6)
    names: list[str] = []
    day = date(2025, 6, 1)
    for _ in range(500):
        if rng.random() < 0.7:  # the server is off on some days
            for hour in sorted(rng.sample(range(24), rng.choice([1, 1, 2]))):
                names.append(backup_name(_at(day, hour)))
        names = [n for n in names if n not in rotation_victims(names)]
        day += timedelta(days=1)
    moments = sorted(m for n in names if (m := parse_backup_name(n)))
    # One backup per kept day (the newest of that day), at most 23 in all.
    assert len({m.date() for m in moments}) == len(moments) <= 23
    # Still 12 distinct months (the server ran in every month), and the newest is there.
    assert len({(m.year, m.month) for m in moments}) == 12
    assert moments[-1].date() >= day - timedelta(days=10)
    # Running rotation again deletes nothing more.
    assert rotation_victims(names) == []

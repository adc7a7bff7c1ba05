"""GAP_DIGEST_SCHEDULE: a crontab Celery beat sends the gap-digest job on; bad values are refused by name."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings
from bot.slack import ids
from bot.tasks.celery_app import JOB_TASK, create_celery


def test_the_default_schedule_is_monday_nine_utc_for_the_last_week() -> None:
    celery = create_celery(Settings(gap_digest_schedule="0 9 * * mon", gap_digest_days=7))
    entry = celery.conf.beat_schedule["knowledge-gap-digest"]
    assert entry["task"] == JOB_TASK and entry["args"] == [ids.JOB_GAP_DIGEST, {"days": 7}]
    schedule = entry["schedule"]
    assert (schedule.minute, schedule.hour, schedule.day_of_week) == ({0}, {9}, {1})
    assert celery.conf.timezone == "UTC"


def test_an_empty_schedule_turns_the_digest_off() -> None:
    assert not create_celery(Settings(gap_digest_schedule="")).conf.beat_schedule


@pytest.mark.parametrize("bad", ["weekly", "0 25 * * mon", "0 9 * * funday"])
def test_a_bad_schedule_is_refused_naming_the_setting(bad: str) -> None:
    with pytest.raises(ValidationError, match="gap_digest_schedule"):
        Settings(gap_digest_schedule=bad)

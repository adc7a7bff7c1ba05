"""The abstention threshold in use: the deployment's calibrated one when `policybot calibrate` wrote it.

`{data_dir}/calibration.json` holds {"abstain_threshold", "confidence_version", "table", ...}. A file
written for another version of the confidence formula is ignored (its threshold would mean
something else), and so is an unreadable one; then ABSTAIN_THRESHOLD from the settings applies.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from bot.config import Settings

CONFIDENCE_VERSION = "answered-v2"  # bump when bot/answer/confidence.py changes what a score means
log = logging.getLogger(__name__)


def calibration_file(settings: Settings) -> Path:
    return Path(settings.data_dir) / "calibration.json"


def confidence_version(scorer_id: str | None) -> str:
    """What a confidence means: the formula's version, plus the answer scorer's version when one is used."""
    return f"{CONFIDENCE_VERSION}+{scorer_id}" if scorer_id else CONFIDENCE_VERSION


def calibrated_threshold(settings: Settings, scorer_id: str | None = None, fallback: float | None = None) -> float:
    """The calibrated threshold for this data folder, else `fallback` (default `settings.abstain_threshold`).

    `scorer_id`: the answer scorer version in use (None: none); a file calibrated without it, or with
    another version, does not apply. `fallback`: e.g. the threshold `tune` judged that version at."""
    path = calibration_file(settings)
    version = confidence_version(scorer_id)
    default = settings.abstain_threshold if fallback is None else fallback
    if not path.is_file():
        return default
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("confidence_version") != version:
            log.warning(
                "%s was calibrated for confidence %r, not %r: using %.3f (re-run `policybot calibrate`)",
                path,
                data.get("confidence_version"),
                version,
                default,
            )
            return default
        return float(data["abstain_threshold"])
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("%s is unreadable (%s): using %.3f", path, exc, default)
        return default

"""A small knowledge folder of its own for review-loop tests (they edit and re-ingest documents,
so they must not touch the session's shared index): annual leave with its own review channel,
and the managers-only compensation guidelines."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.config import Settings
from bot.ingest.pipeline import run_ingest
from tests.slack.index import REPO

PEOPLE_REVIEW = "CPEOPLEREVIEW"  # annual-leave.md's owner.review_channel
COMP_REVIEW = "CCOMPREVIEW"  # manager-compensation-guidelines.md's owner.review_channel
GENERAL_REVIEW = "CREVIEWALL"  # REVIEW_CHANNEL


def review_channel_front_matter(path: Path, channel: str) -> None:
    """Give the document's `owner` block a `review_channel`."""
    text = path.read_text()
    start = text.index("owner: {") + len("owner: {")
    path.write_text(f"{text[:start]}review_channel: {channel}, {text[start:]}")


def make_review_kb(root: Path, base: Settings) -> Settings:
    knowledge = root / "knowledge"
    (knowledge / "hr").mkdir(parents=True)
    shutil.copy(REPO / "knowledge" / "company.yaml", knowledge / "company.yaml")
    for name, channel in (("annual-leave.md", PEOPLE_REVIEW), ("manager-compensation-guidelines.md", COMP_REVIEW)):
        shutil.copy(REPO / "knowledge" / "hr" / name, knowledge / "hr" / name)
        review_channel_front_matter(knowledge / "hr" / name, channel)
    settings = base.model_copy(update={"data_dir": root / "data", "knowledge_dir": knowledge, "review_channel": GENERAL_REVIEW})
    run_ingest(settings)
    return settings

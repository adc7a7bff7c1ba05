"""Governance tests reuse the Slack fixtures: one real index per session (shared with tests/slack),
a fake Slack per test, the real bot over HTTP, real Redis (DB 14, a key prefix per test)."""

from tests.slack.conftest import (  # noqa: F401 (fixtures)
    RunningBot,
    base_settings,
    bot,
    fake_slack,
    masker,
    no_proxy,
    service,
    settings,
    start_bot,
)

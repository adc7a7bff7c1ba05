"""Governance through Slack: restricted answers go privately, sensitive questions too, audit decisions,
the principals cache, oversized and injected questions — real Bolt app over HTTP, real Redis."""

from __future__ import annotations

import json

import pytest

from bot.company import load_company
from bot.slack import ids
from bot.slack.blocks import SOURCES_REFUSED
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, ask, posted_text

PRIVATE_RESTRICTED_NOTE = load_company(None).replies.private_restricted_note
PRIVATE_SENSITIVE_NOTE = load_company(None).replies.private_sensitive_note

MANAGER, IC, GUEST = "UMGR", "UIC", "UGUEST"
MANAGERS_CHANNEL = "CMANAGERS"
GROUPS = {"managers": "people-managers", "people-ops": "S0PEOPLEOPS"}
MERIT = "What is the merit increase budget for the 2027 cycle?"
RESTRICTED_MARKERS = ["Manager Compensation", "3.5% of the base salaries", "Workplace Investigations", "total-rewards-managers"]
CONTACTS = "People Ops confidential line"


@pytest.fixture
def directory(fake_slack: FakeSlack) -> FakeSlack:
    fake_slack.add_user(MANAGER, "Maria Gomez", display_name="Maria G")
    fake_slack.add_user(IC, "Ivan Carter")
    fake_slack.add_user(GUEST, "Gail Guest", guest=True)
    fake_slack.add_usergroup("S0MANAGERS", "people-managers", [MANAGER, GUEST])
    fake_slack.add_usergroup("S0PEOPLEOPS", "people-ops", [])
    return fake_slack


@pytest.fixture
def gov_bot(start_bot, directory: FakeSlack) -> RunningBot:
    return start_bot(group_map=GROUPS)


def _answer(fake: FakeSlack, bot: RunningBot, text: str, *, user: str, channel: str = CHANNEL, dm: bool = False) -> None:
    before = len(fake.calls_to("chat.postMessage"))
    ask(bot.send, fake, text, user=user, channel=channel, dm=dm)
    fake.wait_for("chat.postMessage", before + 1)
    bot.settle()


def channel_visible(fake: FakeSlack) -> str:
    """Everything posted where more people than the asker can read it."""
    calls = [c for c in fake.calls_to("chat.postMessage") + fake.calls_to("chat.update") if not c["channel"].startswith("D")]
    return "\n".join(posted_text(c) for c in calls)


def everything_sent(fake: FakeSlack) -> str:
    return "\n".join(json.dumps(c.params, ensure_ascii=False) for c in fake.calls)


def test_outsider_in_a_channel_never_sees_a_restricted_document(gov_bot: RunningBot, directory: FakeSlack) -> None:
    for text in (
        MERIT,
        "What is the salary band for an L4 Senior Software Engineer?",
        "Interim measures are not a finding of wrongdoing.",
    ):
        _answer(directory, gov_bot, text, user=IC)
    gov_bot.send.command(
        user=IC, channel=CHANNEL, text="merit increase budget salary bands", response_url=directory.response_url("find")
    )
    directory.wait_for("response/find")
    gov_bot.settle()
    sent = everything_sent(directory)
    assert not [m for m in RESTRICTED_MARKERS if m in sent]
    assert directory.calls_to("conversations.open") == []
    entries = gov_bot.stores.audit.export()
    assert [e.principals for e in entries] == [["everyone"]] * 3
    assert {e.decision for e in entries} <= {"answered", "abstained"}


def test_member_in_a_channel_gets_the_restricted_answer_privately(gov_bot: RunningBot, directory: FakeSlack) -> None:
    question = ask(gov_bot.send, directory, MERIT, user=MANAGER)
    directory.wait_for("chat.postMessage", 2)
    gov_bot.settle()

    [opened] = directory.calls_to("conversations.open")
    assert opened["users"] == MANAGER
    dm, note = directory.calls_to("chat.postMessage")
    assert dm["channel"].startswith("D") and "Manager Compensation" in posted_text(dm) and "3.5%" in posted_text(dm)
    assert f"<#{CHANNEL}>" in posted_text(dm)
    assert note["channel"] == CHANNEL and note["thread_ts"] == question["ts"]
    assert note["text"] == PRIVATE_RESTRICTED_NOTE
    assert not [m for m in [*RESTRICTED_MARKERS, "3.5%"] if m in channel_visible(directory)]

    record = gov_bot.stores.answers.latest_for(MANAGER, dm["channel"])
    assert record.private and record.channel == dm["channel"] and any("managers" in s.audience for s in record.sources)
    [entry] = gov_bot.stores.audit.export()
    assert entry.decision == "private" and entry.channel == CHANNEL and entry.principals == ["everyone", "managers"]

    # the Sources button under the DM answer, clicked by its reader, shows the restricted citations
    answer = directory.threads[(dm["channel"], record.ts)][0]
    gov_bot.send.click(ids.SOURCES_BUTTON, user=MANAGER, channel=dm["channel"], message=answer)
    [ephemeral] = directory.wait_for("chat.postEphemeral")
    assert "Manager Compensation" in posted_text(ephemeral)


def test_member_in_a_dm_is_answered_normally(gov_bot: RunningBot, directory: FakeSlack) -> None:
    _answer(directory, gov_bot, MERIT, user=MANAGER, channel="DMGR", dm=True)
    [answer] = directory.calls_to("chat.postMessage")
    assert answer["channel"] == "DMGR" and "Manager Compensation" in posted_text(answer)
    assert "🔒" in posted_text(answer)  # the don't-forward note
    assert directory.calls_to("conversations.open") == []
    assert gov_bot.stores.audit.export()[0].decision == "answered"


def test_a_restricted_verified_answer_is_offered_only_where_every_reader_may_see_it(
    gov_bot: RunningBot, directory: FakeSlack
) -> None:
    """A manager's public answer does not name the managers-only verified answer to a similar question (its
    question names a restricted topic too); in the manager's DM it is offered."""
    from bot.core.results import Source
    from bot.store.verified import VerifiedAnswer

    restricted = Source(n=1, chunk_id="c1", doc_id="hr/manager-compensation-guidelines.md", title="Manager Compensation")
    restricted.audience = ["managers"]
    offered = "How many extra days of annual leave do managers get?"
    gov_bot.stores.verified.save(VerifiedAnswer(questions=[offered], answer="Two.", sources=[restricted], reviewer="UREV"))
    asked = "How many days of annual leave can I carry over?"
    _answer(directory, gov_bot, asked, user=MANAGER)
    assert offered not in channel_visible(directory) and "similar question" not in channel_visible(directory)
    _answer(directory, gov_bot, asked, user=MANAGER, channel="DMGR", dm=True)
    assert offered in posted_text(directory.calls_to("chat.postMessage")[-1])


def test_guests_in_the_group_still_get_only_everyone(gov_bot: RunningBot, directory: FakeSlack) -> None:
    _answer(directory, gov_bot, MERIT, user=GUEST, channel="DGUEST", dm=True)
    assert not [m for m in RESTRICTED_MARKERS if m in everything_sent(directory)]
    assert gov_bot.stores.audit.export()[0].principals == ["everyone"]


def test_channel_audiences_answer_publicly_there_and_sources_follow_the_clicker(start_bot, directory: FakeSlack) -> None:
    bot = start_bot(group_map=GROUPS, channel_audiences={MANAGERS_CHANNEL: ["managers"]})
    question = ask(bot.send, directory, MERIT, user=IC, channel=MANAGERS_CHANNEL)  # IC is in #managers
    [answer] = directory.wait_for("chat.postMessage")
    bot.settle()
    assert answer["channel"] == MANAGERS_CHANNEL and "Manager Compensation" in posted_text(answer)
    assert bot.stores.audit.export()[0].decision == "answered"
    posted = directory.threads[(MANAGERS_CHANNEL, question["ts"])][-1]
    bot.stop()

    # later #managers loses its audience (config change): a click there is computed for the clicker
    later = start_bot(group_map=GROUPS)
    later.send.click(ids.SOURCES_BUTTON, user=IC, channel=MANAGERS_CHANNEL, message=posted)
    [refused] = directory.wait_for("chat.postEphemeral")
    assert refused["user"] == IC and refused["text"] == SOURCES_REFUSED
    later.send.command(user=IC, channel=MANAGERS_CHANNEL, text="", response_url=directory.response_url("mine"))
    [mine] = directory.wait_for("response/mine")
    assert "Manager Compensation" not in posted_text(mine) and SOURCES_REFUSED in mine["text"]
    later.send.click(ids.SOURCES_BUTTON, user=MANAGER, channel=MANAGERS_CHANNEL, message=posted)
    shown = directory.wait_for("chat.postEphemeral", 2)[-1]
    assert shown["user"] == MANAGER and "Manager Compensation" in posted_text(shown)


def test_sensitive_question_in_a_channel_is_answered_privately_with_contacts(gov_bot: RunningBot, directory: FakeSlack) -> None:
    question = ask(gov_bot.send, directory, "my manager keeps making comments about my body, what can I do?", user=IC)
    directory.wait_for("chat.postMessage", 2)
    gov_bot.settle()
    dm, note = directory.calls_to("chat.postMessage")
    assert dm["channel"].startswith("D") and CONTACTS in posted_text(dm)
    assert note["channel"] == CHANNEL and note["thread_ts"] == question["ts"] and note["text"] == PRIVATE_SENSITIVE_NOTE
    assert CONTACTS not in channel_visible(directory) and "body" not in channel_visible(directory)
    assert gov_bot.stores.audit.export()[0].decision == "private"


def test_sensitive_question_in_a_dm_gets_the_contacts_appended(gov_bot: RunningBot, directory: FakeSlack) -> None:
    _answer(directory, gov_bot, "I was diagnosed with cancer and need time off for treatment", user=IC, channel="DIC", dm=True)
    [answer] = directory.calls_to("chat.postMessage")
    assert answer["channel"] == "DIC" and CONTACTS in posted_text(answer)
    assert directory.calls_to("conversations.open") == []


def test_ordinary_questions_are_unaffected(gov_bot: RunningBot, directory: FakeSlack) -> None:
    for text in ("how many sick days do I get", "what is the hotel cap in London?"):
        _answer(directory, gov_bot, text, user=IC)
    posts = directory.calls_to("chat.postMessage")
    assert [p["channel"] for p in posts] == [CHANNEL, CHANNEL]
    assert all(CONTACTS not in posted_text(p) and "privately" not in p["text"] for p in posts)
    assert [e.decision for e in gov_bot.stores.audit.export()] == ["answered", "answered"]


def test_principals_are_cached_in_redis_across_questions_and_processes(start_bot, directory: FakeSlack) -> None:
    first = start_bot(group_map=GROUPS)
    _answer(directory, first, "how many days of annual leave do I get?", user=MANAGER, channel="DMGR", dm=True)
    _answer(directory, first, MERIT, user=MANAGER, channel="DMGR", dm=True)
    second = start_bot(group_map=GROUPS)  # another process, same Redis
    _answer(directory, second, "what is the hotel cap in London?", user=MANAGER, channel="DMGR", dm=True)

    assert len(directory.calls_to("usergroups.list")) == 1 and directory.calls_to("usergroups.users.list") == []
    assert directory.calls_to("usergroups.list")[0]["include_users"] in ("1", "true", True)
    key = f"{first.slack.deps.settings.redis_prefix}:principals:{MANAGER}"
    assert 0 < first.stores.redis.ttl(key) <= first.slack.deps.settings.principals_cache_ttl_s
    assert json.loads(first.stores.redis.get(key)) == {"groups": ["managers"], "guest": False}
    assert "Manager Compensation" in posted_text(directory.calls_to("chat.postMessage")[1])


def test_redis_down_resolves_principals_live(start_bot, directory: FakeSlack) -> None:
    bot = start_bot(group_map=GROUPS)
    bot.slack.deps.principals.cache.redis = bot.stores.redis.from_url("redis://127.0.0.1:1/0")
    _answer(directory, bot, MERIT, user=MANAGER, channel="DMGR", dm=True)
    assert "Manager Compensation" in posted_text(directory.calls_to("chat.postMessage")[0])


def test_audit_decisions_for_abstained_refused_and_invalid(gov_bot: RunningBot, directory: FakeSlack) -> None:
    _answer(directory, gov_bot, "What is the policy on bringing llamas to the office rooftop?", user=IC)
    _answer(directory, gov_bot, "x " * 7000, user=IC)  # over QUESTION_REFUSE_CHARS
    _answer(directory, gov_bot, "", user=IC)  # a bare mention
    decisions = [e.decision for e in gov_bot.stores.audit.export()]
    assert decisions == ["abstained", "refused", "refused"]
    refusal = directory.calls_to("chat.postMessage")[1]
    assert "too long for me to read" in refusal["text"] and "13,999 characters" in refusal["text"]


def test_oversized_question_is_capped_and_the_user_told(gov_bot: RunningBot, directory: FakeSlack) -> None:
    long = "Some context about my situation. " * 80 + "How many days of annual leave do I get per year?"
    _answer(directory, gov_bot, long, user=IC)
    [answer] = directory.calls_to("chat.postMessage")
    assert "I only read its last 2,000 characters" in posted_text(answer)  # the question at the end is kept
    assert "25 days" in posted_text(answer)
    [entry] = gov_bot.stores.audit.export()
    assert entry.decision == "answered" and len(entry.question) <= 2_000


def test_control_characters_and_mrkdwn_injection_are_neutralised(gov_bot: RunningBot, directory: FakeSlack) -> None:
    text = (
        "<!channel> <!subteam^S0MANAGERS|@people-managers> what is the hotel cap in London?\u202e\u0007\u200b "
        "<https://evil.example/steal|click here> <@UIC|ivan>"
    )
    _answer(directory, gov_bot, text, user=IC)
    shown = channel_visible(directory)
    assert "<!channel>" not in shown and "<!subteam" not in shown and "evil.example" not in shown and "<@UIC" not in shown
    [entry] = gov_bot.stores.audit.export()
    assert entry.decision == "answered"
    assert not any(ch in entry.question for ch in "\u202e\u0007\u200b<>") and "evil.example" not in entry.question
    record = gov_bot.stores.answers.latest_for(IC, CHANNEL)
    assert "hotel cap in London" in record.question and "<!channel>" not in record.question


def test_private_delivery_falls_back_to_an_ephemeral_when_dms_fail(gov_bot: RunningBot, directory: FakeSlack) -> None:
    directory.fail("conversations.open", "cannot_dm_bot")
    question = ask(gov_bot.send, directory, MERIT, user=MANAGER)
    [note] = directory.wait_for("chat.postMessage")
    gov_bot.settle()
    [ephemeral] = directory.calls_to("chat.postEphemeral")
    assert ephemeral["user"] == MANAGER and ephemeral["thread_ts"] == question["ts"]
    assert "Manager Compensation" in posted_text(ephemeral) and note["text"] == PRIVATE_RESTRICTED_NOTE
    assert gov_bot.stores.audit.export()[0].decision == "private"


def test_the_askers_directory_name_is_masked_in_storage(start_bot, fake_slack: FakeSlack) -> None:
    """Without the startup directory load, the asker's own names (users.info) still reach the masker."""
    fake_slack.add_user("UZOLTAN", "Zoltan Kovacs-Nagy", display_name="Zoli Kovacs")
    bot = start_bot(pii_slack_directory=False)
    _answer(fake_slack, bot, "I'm Zoli Kovacs (Zoltan Kovacs-Nagy), how many days of annual leave do I get?", user="UZOLTAN")
    assert fake_slack.calls_to("users.list") == [] and len(fake_slack.calls_to("users.info")) == 1
    [entry] = bot.stores.audit.export()
    assert "Kovacs" not in entry.question and entry.question.count("<PERSON>") == 2
    assert "Kovacs" not in bot.stores.answers.latest_for("UZOLTAN", CHANNEL).question

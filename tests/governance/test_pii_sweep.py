"""PII sweep: documents and questions full of personal data go through every Slack surface and an
LLM answerer; afterwards no raw PII string exists anywhere in Redis, in the bot's logs, or in the
prompts the (fake) LLM received.

Real pieces: the Bolt app over HTTP, Redis, ingestion (masking before chunking), the answering
chain with an LLM answerer whose model is LangChain's `GenericFakeChatModel`.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import shutil

import pytest
import redis

from bot.answer.service import PolicyService
from bot.config import Settings
from bot.ingest.pipeline import run_ingest
from bot.retrieval.index_files import bm25_dir
from bot.slack import ids
from bot.store.keys import Keys
from tests.fake_llm import RecordingChatModel
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, ask, posted_text
from tests.slack.index import REDIS_URL, REPO
from tests.slack.slack_http import reaction

ASKER, ASKER_NAME = "UPRIYA", "Priya Raman"
COLLEAGUE, COLLEAGUE_NAME = "UDANIEL", "Daniel Okafor"
DM = "DPRIYA"

# PII that appears in the seeded documents (masked at ingestion) ...
DOC_PII = ["payroll.escalations@gmail.com", "(415) 555-0134", "DE89 3704 0044 0532 0130 00", "198.51.100.23"]
# ... and in the questions people ask.
QUESTION_PII = [
    ASKER_NAME,
    COLLEAGUE_NAME,
    "priya.raman@gmail.com",
    "p_raman+hr@outlook.co.uk",
    "(415) 555-0199",
    "+44 20 7946 0958",
    "07700 900123",
    "415.555.0177",
    "536-22-8471",
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "378282246310005",
    "GB82 WEST 1234 5698 7654 32",
    "203.0.113.42",
]
ALL_PII = DOC_PII + QUESTION_PII

PAYROLL_DOC = """---
title: "Payroll Corrections"
owner: {team: "Finance — Payroll", channel: "#ask-payroll"}
effective_date: 2026-01-01
review_by: 2027-01-01
audience: everyone
url: https://intranet.northwind.example/policies/finance/payroll-corrections
---

# Payroll Corrections

## 1. Wrong salary payments

If your salary payment is wrong, email the payroll escalation desk at payroll.escalations@gmail.com or call (415) 555-0134. Corrections are paid within 5 business days.

## 2. Refunds of duplicate card charges

A duplicate charge on a corporate card is refunded by Finance to the company account IBAN DE89 3704 0044 0532 0130 00 within 10 business days; report it in Expensify with both receipts.

## 3. Payroll portal access

The payroll portal only accepts connections from the office network (gateway 198.51.100.23); use the VPN when working remotely.
"""


def _llm_reply():
    """What the fake model says: a cited answer that echoes placeholders (restored for the asker)."""
    return itertools.cycle(
        [
            "Thanks <PERSON_1>. The policy explains what to do [1].",
            "Here is what the policy says [1]. I will reply to <EMAIL_1>.",
        ]
    )


@pytest.fixture(scope="module")
def pii_settings(base_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("pii-sweep")
    knowledge = root / "knowledge"
    (knowledge / "finance").mkdir(parents=True)
    (knowledge / "hr").mkdir()
    (knowledge / "finance" / "payroll-corrections.md").write_text(PAYROLL_DOC, encoding="utf-8")
    shutil.copy(REPO / "knowledge/hr/annual-leave.md", knowledge / "hr")
    shutil.copy(REPO / "knowledge/hr/code-of-conduct.md", knowledge / "hr")
    shutil.copy(REPO / "knowledge/company.yaml", knowledge)
    settings = base_settings.model_copy(
        update={"data_dir": root / "data", "knowledge_dir": knowledge, "chroma_collection": "pii-sweep"}
    )
    run_ingest(settings)
    return settings


@pytest.fixture
def llm_service(pii_settings: Settings) -> PolicyService:
    return PolicyService(pii_settings, llm=RecordingChatModel(messages=_llm_reply()))


def redis_dump(prefix: str) -> str:
    """Every value of every type under `prefix` (and the key names), as one string."""
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    parts: list[str] = []
    for key in client.scan_iter(f"{prefix}:*", count=500):
        kind = client.type(key)
        parts.append(key)
        if kind == "string":
            parts.append(client.get(key) or "")
        elif kind == "hash":
            parts += [f"{k}={v}" for k, v in client.hgetall(key).items()]
        elif kind == "set":
            parts += list(client.smembers(key))
        elif kind == "zset":
            parts += [m for m, _ in client.zrange(key, 0, -1, withscores=True)]
        elif kind == "list":
            parts += client.lrange(key, 0, -1)
        elif kind == "stream":
            parts += [json.dumps(fields, ensure_ascii=False) for _, fields in client.xrange(key)]
        else:
            raise AssertionError(f"unexpected Redis type {kind} for {key}")
    client.close()
    return "\n".join(parts)


def raw_pii_in(text: str) -> list[str]:
    """The PII values found in `text`, also with separators removed (a card as 4111111111111111)."""
    folded = text.casefold()
    squashed = re.sub(r"[\s.\-()+]", "", folded)
    found = []
    for value in ALL_PII:
        plain = value.casefold()
        digits = re.sub(r"[\s.\-()+]", "", plain)
        if plain in folded or (len(digits) >= 9 and digits in squashed):
            found.append(value)
    return found


def test_no_raw_pii_in_redis_logs_or_prompts(start_bot, llm_service: PolicyService, fake_slack: FakeSlack, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    fake_slack.add_user(ASKER, ASKER_NAME, display_name="Priya R")
    fake_slack.add_user(COLLEAGUE, COLLEAGUE_NAME)
    bot: RunningBot = start_bot(service=llm_service, group_map={"managers": "people-managers"})
    fake = fake_slack
    assert bot.slack.deps.directory.names_loaded.wait(10)  # the directory's names reach the masker at startup
    n = 0

    def answered(**kwargs) -> dict:
        nonlocal n
        question = ask(bot.send, fake, **kwargs)
        n += 1
        fake.wait_for("chat.postMessage", n)
        bot.settle()
        return question

    # a mention in a channel: the asker's directory name, emails, phones
    root = answered(
        text=f"Hi, I'm {ASKER_NAME} (priya.raman@gmail.com, (415) 555-0199). How many days of annual leave do I get per year?",
        user=ASKER,
    )
    # a follow-up in the thread (the LLM condenses the conversation: history holds the PII above)
    answered(
        text="And can I carry over unused days? Text me on +44 20 7946 0958 or 07700 900123",
        thread_ts=root["ts"],
        at_bot=False,
        user=ASKER,
    )
    # a DM with an SSN and card numbers (Luhn-valid)
    answered(
        text="My SSN is 536-22-8471 and my card 4111 1111 1111 1111 was charged twice, also 5500-0000-0000-0004 "
        "and 378282246310005. How do I get a refund for a duplicate card charge?",
        channel=DM,
        dm=True,
        user=ASKER,
    )
    # IBAN and IP, and a second email
    answered(
        text="My salary payment was wrong, please pay it to GB82 WEST 1234 5698 7654 32. I'm on 203.0.113.42, "
        "reach me at p_raman+hr@outlook.co.uk or 415.555.0177",
        user=ASKER,
    )
    # a sensitive question naming a colleague from the directory: answered privately
    answered(text=f"My colleague {COLLEAGUE_NAME} keeps making racist jokes about me, what can I do?", user=ASKER)
    n += 1  # the private answer and the note in the thread
    fake.wait_for("chat.postMessage", n)
    bot.settle()

    # 👍 / 👎 on the answers, both forms of /policy-sources, the Sources button
    answers = fake.calls_to("chat.postMessage")
    channel_answer = fake.threads[(CHANNEL, root["ts"])][1]
    bot.send.event(reaction("+1", CHANNEL, channel_answer["ts"], COLLEAGUE))
    bot.send.event(reaction("-1::skin-tone-2", CHANNEL, channel_answer["ts"], ASKER))
    dm_answer = next(m for m in fake.threads[(DM, max(ts for c, ts in fake.threads if c == DM))])
    bot.send.event(reaction("thumbsdown", DM, dm_answer["ts"], ASKER))
    bot.send.command(user=ASKER, channel=CHANNEL, text="", response_url=fake.response_url("mine"))
    bot.send.command(
        user=ASKER,
        channel=CHANNEL,
        text=f"refund to GB82 WEST 1234 5698 7654 32 for {ASKER_NAME} 536-22-8471",
        response_url=fake.response_url("find"),
    )
    bot.send.click(ids.SOURCES_BUTTON, user=COLLEAGUE, channel=CHANNEL, message=channel_answer)
    fake.wait_for("response/mine")
    fake.wait_for("response/find")
    fake.wait_for("chat.postEphemeral")
    bot.settle()

    # the flows really ran: answers posted, votes counted, the LLM answered, private delivery happened
    assert len(answers) == 6 and fake.calls_to("conversations.open")
    assert bot.stores.redis.hgetall(Keys(bot.slack.deps.settings.redis_prefix).votes(f"{CHANNEL}:{channel_answer['ts']}"))
    entries = bot.stores.audit.export()
    assert len(entries) == 5 and "private" in {e.decision for e in entries}
    assert any(e.answerer.startswith("llm:") for e in entries)
    prompts = llm_service.answerer.model.prompts
    assert prompts and any("<PERSON_1>" in p for p in prompts) and any("<EMAIL_1>" in p for p in prompts)
    assert f"Thanks {ASKER_NAME}" in posted_text(answers[0])  # restored for the asker only

    prefix = bot.slack.deps.settings.redis_prefix
    dump = redis_dump(prefix)
    assert "<EMAIL>" in dump and "<PERSON>" in dump and "<SSN>" in dump and "<CARD>" in dump  # masked, not dropped
    assert raw_pii_in(dump) == []
    logs = "\n".join(
        r.getMessage() + (f"\n{r.exc_text}" if r.exc_text else "") for r in caplog.records if r.name.startswith("bot")
    )
    assert logs and raw_pii_in(logs) == []
    assert raw_pii_in("\n".join(prompts)) == []
    index = (bm25_dir(llm_service.settings, llm_service.collection_name) / "chunks.jsonl").read_text(encoding="utf-8")
    assert "Payroll" in index and raw_pii_in(index) == []

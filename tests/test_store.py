"""Redis stores against a real Redis (DB 15, a unique key prefix per test)."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis
from typer.testing import CliRunner

import bot.cli.audit  # registers `audit` and `forget-user`
import bot.cli.feedback  # noqa: F401  (registers `feedback`)
from bot.cli.app import app
from bot.config import Settings, get_settings
from bot.core.results import Source
from bot.store.answers import DAY_S, AnswerRecord
from bot.store.audit import AuditEntry
from bot.store.claims import EventClaims
from bot.store.groups import RedisGroupCache
from bot.store.redis_conn import connect
from bot.store.stores import Stores

REDIS_URL = os.environ.get("POLICYBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DOWN_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def settings() -> Iterator[Settings]:
    s = Settings(redis_url=REDIS_URL, redis_prefix=f"test-{uuid.uuid4().hex}")
    yield s
    r = connect(s)
    keys = list(r.scan_iter(match=f"{s.redis_prefix}:*"))
    if keys:
        r.delete(*keys)


@pytest.fixture
def stores(settings: Settings) -> Stores:
    return Stores.from_settings(settings)


def answer(stores: Stores, user: str, channel: str = "C1", ts: str | None = None, **fields) -> AnswerRecord:
    defaults = {
        "question": f"question from {user}",
        "answer": f"answer for {user}",
        "sources": [Source(n=1, chunk_id="leave#1", doc_id="leave", title="Leave policy", quote="20 days")],
        "confidence": 0.8,
    }
    rec = AnswerRecord(channel=channel, ts=ts or f"{time.time():.6f}", user=user, **(defaults | fields))
    stores.answers.save(rec)
    return rec


def dump(redis: Redis, prefix: str) -> dict[str, str]:
    """Every key under `prefix` with its contents as text, to prove what is (not) stored."""
    read = {
        "string": redis.get,
        "hash": redis.hgetall,
        "set": lambda key: sorted(redis.smembers(key)),
        "zset": lambda key: redis.zrange(key, 0, -1),
        "stream": redis.xrange,
    }
    return {key: json.dumps(read[redis.type(key)](key)) for key in redis.scan_iter(match=f"{prefix}:*")}


# --- dedup -------------------------------------------------------------------------------


def test_claims_only_one_of_two_processes_claims(settings: Settings) -> None:
    a, b = (EventClaims(connect(settings), settings.redis_prefix, 60) for _ in range(2))
    assert a.claim("Ev1") is True
    assert b.claim("Ev1") is False
    a.done("Ev1")
    assert b.claim("Ev1") is False and a.claim("Ev1") is False
    assert b.claim("Ev2") is True


def test_claims_concurrent_claims_have_one_winner(settings: Settings) -> None:
    claimers = [EventClaims(connect(settings), settings.redis_prefix, 60) for _ in range(8)]
    wins: list[bool] = []
    threads = [threading.Thread(target=lambda d=d: wins.append(d.claim("EvRace"))) for d in claimers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_claims_release_allows_retry_but_not_after_done(stores: Stores, settings: Settings) -> None:
    other = EventClaims(connect(settings), settings.redis_prefix, 60)
    assert stores.claims.claim("Ev1")
    stores.claims.release("Ev1")  # failed before posting
    assert other.claim("Ev1")  # Slack's retry is answered
    other.done("Ev1")
    stores.claims.release("Ev1")  # a late release must not undo a posted answer
    assert not stores.claims.claim("Ev1")
    assert 0 < stores.redis.ttl(f"{settings.redis_prefix}:event:Ev1") <= 60


# --- answers -----------------------------------------------------------------------------


def test_answer_roundtrip_latest_and_ttl(stores: Stores, settings: Settings) -> None:
    first = answer(stores, "U1", ts="100.1")
    latest = answer(stores, "U1", ts="100.2", kind="abstain", private=True)
    assert stores.answers.get("C1", "100.1") == first
    assert stores.answers.get("C1", "999.9") is None
    assert stores.answers.latest_for("U1", "C1") == latest
    assert stores.answers.latest_for("U1", "C2") is None
    assert stores.answers.get("C1", "100.1").sources[0].quote == "20 days"
    retention = settings.answer_retention_days * DAY_S
    p = settings.redis_prefix
    for key in (f"{p}:answer:C1:100.1", f"{p}:latest:U1:C1", f"{p}:user:U1:answers"):
        assert retention - 5 < stores.redis.ttl(key) <= retention, key


def test_recent_is_newest_first_and_pruned_to_retention(stores: Stores) -> None:
    old = answer(stores, "U1", ts="1.0", created_at=time.time() - 400 * DAY_S)
    a = answer(stores, "U1", ts="2.0", created_at=time.time() - 10)
    b = answer(stores, "U2", ts="3.0")
    assert [r.ts for r in stores.answers.recent()] == [b.ts, a.ts]  # `old` pruned from the index
    assert [r.ts for r in stores.answers.recent(limit=1)] == [b.ts]
    stores.feedback.vote("C1", a.ts, "U9", -1)
    assert [r.ts for r in stores.answers.recent(negative_only=True)] == [a.ts]
    assert old.ts not in stores.redis.zrange(stores.answers.keys.answers, 0, -1)


# --- votes -------------------------------------------------------------------------------


def test_new_vote_replaces_old_and_unvote_only_removes_matching(stores: Stores) -> None:
    rec = answer(stores, "U1")
    fb = stores.feedback
    assert fb.vote("C1", rec.ts, "U2", 1)
    assert fb.vote("C1", rec.ts, "U2", -1)  # switched 👍 -> 👎
    [item] = fb.annotate([rec])
    assert (item.up, item.down, item.voters) == (0, 1, 1)
    assert not fb.unvote("C1", rec.ts, "U2", 1)  # removing the old 👍 reaction keeps the 👎
    assert fb.annotate([rec])[0].down == 1
    assert fb.unvote("C1", rec.ts, "U2", -1)
    assert not fb.unvote("C1", rec.ts, "U2", -1)
    assert fb.annotate([rec])[0].voters == 0
    s = fb.stats()
    assert (s["votes_up"], s["votes_down"]) == (0, 0)
    with pytest.raises(ValueError):
        fb.vote("C1", rec.ts, "U2", 2)


def test_vote_on_a_non_answer_is_ignored(stores: Stores, settings: Settings) -> None:
    assert not stores.feedback.vote("C1", "123.456", "U2", -1)
    assert not stores.feedback.unvote("C1", "123.456", "U2", -1)
    assert dump(stores.redis, settings.redis_prefix) == {}


def test_vote_before_the_answer_is_stored_waits_for_it(stores: Stores, settings: Settings) -> None:
    fb, p = stores.feedback, settings.redis_prefix
    assert not fb.vote("C1", "5.0", "bob", -1)  # not known to be ours: refused, nothing kept
    assert fb.vote("C1", "5.0", "bob", -1, keep_pending=True)
    assert fb.vote("C1", "5.0", "carol", 1, keep_pending=True)
    assert fb.unvote("C1", "5.0", "carol", 1)
    assert 0 < stores.redis.ttl(f"{p}:pending-votes:C1:5.0") <= fb.pending_ttl_s
    assert fb.review_queue() == []

    rec = answer(stores, "alice", ts="5.0")

    [item] = fb.review_queue()
    assert (item.record.ts, item.up, item.down) == (rec.ts, 0, 1)
    assert stores.redis.exists(f"{p}:pending-votes:C1:5.0") == 0
    assert stores.redis.smembers(f"{p}:user:bob:votes") == {"C1:5.0"}


def test_forget_user_removes_a_pending_vote(stores: Stores, settings: Settings) -> None:
    assert stores.feedback.vote("C1", "6.0", "alice", -1, keep_pending=True)
    assert stores.forget_user("alice")["votes"] == 1
    answer(stores, "bob", ts="6.0")
    assert stores.feedback.review_queue() == []
    assert not [k for k in stores.redis.scan_iter(f"{settings.redis_prefix}:*") if "alice" in k]


def test_votes_expire_with_their_answer(stores: Stores, settings: Settings) -> None:
    rec = answer(stores, "U1")
    stores.feedback.vote("C1", rec.ts, "U2", 1)
    p = settings.redis_prefix
    answer_expiry = stores.redis.expiretime(f"{p}:answer:C1:{rec.ts}")
    assert answer_expiry > 0
    assert stores.redis.expiretime(f"{p}:votes:C1:{rec.ts}") == answer_expiry
    assert stores.redis.expiretime(f"{p}:user:U2:votes") >= answer_expiry


# --- review queue ------------------------------------------------------------------------


def test_review_queue_enter_leave_resolve(stores: Stores) -> None:
    fb = stores.feedback
    rec, fine = answer(stores, "U1", ts="1.0"), answer(stores, "U1", ts="2.0")
    fb.vote("C1", fine.ts, "U2", 1)
    assert fb.review_queue() == []
    fb.vote("C1", rec.ts, "U2", -1)  # first 👎: enters
    fb.vote("C1", rec.ts, "U3", -1)
    fb.vote("C1", rec.ts, "U4", 1)
    [item] = fb.review_queue()
    assert (item.record.ts, item.up, item.down, item.voters, item.state) == (rec.ts, 1, 2, 3, "open")
    fb.unvote("C1", rec.ts, "U2", -1)
    assert len(fb.review_queue()) == 1  # still one 👎
    fb.vote("C1", rec.ts, "U3", 1)  # last 👎 switched: leaves
    assert fb.review_queue() == []
    assert not fb.resolve("C1", rec.ts, "reviewer", "nothing to do")

    fb.vote("C1", rec.ts, "U5", -1)  # back in
    assert fb.resolve("C1", rec.ts, "ana", "leave doc updated")
    assert fb.review_queue() == []
    [item] = fb.annotate([rec])
    assert item.state == "resolved"
    assert (item.resolution.reviewer, item.resolution.note) == ("ana", "leave doc updated")
    assert fb.stats()["resolved"] == 1


def test_stats(stores: Stores) -> None:
    fb = stores.feedback
    a = answer(stores, "U1", ts="1.0")
    b = answer(stores, "U1", ts="2.0")
    answer(stores, "U2", ts="3.0", kind="abstain")
    fb.vote("C1", a.ts, "U2", 1)
    fb.vote("C1", a.ts, "U3", 1)
    fb.vote("C1", a.ts, "U4", 1)
    fb.vote("C1", b.ts, "U2", -1)
    fb.resolve("C1", b.ts, "ana", "ok")
    assert fb.stats() == {
        "answers_stored": 3,
        "by_kind": {"answer": 2, "abstain": 1},
        "answered": 2,
        "abstained": 1,
        "votes_up": 3,
        "votes_down": 1,
        "satisfaction": 0.75,
        "review_queue": 0,
        "resolved": 1,
    }


# --- audit -------------------------------------------------------------------------------


def entry(user: str, created_at: float | None = None, **fields) -> AuditEntry:
    return AuditEntry(
        user=user,
        channel="C1",
        question=fields.pop("question", f"question from {user}"),
        decision=fields.pop("decision", "answered"),
        sources=["leave#1", "leave#2"],
        principals=["everyone", "uk"],
        answerer="extractive",
        created_at=created_at or time.time(),
        **fields,
    )


def test_audit_record_export_and_since(stores: Stores) -> None:
    e1 = entry("U1", decision="abstained")
    stores.audit.record(e1)
    time.sleep(0.01)
    cut = datetime.now(UTC)
    time.sleep(0.01)
    e2 = entry("U2")
    stores.audit.record(e2)
    assert stores.audit.export() == [e1, e2]
    assert stores.audit.export(since=cut) == [e2]
    assert stores.audit.export(since=cut + timedelta(hours=1)) == []


def test_audit_trims_entries_past_retention(stores: Stores) -> None:
    stores.redis.xadd(stores.audit.key, entry("U1", created_at=1.0).to_fields(), id="1000-0")  # 1970
    fresh = entry("U2")
    stores.audit.record(fresh)
    assert stores.audit.export() == [fresh]


def test_audit_forget_user(stores: Stores) -> None:
    for user in ("U1", "U2", "U1"):
        stores.audit.record(entry(user))
    assert stores.audit.forget_user("U1") == 2
    assert [e.user for e in stores.audit.export()] == ["U2"]


# --- erasure -----------------------------------------------------------------------------


def test_forget_user_removes_everything_of_that_user_only(stores: Stores, settings: Settings) -> None:
    fb, p = stores.feedback, settings.redis_prefix
    alice1 = answer(stores, "alice", channel="C1", ts="1.0")
    alice2 = answer(stores, "alice", channel="D9", ts="2.0", private=True)
    bob1 = answer(stores, "bob", channel="C1", ts="3.0")
    bob2 = answer(stores, "bob", channel="C1", ts="4.0")
    fb.vote("C1", alice1.ts, "bob", -1)  # bob's vote on alice's answer goes with it
    fb.vote("C1", alice1.ts, "alice", 1)
    fb.vote("C1", bob1.ts, "alice", -1)  # alice's 👎 is bob1's only one
    fb.vote("C1", bob2.ts, "alice", -1)
    fb.vote("C1", bob2.ts, "carol", -1)
    fb.vote("C1", bob2.ts, "bob", 1)
    stores.audit.record(entry("alice"))
    stores.audit.record(entry("bob"))
    RedisGroupCache(stores.redis, p, 600).put("alice", ["managers"], False)
    before = dump(stores.redis, p)
    assert any("alice" in k or "alice" in v for k, v in before.items())

    removed = stores.forget_user("alice")

    assert removed == {"votes": 3, "answers": 2, "latest": 2, "audit": 1, "cached_groups": 1, "reasons": 0}
    after = dump(stores.redis, p)
    assert not [k for k, v in after.items() if "alice" in k or "alice" in v]
    assert stores.answers.get("C1", alice1.ts) is None and stores.answers.get("D9", alice2.ts) is None
    assert stores.answers.get("C1", bob1.ts) == bob1 and stores.answers.latest_for("bob", "C1") == bob2
    assert [e.user for e in stores.audit.export()] == ["bob"]
    [review] = fb.review_queue()
    assert (review.record.ts, review.up, review.down) == (bob2.ts, 1, 1)  # carol's 👎 stays
    s = fb.stats()
    assert (s["answers_stored"], s["by_kind"], s["votes_up"], s["votes_down"]) == (2, {"answer": 2}, 1, 1)
    assert stores.redis.smembers(f"{p}:user:bob:votes") == {f"C1:{bob2.ts}"}  # dangling ref to alice1 gone
    assert stores.forget_user("alice") == {"votes": 0, "answers": 0, "latest": 0, "audit": 0, "cached_groups": 0, "reasons": 0}


# --- Redis down --------------------------------------------------------------------------


def test_redis_down_degrades_without_raising(caplog: pytest.LogCaptureFixture) -> None:
    down = Stores.from_settings(Settings(redis_url=DOWN_URL, redis_prefix="down"))
    rec = AnswerRecord(channel="C1", ts="1.0", user="U1", question="q", answer="a")
    with caplog.at_level(logging.WARNING, logger="bot.store.redis_conn"):
        started = time.monotonic()
        assert down.claims.claim("Ev1") is True
        down.claims.done("Ev1")
        down.claims.release("Ev1")
        down.answers.save(rec)
        assert down.answers.get("C1", "1.0") is None
        assert down.answers.latest_for("U1", "C1") is None
        assert down.feedback.vote("C1", "1.0", "U2", 1) is False
        assert down.feedback.unvote("C1", "1.0", "U2", 1) is False
        down.audit.record(entry("U1"))
        assert time.monotonic() - started < 5
    assert "EventClaims.claim" in caplog.text and "redis unavailable" in caplog.text


# --- CLI ---------------------------------------------------------------------------------


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("REDIS_URL", settings.redis_url)
    monkeypatch.setenv("REDIS_PREFIX", settings.redis_prefix)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_feedback_list_and_stats_json(cli: CliRunner, stores: Stores) -> None:
    good, bad = answer(stores, "U1", ts="1.0"), answer(stores, "U2", ts="2.0")
    stores.feedback.vote("C1", good.ts, "U3", 1)
    stores.feedback.vote("C1", bad.ts, "U3", -1)

    result = cli.invoke(app, ["feedback", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["record"]["ts"], r["up"], r["down"], r["state"]) for r in rows] == [
        ("2.0", 0, 1, "open"),
        ("1.0", 1, 0, "none"),
    ]
    rows = json.loads(cli.invoke(app, ["feedback", "list", "--json", "--negative"]).stdout)
    assert [r["record"]["ts"] for r in rows] == ["2.0"]

    table = cli.invoke(app, ["feedback", "list", "--limit", "1"])
    assert table.exit_code == 0 and "question from U2" in table.stdout and "open" in table.stdout

    totals = json.loads(cli.invoke(app, ["feedback", "stats", "--json"]).stdout)
    assert (totals["votes_up"], totals["votes_down"], totals["review_queue"]) == (1, 1, 1)


def test_cli_resolve(cli: CliRunner, stores: Stores) -> None:
    bad = answer(stores, "U1", ts="1.0")
    stores.feedback.vote("C1", bad.ts, "U3", -1)
    ok = cli.invoke(app, ["feedback", "resolve", "C1", "1.0", "--note", "fixed", "--reviewer", "ana"])
    assert ok.exit_code == 0, ok.output
    assert stores.feedback.stats()["resolved"] == 1
    again = cli.invoke(app, ["feedback", "resolve", "C1", "1.0", "--note", "fixed"])
    assert again.exit_code == 1 and "not in the review queue" in again.stderr


def test_cli_feedback_list_shows_the_answer_and_what_resolve_needs(cli: CliRunner, stores: Stores) -> None:
    bad = answer(stores, "U1", channel="C0123ABCD", ts="1700000000.123456", answer="You get 20 days of annual leave [1].")
    stores.feedback.vote(bad.channel, bad.ts, "U3", -1)

    listed = cli.invoke(app, ["feedback", "list"])
    assert listed.exit_code == 0, listed.output
    assert "C0123ABCD 1700000000.123456" in listed.stdout
    assert "You get 20 days" in listed.stdout
    assert "feedback resolve CHANNEL TS" in " ".join(listed.stdout.split())

    shown = cli.invoke(app, ["feedback", "show", "C0123ABCD", "1700000000.123456"])
    assert shown.exit_code == 0, shown.output
    assert "You get 20 days of annual leave [1]." in shown.stdout and "[1] Leave policy" in shown.stdout
    assert "👎 1" in shown.stdout and "review open" in shown.stdout
    missing = cli.invoke(app, ["feedback", "show", "C0123ABCD", "1.0"])
    assert missing.exit_code == 1 and "no stored answer C0123ABCD 1.0" in missing.stderr

    resolved = cli.invoke(app, ["feedback", "resolve", "C0123ABCD", "1700000000.123456", "--note", "doc fixed"])
    assert resolved.exit_code == 0, resolved.output


def test_cli_feedback_stats_reads_for_a_policy_owner(cli: CliRunner, stores: Stores) -> None:
    good, bad = answer(stores, "U1", ts="1.0"), answer(stores, "U2", ts="2.0")
    answer(stores, "U2", ts="3.0", kind="abstain")
    stores.feedback.vote("C1", good.ts, "U3", 1)
    stores.feedback.vote("C1", bad.ts, "U3", -1)
    stores.feedback.vote("C1", bad.ts, "U4", -1)

    out = cli.invoke(app, ["feedback", "stats"])
    assert out.exit_code == 0, out.output
    text = " ".join(out.stdout.split())
    assert "{" not in text and "by_kind" not in text and "counters" not in text  # no internals
    assert "Answers stored 3" in text and "answered 2 (67%)" in text and "not found in the policies 1 (33%)" in text
    assert "Ratings 👍 1 · 👎 2 · 33% positive" in text and "Reviews 1 open · 0 resolved" in text
    assert "Ratings by document" in text and "Leave policy (leave): 3 answers · 👍 1 👎 2 · 1 open review" in text

    totals = json.loads(cli.invoke(app, ["feedback", "stats", "--json"]).stdout)
    [leave] = totals["documents"]
    assert (leave["doc_id"], leave["answers"], leave["up"], leave["down"], leave["open_reviews"]) == ("leave", 3, 1, 2, 1)


def test_cli_audit_export_json(cli: CliRunner, stores: Stores) -> None:
    stores.audit.record(entry("U1"))
    rows = json.loads(cli.invoke(app, ["audit", "export", "--json", "--since", "2000-01-01"]).stdout)
    assert [(r["user"], r["sources"]) for r in rows] == [("U1", ["leave#1", "leave#2"])]
    assert json.loads(cli.invoke(app, ["audit", "export", "--json", "--since", "2999-01-01"]).stdout) == []
    assert cli.invoke(app, ["audit", "export", "--since", "yesterday"]).exit_code == 2


def test_cli_forget_user(cli: CliRunner, stores: Stores) -> None:
    rec = answer(stores, "U1")
    stores.feedback.vote("C1", rec.ts, "U1", -1)
    stores.audit.record(entry("U1"))
    result = cli.invoke(app, ["forget-user", "U1"])
    assert result.exit_code == 0, result.output
    assert "forgot U1: removed 1 votes, 1 answers, 1 latest, 1 audit" in result.stdout


def test_cli_redis_down_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", DOWN_URL)
    get_settings.cache_clear()
    try:
        for args in (["feedback", "list"], ["feedback", "stats"], ["audit", "export"], ["forget-user", "U1"]):
            result = CliRunner().invoke(app, args)
            assert result.exit_code == 1, args
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert "\n" not in result.stderr.strip()
            assert result.stderr.startswith("error: cannot reach Redis at REDIS_URL=redis://127.0.0.1:1/0")
    finally:
        get_settings.cache_clear()


def test_cli_tables_print_user_text_verbatim(cli: CliRunner, stores: Stores) -> None:
    markup = AnswerRecord(channel="C1", ts="1.0", user="U1", question="[/b] [red]x[/red]", answer="a")
    stores.answers.save(markup)
    stores.audit.record(entry("U1", question="[/oops]"))
    listed = cli.invoke(app, ["feedback", "list"])
    exported = cli.invoke(app, ["audit", "export"])
    assert listed.exit_code == 0 and "[red]x[/red]" in listed.stdout
    assert exported.exit_code == 0 and "[/oops]" in exported.stdout

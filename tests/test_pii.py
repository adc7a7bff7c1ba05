"""PII masking (real Presidio, offline) and question sanitising."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.config import Settings
from bot.governance import pii_recognizers
from bot.governance.pii import PiiMasker, get_masker
from bot.governance.sanitize import sanitize_question


@contextmanager
def network_blocked() -> Iterator[list[object]]:
    """Make every connection attempt fail, and record it."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled in tests")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        mp.setattr(socket, "getaddrinfo", refuse)
        yield attempts


def _settings(tmp: Path | None = None, **overrides: object) -> Settings:
    names_file = None
    if tmp is not None:
        names_file = tmp / "names.txt"
        names_file.write_text("Priya Raman\nJohn O'Neil\n\n", encoding="utf-8")
    values = {
        "pii_enabled": True,
        "pii_names_file": names_file,
        "spacy_model": None,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="module")
def masker(tmp_path_factory: pytest.TempPathFactory) -> PiiMasker:
    with network_blocked() as attempts:
        built = PiiMasker(_settings(tmp_path_factory.mktemp("pii")))
        built.mask("warm up: jane@example.com")
    assert attempts == []
    return built


def test_builds_and_analyzes_without_network(masker: PiiMasker, monkeypatch: pytest.MonkeyPatch) -> None:
    # forget the loaded suffix list so email validation has to load it again, now with no network
    monkeypatch.setattr(pii_recognizers._TLD, "_extractor", None)
    with network_blocked() as attempts:
        fresh = PiiMasker(_settings())
        assert fresh.mask("Write to jane.doe@gmail.com") == "Write to <EMAIL>"
    assert attempts == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email jane.doe@gmail.com please", "Email <EMAIL> please"),
        ("mail ops-team+it@corp.northwind.example now", "mail <EMAIL> now"),
        ("Call me at (212) 555-7391", "Call me at <PHONE>"),
        ("My mobile is 07700 900123", "My mobile is <PHONE>"),
        ("UK office +44 20 7946 0958", "UK office <PHONE>"),
        ("Berlin: +49 30 901820", "Berlin: <PHONE>"),
        ("Paris 01 42 68 53 00 works", "Paris <PHONE> works"),
        ("India +91 98765 43210 ok", "India <PHONE> ok"),
        ("phone: 467 3395", "phone: <PHONE>"),
        ("My SSN is 536-22-1234.", "My SSN is <SSN>."),
        ("card 4111 1111 1111 1111 expired", "card <CARD> expired"),
        ("amex 378282246310005", "amex <CARD>"),
        ("IBAN DE89 3704 0044 0532 0130 00 for salary", "IBAN <IBAN> for salary"),
        ("iban gb82west12345698765432", "iban <IBAN>"),
        ("from 192.168.10.24 and 2001:db8::8a2e:370:7334", "from <IP> and <IP>"),
        ("my bank account 123456789012 at Chase", "my bank account <BANK_ACCOUNT> at Chase"),
        ("routing number 021000021", "routing number <BANK_ACCOUNT>"),
        ("Ask priya raman or JOHN O'NEIL", "Ask <PERSON> or <PERSON>"),
    ],
)
def test_masks_each_entity_type(masker: PiiMasker, text: str, expected: str) -> None:
    assert masker.mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "You get 25 days of annual leave plus 10 public holidays.",
        "The relocation budget is $10,000 (or €9.500,50) per year.",
        "The policy takes effect 2026-01-01 and was revised 15.03.2024 and 03/15/2024.",
        "See Section 4.2 and clause 12.3.1 of handbook v2.1.0.",
        "Order 12345678 shipped on 2025-07-01 12:30:00.",
        "Call 2026-01-01 the start date; population 1 000 000.",
        "Contact hr@northwind.example or call +1 555 0100 (also +1-555-0100).",
        "Ask Priyanka about the Johnson account policy.",
    ],
)
def test_keeps_policy_text_and_allowlisted_contacts(masker: PiiMasker, text: str) -> None:
    assert masker.mask(text) == text


def test_bank_digits_need_banking_words(masker: PiiMasker) -> None:
    assert masker.mask("ticket 123456789012 is closed") == "ticket 123456789012 is closed"


def test_pseudonymize_round_trip_same_value_same_placeholder(masker: PiiMasker) -> None:
    text = "Priya Raman (priya@gmail.com) and John O'Neil: PRIYA RAMAN again, priya@gmail.com, bob@gmail.com"
    masked, mapping = masker.pseudonymize(text)
    assert masked == ("<PERSON_1> (<EMAIL_1>) and <PERSON_2>: <PERSON_1> again, <EMAIL_1>, <EMAIL_2>")
    assert mapping == {
        "<PERSON_1>": "Priya Raman",
        "<EMAIL_1>": "priya@gmail.com",
        "<PERSON_2>": "John O'Neil",
        "<EMAIL_2>": "bob@gmail.com",
    }
    assert PiiMasker.restore("Reply to <PERSON_1> at <EMAIL_1>; cc <EMAIL_2>.", mapping) == (
        "Reply to Priya Raman at priya@gmail.com; cc bob@gmail.com."
    )
    assert PiiMasker.restore("<PERSON_10> and <PHONE_1> stay", mapping) == "<PERSON_10> and <PHONE_1> stay"


def test_neighbouring_values_keep_their_own_placeholders(masker: PiiMasker) -> None:
    masked, mapping = masker.pseudonymize("cc Priya Raman John O'Neil")
    assert masked == "cc <PERSON_1> <PERSON_2>"
    assert PiiMasker.restore(masked, mapping) == "cc Priya Raman John O'Neil"
    assert masker.mask("cc Priya Raman John O'Neil") == "cc <PERSON> <PERSON>"


def test_add_names_at_runtime(masker: PiiMasker) -> None:
    assert masker.mask("ping Zoë Kovač today") == "ping Zoë Kovač today"
    masker.add_names(["Zoë Kovač", "  ", "Al"])
    assert masker.mask("ping zoë kovač today, not Zoëy Kovačević") == "ping <PERSON> today, not Zoëy Kovačević"
    assert masker.mask("Al said") == "Al said"  # too short to be a safe name entry


def test_find_reports_typed_spans(masker: PiiMasker) -> None:
    text = "mail a@b.com"
    [span] = masker.find(text)
    assert (span.entity_type, span.start, span.end, span.text) == ("EMAIL_ADDRESS", 5, 12, "a@b.com")
    assert 0 < span.score <= 1


def test_mask_many_matches_mask(masker: PiiMasker) -> None:
    texts = ["card 4111 1111 1111 1111", "", "nothing here", "phone: 467 3395, ssn 536-22-1234"]
    assert masker.mask_many(texts) == [masker.mask(t) for t in texts]


def test_disabled_passes_text_through() -> None:
    off = PiiMasker(_settings(pii_enabled=False))
    text = "jane@gmail.com 536-22-1234"
    assert off.mask(text) == text
    assert off.pseudonymize(text) == (text, {})
    assert off.mask_many([text]) == [text]
    assert off.find(text) == []


def test_get_masker_is_cached_per_settings(tmp_path: Path) -> None:
    settings = _settings(pii_enabled=False)
    assert get_masker(settings) is get_masker(settings.model_copy())
    (tmp_path / "company.yaml").write_text("pii_allowlist: []\n", encoding="utf-8")  # another company's allow-list
    assert get_masker(settings) is not get_masker(_settings(pii_enabled=False, company_file=tmp_path / "company.yaml"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("how\x00 many\x07 days?\u200b", "how many days?"),
        ("line one\nline\ttwo\r\n  three", "line one line two three"),
        ("<!channel> <!here> <!everyone> leave?", "leave?"),  # pings address people and ask nothing
        ("ask <!subteam^S0123|@people-ops> now", "ask now"),
        ("due <!date^1392734382^{date}|Feb 18, 2014>", "due Feb 18, 2014"),
        ("what did <@U123ABC> say? and <@U9|maria>", "what did a colleague say? and maria"),
        ("see <#C123|general>", "see #general"),
        (
            "read <https://evil.example/x|the handbook> or <https://intra.example/p>",
            "read the handbook or https://intra.example/p",
        ),
        ("mail <mailto:hr@northwind.example|hr@northwind.example>", "mail hr@northwind.example"),
        ("&lt;!channel&gt; salary &lt; 50k &amp; bonus", "salary < 50k & bonus"),
        ("\uff1c!channel\uff1e ｆｕｌｌwidth", "fullwidth"),
    ],
)
def test_sanitize_question(raw: str, expected: str) -> None:
    assert sanitize_question(raw, 2_000) == (expected, False)


def test_sanitize_truncates_on_a_word_boundary() -> None:
    text, truncated = sanitize_question("word " * 100, 52)
    assert truncated and text == ("word " * 10).strip()
    assert sanitize_question("x" * 30, 25) == ("x" * 25, True)
    assert sanitize_question("short", 25) == ("short", False)

"""Presidio recognizers tuned for policybot, all offline and pattern-based (plus a names list).

Presidio's stock recognizers are reused where they are good enough (SSN, IBAN, IP, the
phonenumbers-based phone matcher); the ones below replace or complement stock behaviour:

- `OfflineEmailRecognizer`: the stock one validates domains with `tldextract.extract`, whose
  global extractor downloads the public suffix list on first use; ours uses the bundled snapshot
  and also accepts private-use TLDs (`.example`, `.internal`, ...) that company mail uses.
- `CardRecognizer`: 12-19 digits of any issuer prefix (the stock pattern only covers 13-17 digits
  and misses 2-series Mastercard, JCB 2131/1800 and Maestro), Luhn-checked.
- `CandidatePhoneRecognizer`: the stock phonenumbers recognizer, only run where 7+ digits cluster.
- `ContextPhoneRecognizer`: phone-shaped digit groups that phonenumbers cannot validate (short local
  numbers, foreign formats); only counted when a phone word is near, so it needs no region rules.
- `BankAccountRecognizer`: 8-17 digit runs, only counted next to banking words.
- `NamesListRecognizer`: whole-word, case-insensitive lookup of known full names (Slack directory).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

import phonenumbers
import tldextract
from presidio_analyzer import (
    EntityRecognizer,
    LocalRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer, PhoneRecognizer

# A context word nearby adds 0.35 (Presidio's default) and the engine threshold is 0.4, so these
# base scores pass only with context. With context they rank: phonenumbers match (0.4 + 0.35) >
# phone-shaped digits (0.5) > bank digits (0.45) > phonenumbers match with no phone word (0.4).
PHONE_SHAPED_SCORE = 0.15
BANK_DIGITS_SCORE = 0.1

# Public suffix list from the snapshot shipped inside tldextract: no cache dir, no URLs, no network.
_TLD = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)
_PRIVATE_TLDS = frozenset({"example", "test", "local", "localhost", "internal", "corp", "lan", "intranet", "home"})


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email pattern, validated against the bundled public suffix snapshot."""

    def validate_result(self, pattern_text: str) -> bool:
        domain = pattern_text.rsplit("@", 1)[-1].lower()
        return domain.rsplit(".", 1)[-1] in _PRIVATE_TLDS or _TLD(domain).fqdn != ""


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


class CardRecognizer(PatternRecognizer):
    """Payment card numbers: 12-19 digits, whole or in groups, first digit 1-6, Luhn-checked."""

    PATTERNS = [
        Pattern(
            "card (issuer prefix, 12-19 digits)",
            # Issuer digits 1-6 cover UATP, JCB 1800/2131, Mastercard 2-series, Amex/Diners/JCB,
            # Visa, Mastercard, Maestro, Discover/UnionPay; groups of 3-6 digits split by " " or "-".
            r"(?<![\w./-])(?<!\d,)(?:[1-6]\d{3}(?:[ -]?\d{3,6}){2,4}|[1-6]\d{11,18})(?![\w/-]|[.,]\d)",
            0.3,
        )
    ]
    CONTEXT = ["credit", "card", "visa", "mastercard", "amex", "discover", "jcb", "diners", "maestro", "debit"]

    def __init__(self) -> None:
        super().__init__(supported_entity="CREDIT_CARD", patterns=self.PATTERNS, context=self.CONTEXT)

    def validate_result(self, pattern_text: str) -> bool:
        digits = re.sub(r"\D", "", pattern_text)
        return 12 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


class CandidatePhoneRecognizer(PhoneRecognizer):
    """Presidio's phonenumbers recognizer, run only on phone-like stretches with 7+ digits.

    phonenumbers scans the whole text once per region (~0.4 ms each). Here it sees only candidates,
    trying regions in order until one explains every digit, and the 7-digit floor drops house
    numbers and codes that some regions would accept.
    """

    _CANDIDATE = re.compile(r"\+?[(\d][\d().\- \t/]*\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?", re.IGNORECASE)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        results = []
        for candidate in self._CANDIDATE.finditer(text):
            digits = _digit_count(candidate.group())
            if digits < 7:
                continue
            # a little text either side lets phonenumbers reject numbers glued to letters or timestamps
            start, end = max(candidate.start() - 1, 0), candidate.end() + 3
            for region in self.supported_regions:  # most likely region first; stop once one explains it all
                found = [
                    m
                    for m in phonenumbers.PhoneNumberMatcher(text[start:end], region, leniency=self.leniency)
                    if _digit_count(m.raw_string) >= 7
                ]
                for match in found:
                    result = self._get_recognizer_result(match, text, region, nlp_artifacts)
                    result.start, result.end = match.start + start, match.end + start
                    results.append(result)
                if sum(_digit_count(m.raw_string) for m in found) >= digits:
                    break
        return EntityRecognizer.remove_duplicates(results)


class ContextPhoneRecognizer(PatternRecognizer):
    """Phone-shaped digit groups (7-15 digits) that count only next to a phone word."""

    PATTERNS = [
        Pattern(
            "phone-shaped digit groups",
            r"(?<![\w+./:-])(?<!\d,)(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?(?:\d{7,15}|\d{2,6}(?:[ .-]\d{2,6}){1,4})"
            r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w/:]|-\d|[.,]\d)",
            PHONE_SHAPED_SCORE,
        )
    ]
    CONTEXT = [
        "phone", "tel", "mobile", "cell", "call", "fax", "desk", "office", "landline", "whatsapp",
        "sms", "text", "dial", "ring", "reach", "contact", "answer", "extension", "hotline",
    ]  # fmt: skip
    _DATE = re.compile(r"\d{4}([./-])\d{1,2}\1\d{1,2}|\d{1,2}([./-])\d{1,2}\2\d{2,4}")

    def __init__(self) -> None:
        super().__init__(supported_entity="PHONE_NUMBER", patterns=self.PATTERNS, context=self.CONTEXT)

    def invalidate_result(self, pattern_text: str) -> bool:
        digits = re.sub(r"\D", "", re.split(r"x|ext", pattern_text, flags=re.IGNORECASE)[0])
        if not 7 <= len(digits) <= 15 or len(set(digits)) < 3 or self._DATE.fullmatch(pattern_text):
            return True
        try:  # a dotted quad is an IP address, not a phone
            ipaddress.ip_address(pattern_text)
            return True
        except ValueError:
            return False


class BankAccountRecognizer(PatternRecognizer):
    """Bank account and routing numbers: bare 8-17 digit runs, counted only near banking words."""

    PATTERNS = [Pattern("account digits", r"(?<![\w./-])(?<!\d,)\d(?:[ -]?\d){7,16}(?![\w/-]|[.,]\d)", BANK_DIGITS_SCORE)]
    CONTEXT = ["account", "acct", "a/c", "routing", "aba", "bank", "checking", "savings", "deposit", "sort code"]

    def __init__(self) -> None:
        super().__init__(supported_entity="BANK_ACCOUNT", patterns=self.PATTERNS, context=self.CONTEXT)

    def invalidate_result(self, pattern_text: str) -> bool:
        return len(set(re.sub(r"\D", "", pattern_text))) < 3


_WORD = re.compile(r"\w+(?:['’.-]\w+)*")


def name_key(name: str) -> tuple[str, ...]:
    """A name as casefolded words, so "Ana  María" and "ana maría" compare equal."""
    return tuple(w.casefold() for w in _WORD.findall(name))


class NamesListRecognizer(LocalRecognizer):
    """Known people's names (one full name per entry), matched as whole words, any case.

    Word n-gram lookup instead of one big regex alternation: cost grows with the text, not with
    the size of the directory. The index is replaced, never mutated, so readers need no lock.
    """

    SCORE = 0.85

    def __init__(self) -> None:
        self._index: dict[str, frozenset[tuple[str, ...]]] = {}
        self._longest = 0
        super().__init__(supported_entities=["PERSON"], name="NamesListRecognizer")

    def load(self) -> None:
        """Names arrive through `add_names`; nothing to load."""

    def add_names(self, names: Iterable[str]) -> None:
        """Add names; entries under 3 characters are ignored, and a one-word entry masks that word."""
        index = {first: set(keys) for first, keys in self._index.items()}
        for name in names:
            key = name_key(name)
            if key and len(" ".join(key)) >= 3:
                index.setdefault(key[0], set()).add(key)
        self._longest = max((len(k) for keys in index.values() for k in keys), default=0)
        self._index = {first: frozenset(keys) for first, keys in index.items()}

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        index = self._index
        if not index:
            return []
        words = list(_WORD.finditer(text))
        folded = [w.group().casefold() for w in words]
        results = []
        i = 0
        while i < len(words):
            candidates = index.get(folded[i])
            size = 0
            if candidates:  # longest known name starting here wins
                for n in range(min(self._longest, len(words) - i), 0, -1):
                    if tuple(folded[i : i + n]) in candidates:
                        size = n
                        break
            if size:
                start, end = words[i].start(), words[i + size - 1].end()
                results.append(self._result(start, end))
                i += size
            else:
                i += 1
        return results

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            entity_type="PERSON",
            start=start,
            end=end,
            score=self.SCORE,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )

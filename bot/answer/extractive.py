"""The default answerer: quotes the source sentences, list items or table rows that answer.

No API key and no download: units from the top chunks are scored by embedding similarity to the
question plus content-word overlap, and the best are quoted verbatim with numbered citations.
It never writes a fact that is not in a source.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.answer.answer_type import carries, type_bonus, wanted_kind
from bot.answer.answerer import Draft, DraftRequest
from bot.answer.candidates import Scored, overlap, own_heading
from bot.answer.lexical import QUESTION_SHAPE, content_terms, content_words, negated, un_forms
from bot.answer.scorer import RESCORE_UNITS, AnswerScorer
from bot.answer.tables import named_row_before_its_table, row_bonuses, row_cells, row_in_range, whole_table
from bot.answer.text_units import Unit, heading_like, split_units
from bot.answer.word_cover import WordVectors, closeness
from bot.core.chunks import LIST_ITEM, chunk_body
from bot.core.masking import PLACEHOLDER
from bot.retrieval.hybrid import Hit
from bot.retrieval.synonyms import expand_query, idiom_words, matched

# a rule for a special case (extra days, directors); when the question names no special case, the general rule leads.
# Sentences starting with "If…"/"For example…" were tried too: they are often the general rule ("If you are unable to work…").
_SPECIAL_CASE = re.compile(r"\b(additional|in addition to the|directors and above)\b", re.IGNORECASE)
_ASKS_SPECIAL_CASE = re.compile(
    r"\d|\b(if|unless|part[- ]time|additional|extra|more|longer|director|after|during|while)\b", re.IGNORECASE
)
# a rule for another role ("Managers who witness… must notify People Ops", "Contractors are not covered"): it
# answers only a question that names that role; "who do I talk to" from the asker wants the asker's own rule
_ROLE_SUBJECT = re.compile(
    r"^(?:all |the )?(managers|directors|contractors|interns|interviewees|executives|approvers|reviewers|investigators)\b",
    re.IGNORECASE,
)


# a sentence about the document itself ("This policy summarises what the insurance covers, what it does not
# cover…") names every topic of the document and answers none of them, unless its purpose is what is asked
_ABOUT_DOCUMENT = re.compile(
    r"^(this (policy|standard|document|page|handbook|guide|guideline|procedure|section)|the (purpose|aim|objective)s? of this)\b"
    r"|\b(the|this) policy (below|above)\b",
    re.IGNORECASE,
)
# a template's notes to its editors answer nothing: "Foundations can replace their own confidentiality policy with the
# text below.", "If using this text, …", "Include this policy if dress code matters…", "Amend to fit…"
_EDITOR_NOTE = re.compile(
    r"\b(the|this) (text|template|wording) (below|above)\b|\bthis (text|template)\b|^amend\b|\bthe below\b"
    r"|\b(include|use|edit|adapt|amend|adjust|replace) (this|the) (policy|text|template|section)\b"
    r"|\bcan be amended\b|^\((adjust|amend|adapt|insert|this (clause|section) needs)\b",  # an aside, not in a clause
    re.IGNORECASE,
)
_ASKS_PURPOSE = re.compile(
    r"\b(purpose|why (do|does) (we|the company|\w+) (\w+ )?have|what is (the|this) [\w\s-]{0,40}(policy|standard|handbook) "
    r"(for|about))\b",
    re.IGNORECASE,
)
# below a quote of its own by this much, a sentence with masked personal data is quoted only when nothing close
# to it answers ("You can always reach the confidential advisor team at confidential-advisors@…" does)
MASKED_PENALTY = 0.25
_PREAMBLE = re.compile(r"^(\d+\.?\s*)?(purpose|scope|introduction|overview|about this policy)\b", re.IGNORECASE)


class UnitEmbeddingCache:
    """Unit embeddings by text (LRU): chunks recur across questions, so most are reused."""

    def __init__(self, embeddings: Embeddings, size: int = 20_000) -> None:
        self.embeddings, self.size = embeddings, size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
            for text in found:
                self._cache.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            vectors = [np.asarray(v, dtype=np.float32) for v in self.embeddings.embed_documents(missing)]
            found.update(zip(missing, vectors))
            with self._lock:
                self._cache.update(zip(missing, vectors))
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
        return np.stack([found[t] for t in texts]) if texts else np.zeros((0, 1), dtype=np.float32)

    def __len__(self) -> int:
        return len(self._cache)


class ExtractiveAnswerer:
    """The default `Answerer`: verbatim quotes of the units that answer, best first."""

    name = "extractive"
    quotes_only = True  # its text is verbatim text of the chunks it cites

    def __init__(
        self,
        cache: UnitEmbeddingCache,
        words: WordVectors,
        *,
        synonyms: Mapping[str, str],
        max_quotes: int = 3,
        chunks: int = 4,
        relative_cutoff: float = 0.75,
    ) -> None:
        """`cache`: unit embeddings; `words`: embeddings of single words (bot/answer/word_cover.py).
        `synonyms`: the company's employee phrase -> policy terms (the profile's `synonyms`). A request's
        `scorer` (the trained answer scorer), when set, re-ranks the best units."""
        self.synonyms, self.words = synonyms, words
        self.cache, self.max_quotes, self.chunks, self.relative_cutoff = cache, max_quotes, chunks, relative_cutoff

    def warm(self, chunk_texts: list[str], batch: int = 64, stop: threading.Event | None = None) -> int:
        """Embed the units of these chunks ahead of questions (up to the cache size); returns how many.

        `stop` ends the work between batches (a batch of 64 takes well under a second on one core).
        """
        units = list(dict.fromkeys(embed_text(u) for text in chunk_texts for u in split_units(chunk_body(text))))
        units = units[: self.cache.size]
        done = 0
        for start in range(0, len(units), batch):
            if stop is not None and stop.is_set():
                break
            done += len(self.cache.get(units[start : start + batch]))
        return done

    def draft(self, request: DraftRequest) -> Draft:
        """The best-scoring units of the top chunks for the search query, quoted with [n] markers."""
        question = request.query
        q_words = content_words(expand_query(question, self.synonyms))  # stem -> word, synonyms added
        literal = content_words(" ".join(idiom_words(question, self.synonyms)))  # "used" of "used up" (exhausted)
        q_words = {stem: word for stem, word in q_words.items() if stem not in literal}
        q_terms = frozenset(q_words) | un_forms(question)
        weights = synonym_weights(question, q_terms, self.synonyms)
        scored = self._score(
            question,
            q_words,
            q_terms,
            request.hits[: self.chunks],
            np.asarray(request.query_embedding, dtype=np.float32),
            weights,
        )
        scored = _rescored(question, scored, request.scorer)
        if not scored:
            return Draft("")
        best = scored[0].score
        chosen: list[Scored] = []
        for cand in scored:
            if len(chosen) >= self.max_quotes or cand.score < best * self.relative_cutoff:
                break
            if any(overlap(cand.unit, c.unit) for c in chosen):
                continue
            if chosen and _padding(question, q_terms, chosen[0], cand, best):
                continue
            chosen.append(cand)
        chosen = _carrying(question, chosen, scored, best, self.max_quotes)
        chosen = whole_table(question, q_terms, chosen, scored)
        chosen = _whole_list(question, chosen, scored)
        draft = _compose(_with_context(question, chosen, scored))
        if request.scorer is not None:  # the lead quote's probability, for confidence (scored once, here)
            lead = chosen[0]
            draft.answers = (
                lead.answers if lead.answers is not None else float(request.scorer.score(question, [embed_text(lead.unit)])[0])
            )
        return draft

    def _score(
        self,
        question: str,
        q_words: dict[str, str],
        q_terms: frozenset[str],
        hits: list[Hit],
        q_vec: np.ndarray,
        weights: Mapping[str, float],
    ) -> list[Scored]:
        q_negated = negated(question)
        general = not _ASKS_SPECIAL_CASE.search(question)
        asks_purpose = bool(_ASKS_PURPOSE.search(question))
        units = [(unit, hit) for hit in hits for unit in split_units(chunk_body(hit.doc.page_content))]
        pairs = [(unit, hit) for unit, hit in units if not not_an_answer(unit)]  # embed only what may be quoted
        if not pairs:
            return []
        vectors = self.cache.get([embed_text(unit) for unit, _ in pairs])
        sims = vectors @ q_vec
        rows = row_bonuses(question, q_terms, [unit for unit, _ in pairs])
        # a clause is read under its own heading: "what do I bring on my first day" is answered by "Bring a
        # photo ID…" under "2. Your first day". Golden set, one run: must-contain 0.887 -> 0.902, abstention on
        # uncovered questions unchanged (0.757); a bonus for the whole section instead lost 0.054 of abstention
        covers = self._coverage(q_words, q_terms, [f"{unit.text} {own_heading(hit)}" for unit, hit in pairs], weights)
        ranked = []
        for (unit, hit), sim, row, covered in zip(pairs, sims, rows, covers, strict=True):
            rank_prior = 1.0 / (1 + hits.index(hit))
            fit = type_bonus(question, unit.text)
            length_penalty = 0.05 * max(0, len(unit.text.split()) - 40) / 40  # long units cover words by bulk
            preamble = 0.05 if _PREAMBLE.match(str(hit.doc.metadata.get("section", ""))) else 0.0
            negation = 0.05 if q_negated and negated(unit.text) else 0.0
            special = 0.07 if general and _SPECIAL_CASE.search(unit.text) else 0.0
            if _ABOUT_DOCUMENT.search(unit.text) and not asks_purpose:
                special += 0.3
            if PLACEHOLDER.search(unit.text):  # "The current advisor is <PERSON> (<EMAIL>)": masked, it helps no one
                special += MASKED_PENALTY
            role = _ROLE_SUBJECT.match(unit.text)
            if role and not content_terms(role.group(1)) & q_terms:
                special += 0.07
            score = 0.5 * float(sim) + 0.3 * covered + 0.1 * rank_prior + 0.1 * fit + row + negation
            score -= length_penalty + preamble + special
            ranked.append(Scored(unit, hit, score, row))
        named_row_before_its_table(ranked)
        ranked.sort(key=lambda s: s.score, reverse=True)
        return ranked

    def _coverage(
        self, q_words: dict[str, str], q_terms: frozenset[str], texts: list[str], weights: Mapping[str, float]
    ) -> list[float]:
        """Per text, the weighted share of the question's terms it covers: a term it contains counts its weight
        (1, or less for a synonym's term: `synonym_weights`), one it lacks counts as close as its closest word is in
        meaning ("bag" ~ "baggage"; bot/answer/word_cover.py)."""
        if not q_terms:
            return [0.0] * len(texts)
        # the topic words that have a word to embed; a number or a code ("SEV1") is covered only by itself, a word
        # that shapes the question ("how many", "get") is not asked of the text in meaning ("get" ~ "receive")
        asked = {
            stem: word for stem, word in q_words.items() if stem not in QUESTION_SHAPE and not any(c.isdigit() for c in word)
        }
        held = [content_words(text) for text in texts]
        vocab = {stem: word for words in held for stem, word in words.items()}
        column = {stem: j for j, stem in enumerate(vocab)}
        close = closeness(list(asked.values()), list(vocab.values()), self.words)
        total = sum(weights.get(t, 1.0) for t in q_terms)
        out = []
        for words in held:
            cols = [column[stem] for stem in words]
            soft = sum(
                weights.get(stem, 1.0) * float(close[i, cols].max()) for i, stem in enumerate(asked) if cols and stem not in words
            )
            out.append((sum(weights.get(t, 1.0) for t in q_terms & words.keys()) + soft) / total)
        return out


SYNONYM_FLOOR = 0.5  # the least weight of a synonym's term


def synonym_weights(question: str, q_terms: frozenset[str], synonyms: Mapping[str, str]) -> dict[str, float]:
    """stem -> weight (SYNONYM_FLOOR..1) of each term a synonym added that the question lacks: the phrase's share, so a
    phrase counts about as much as its own words do ("pto" is one word, "annual leave paid time off" five: each
    counted 1, they outweighed "carry over" in "can I carry over unused pto?"); an acronym's spelled-out name is the
    acronym's own words. Terms not here weigh 1."""
    own = content_terms(question)
    weights: dict[str, float] = {}
    for phrase, target in matched(question, synonyms):
        terms = content_terms(target)
        if "".join(w[0] for w in target.split()).lower() == phrase.lower():
            continue  # an acronym spelled out ("hsa": "Health Savings Account") is its name: every word counts
        share = max(SYNONYM_FLOOR, min(1.0, max(1, len(content_terms(phrase))) / max(1, len(terms))))
        for t in terms & q_terms - own:
            weights[t] = max(weights.get(t, 0.0), share)
    return weights


def _rescored(question: str, ranked: list[Scored], scorer: AnswerScorer | None) -> list[Scored]:
    """The best RESCORE_UNITS units with the scorer's probability (x its weight) added, re-sorted."""
    if scorer is None or not ranked:
        return ranked
    top = ranked[:RESCORE_UNITS]
    probs = scorer.score(question, [embed_text(c.unit) for c in top])
    for cand, prob in zip(top, probs):
        cand.answers = float(prob)
        cand.score += scorer.weights.unit * cand.answers
    return sorted(top, key=lambda s: s.score, reverse=True) + ranked[RESCORE_UNITS:]


_CARRIER_FLOOR = 0.6  # of the best score: a unit carrying the asked fact, from the same document, below the usual cutoff


def _carrying(question: str, chosen: list[Scored], scored: list[Scored], best: float, limit: int) -> list[Scored]:
    """Quotes that carry the kind of fact the question asks for, leading.

    "What's the mileage rate?" must not lead with "Record the route and mileage" when "$0.70 per mile" is
    among the quotes; "…and what's the number to call" needs the sentence with the phone number even when
    it scored below the cutoff (then it is added, from the best quote's document only).
    """
    kind = wanted_kind(question)
    if kind is None or carries(kind, chosen[0].unit.text):
        return chosen
    carrier = next((c for c in chosen if carries(kind, c.unit.text)), None)
    if carrier is not None:
        return [carrier, *(c for c in chosen if c is not carrier)]
    top_doc = chosen[0].hit.doc.metadata.get("doc_id")
    extra = next(
        (
            c
            for c in scored
            if c.score >= best * _CARRIER_FLOOR
            and c.hit.doc.metadata.get("doc_id") == top_doc
            and carries(kind, c.unit.text)
            and not any(overlap(c.unit, x.unit) for x in chosen)
        ),
        None,
    )
    if extra is None:
        return chosen
    return [chosen[0], extra, *chosen[1 : limit - 1]]


# a question that asks for every step or condition: "what is the procedure for…", "what are the steps", "what do
# I need to submit"; "how do I…" is not one (its answer is usually one sentence: "open a ticket in ServiceNow")
_ASKS_LIST = re.compile(
    r"\b(procedure|process|steps|what (do|should) (i|we|they|employees) (need to )?(bring|submit|provide|include)|"
    r"which documents|what documents|requirements|conditions|criteria|responsibilities)\b",
    re.IGNORECASE,
)
WHOLE_LIST_ITEMS = 8  # a list this long is quoted whole when the question asks for all of it
WHOLE_LIST_WORDS = 200


def _whole_list(question: str, chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
    """Every item of the leading list item's list, in the document's order, when the question asks for a list:
    the procedure's steps, not step 1 alone. Only a list of at most WHOLE_LIST_ITEMS items and WHOLE_LIST_WORDS
    words (a longer one is a chapter, not an answer); the items are the lead item's block of consecutive list
    lines in its chunk."""
    lead = chosen[0]
    if lead.unit.kind != "item" or not _ASKS_LIST.search(question):
        return chosen
    lines = [ln.strip() for ln in chunk_body(lead.hit.doc.page_content).splitlines()]
    at = next((i for i, ln in enumerate(lines) if ln == lead.unit.text), None)
    if at is None:
        return chosen
    start, end = at, at + 1
    while start > 0 and LIST_ITEM.match(lines[start - 1]):
        start -= 1
    while end < len(lines) and LIST_ITEM.match(lines[end]):
        end += 1
    block = lines[start:end]
    if len(block) < 2 or len(block) > WHOLE_LIST_ITEMS or sum(len(ln.split()) for ln in block) > WHOLE_LIST_WORDS:
        return chosen
    items = {c.unit.text: c for c in scored if c.hit is lead.hit and c.unit.kind == "item"}
    listed = [items[ln] for ln in block if ln in items]
    if len(listed) < len(block):
        return chosen  # an item was split into sentences or is not quotable: quote what scored
    return listed + [c for c in chosen if c not in listed]


def not_an_answer(unit: Unit) -> bool:
    """A unit that cannot answer a question whatever its words: a question ("Does your Foundation permit
    solicitation?", from a template), a heading left unmarked in a PDF's text ("Fitness for Duty", "Solicitation
    on Foundation property": short and unpunctuated) or a sentence ending with ":" whose list or table is not
    in its chunk ("Procedures:", "…per the following:"), or a template's note to its editors ("Include this policy
    if…")."""
    text = unit.text.strip()
    if unit.kind in ("row", "lead"):
        return False
    if text.endswith("?") or _EDITOR_NOTE.search(text):
        return True
    if unit.kind == "sentence" and text.endswith(":"):
        return True  # with its list it would be a "lead" unit
    return heading_like(text, numbered=unit.kind == "sentence")


_SAYS_NOT = re.compile(r"\b(not|never)\b|n't\b", re.IGNORECASE)  # "without quotes" is a condition, not a "not"
_FORBIDS = re.compile(r"\b(prohibit\w*|forbid\w*|exclu\w*|ineligible|banned)\b", re.IGNORECASE)


def _says_no(text: str) -> bool:
    """Whether the text says what is not so or not allowed ("…not reimbursed", "the Foundation prohibits…")."""
    return negated(text) or bool(_FORBIDS.search(text))


def _padding(question: str, q_terms: frozenset[str], top: Scored, cand: Scored, best: float) -> bool:
    """A further quote that would only pad the answer: another row of the table whose matching row leads (by
    its key, by the amount or length of service asked, or by a question word in its own cells that this row
    lacks, this row naming none the leading one lacks: "salary data" is among the Confidential row's examples),
    a quote that says nothing is not when the question and the lead do, or a quote from another document that
    scores clearly below the best."""
    if cand.unit.kind == "row" and top.unit.kind == "row":
        if row_in_range(question, top.unit.text) and not row_in_range(question, cand.unit.text):
            return True  # the range asked about outranks a key word ("years" is in most keys of a service table)
        if top.row > 0 and cand.row == 0:
            return True
        top_named = q_terms & content_terms(row_cells(top.unit.text))
        cand_named = q_terms & content_terms(row_cells(cand.unit.text))
        if top_named - cand_named and not cand_named - top_named:
            return True  # and a row naming something else the question asks ("…and in Tokyo?") is no padding
    if _SAYS_NOT.search(question) and negated(top.unit.text) and not _says_no(cand.unit.text):
        return True  # "what is NOT reimbursed?" is answered by the exclusions, not by "…is reimbursed at $0.70"
    other_doc = cand.hit.doc.metadata.get("doc_id") != top.hit.doc.metadata.get("doc_id")
    return other_doc and cand.score < 0.9 * best


def embed_text(unit: Unit) -> str:
    """The text a unit is embedded and quoted as (also the key of `UnitEmbeddingCache`, shared with
    bot.review.verified): a table row, or each row of a lead-in's table, as "Header: cell · …"."""
    if unit.kind == "row":
        return readable_row(unit.text)
    lines = unit.text.split("\n")
    table = [ln for ln in lines if ln.startswith("|")]
    if unit.kind != "lead" or len(table) < 3:
        return unit.text
    rows = [readable_row("\n".join([table[0], table[1], row])) for row in table[2:]]
    return "\n".join([*(ln for ln in lines if not ln.startswith("|")), *rows])


def readable_row(text: str) -> str:
    """A table row quoted with its header: "City: London · Currency: GBP · ..." (cells verbatim)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 3:
        return text
    header = [c.strip() for c in lines[0].strip().strip("|").split("|")]
    cells = [c.strip() for c in lines[-1].strip().strip("|").split("|")]
    return " · ".join(f"{h}: {c}" if h else c for h, c in zip(header, cells) if c)


CONTEXT_SENTENCES, CONTEXT_WORDS = 2, 60
# a sentence that opens by pointing back continues the point whatever its words ("It is a direct reflection…",
# "Then call Meridian Assist on…" after "go to the nearest hospital first")
_POINTS_BACK = re.compile(
    r"^(it|this|these|that|those|they|such|however|then|also|in (this|that|the) (case|event))\b", re.IGNORECASE
)


# a sentence that opens with a pointer to what it is about ("This leave will be unpaid, but…", "These may be taken at
# any time…", "It replaces the Remote Work Policy (2024)", "Then call Meridian Assist…") says it of the sentence before
# it; "It is/may…" is usually no pointer ("It is your responsibility to…")
_NEEDS_ANTECEDENT = re.compile(
    r"^(?:(this|these|such|they)\b(?! (is|are|was|were)\b)|it\b(?!'s| (is|was|may|might|must|should|will|would|can|could)\b)"
    r"|then\b)",
    re.IGNORECASE,
)


def _with_context(question: str, chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
    """The quotes, each with the sentences that continue it set as its `context` and the one it points back to as
    its `before`; a quote that another one's context already holds is dropped (it is quoted in its place)."""
    words, asks_purpose = content_terms(question), bool(_ASKS_PURPOSE.search(question))
    kept: list[Scored] = []
    quoted: set[str] = set()
    for cand in chosen:
        if cand.unit.text in quoted:
            continue
        kept.append(cand)
        quoted.add(cand.unit.text)
        cand.before = _antecedent(cand, scored, quoted)
        if cand.before:
            quoted.add(cand.before)
        cand.context = _context(words, asks_purpose, cand, scored, lead=cand is chosen[0], quoted=quoted)
        quoted.update(cand.context)
    return kept


def _antecedent(quote: Scored, scored: list[Scored], quoted: set[str]) -> str | None:
    """The sentence before `quote` in its paragraph when the quote opens by pointing to it ("This leave will be unpaid,
    but will not affect seniority…" is said of "Emergency Leave: An employee may receive up to ten days…"): without
    it, the quote does not say what it is about. None when it is quoted already or is no answer itself."""
    if quote.unit.kind != "sentence" or not _NEEDS_ANTECEDENT.match(quote.unit.text) or _ABOUT_DOCUMENT.search(quote.unit.text):
        return None
    before = next(
        (
            c.unit
            for c in scored
            if c.hit is quote.hit and c.unit.follow == quote.unit.text and not c.unit.follow_is_new_paragraph
        ),
        None,
    )
    if before is None or before.kind != "sentence" or before.text in quoted or PLACEHOLDER.search(before.text):
        return None
    return before.text


def _context(
    words: frozenset[str], asks_purpose: bool, quote: Scored, scored: list[Scored], *, lead: bool, quoted: set[str]
) -> list[str]:
    """The sentences after a quote while they continue the same point; they often hold the detail ("…shall declare
    the conflict. The minutes of all actions taken related to the matter will…"). None already `quoted`; one about
    the document itself (unless its purpose is asked) or with masked personal data (a "<PERSON>" adds nothing) is
    skipped; at most CONTEXT_WORDS words.

    In the quote's paragraph, after the lead quote: up to CONTEXT_SENTENCES, each sharing a word with the question,
    two words or a number with the quote so far ("…up to $100 per person. Anything above $100 must be declined…"),
    or opening by pointing back ("It is a direct reflection…"); after a further quote, one sentence sharing a
    topic word with the question or pointing back. Requiring a question word the quote lacks cut padding ("Never
    leave a laptop visible…" after "Laptops lock automatically…") but lost 3 handbook answers and 1 golden one.
    The next paragraph opens a new point more often than not ("Sick leave may also be used to care for a sick
    child…" after the yearly allowance): its first sentence continues a quote only when it shares two topic words
    with the question. `words`: the question's content terms; `asks_purpose`: whether it asks what a policy is for."""
    units = {c.unit.text: c.unit for c in scored if c.hit is quote.hit}
    topic = words - QUESTION_SHAPE  # after a further quote, "process", "use" or "work" alone is in most sentences
    added: list[str] = []
    unit: Unit | None = quote.unit
    so_far = content_terms(quote.unit.text)
    limit = CONTEXT_SENTENCES if lead else 1
    while unit is not None and unit.follow and unit.follow not in quoted and len(added) < limit:
        follow = unit.follow
        if sum(len(s.split()) for s in [*added, follow]) > CONTEXT_WORDS:
            break
        # masked personal data says nothing; "This policy summarises…" or "…the limits in the policy below." is about
        # the document, not the quote (held back as a quote too): skipped, not quoted, as the sentence after it may
        # still continue the point ("The Foundation also needs to get confirmation … that they are suitably insured.")
        if PLACEHOLDER.search(follow) or _EDITOR_NOTE.search(follow) or (_ABOUT_DOCUMENT.search(follow) and not asks_purpose):
            if unit.follow_is_new_paragraph:
                break
            unit = units.get(follow)
            continue
        terms = content_terms(follow)
        if unit.follow_is_new_paragraph:
            continues = len(terms & topic) >= 2
        elif lead:
            shared = terms & so_far
            continues = bool(terms & words or len(shared) >= 2 or any(c.isdigit() for t in shared for c in t))
        else:
            continues = bool(terms & topic)
        if not (continues or (not unit.follow_is_new_paragraph and _POINTS_BACK.match(follow))):
            break
        added.append(follow)
        so_far |= terms
        unit = units.get(follow)
    return added


def _quoted(sentence: str, chosen: list[Scored], before: Scored) -> bool:
    """Whether `sentence` is already part of a quote chosen ahead of `before` (an item of the same list carries
    its lead-in)."""
    return any(sentence in c.unit.text or c.unit.lead == sentence for c in chosen[: chosen.index(before)])


def _compose(chosen: list[Scored]) -> Draft:
    """Quotes grouped by chunk, numbered in order of first appearance, best quote first."""
    order: list[Hit] = []
    quotes: dict[str, list[str]] = {}
    lines = []
    for at, cand in enumerate(chosen):
        if cand.hit.chunk_id not in quotes:
            order.append(cand.hit)
            quotes[cand.hit.chunk_id] = []
        text = " ".join([*([cand.before] if cand.before else []), embed_text(cand.unit), *cand.context])
        if cand.unit.kind == "item" and cand.unit.lead and not _quoted(cand.unit.lead, chosen, cand):
            # an item alone ("- a lost or stolen laptop;") does not say what the list is for
            text = f"{cand.unit.lead}\n{text}"
        quotes[cand.hit.chunk_id].append(text)
        n = [h.chunk_id for h in order].index(cand.hit.chunk_id) + 1
        # rows of one table or items of one list quoted in a run are one quote: one marker, after the last
        later = chosen[at + 1] if at + 1 < len(chosen) else None
        run = later is not None and later.hit is cand.hit and later.unit.kind == cand.unit.kind in ("row", "item")
        lines.append("\n".join(f"> {line}" for line in text.splitlines()) + ("" if run else f" [{n}]"))
    return Draft("\n".join(lines), [(hit, quotes[hit.chunk_id]) for hit in order])

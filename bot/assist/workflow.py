"""The question workflow every surface calls: one path from a person's question to what to deliver.

`Assist.ask(question)`:
  1. refuse a message too long to read (`QUESTION_REFUSE_CHARS`), on every surface alike;
  2. clean it once (`sanitize_question`: Slack markup, invisible characters, cut to
     `MAX_QUESTION_CHARS` keeping the end) and mask it once for records and audit; a long message
     is searched with the question at its end (`focus`);
  3. answer it with everything the asker may see: a reviewer's verified answer when one matches
     (`bot.review.verified`), else the answering service;
  4. route it: a sensitive question, or an answer citing a document some reader of the place may
     not see, goes to the asker alone ("private"); otherwise it is public (or ephemeral where the
     channel policy says so). A public answer must rest on documents every reader may see: an
     answerer that only quotes its cited sources is safe as it is, anything else (an LLM saw every
     retrieved chunk; an abstention names the closest document's owner) is recomputed with the
     readers' principals.
`Assist.record(question, outcome, delivery)` then stores the answer record and one audit entry.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass, field

from bot.answer.service import PolicyService
from bot.assist.focus import focus
from bot.company import CompanyProfile
from bot.config import Settings
from bot.core.asking import Decision, Delivery, Outcome, Question
from bot.core.masking import Masker
from bot.core.overrides import AnswerOverrides
from bot.core.principals import Principals, can_see
from bot.core.results import AnswerKind, AnswerResult
from bot.governance.sanitize import sanitize_question
from bot.governance.sensitive import SensitiveDetector, SensitiveMatch
from bot.review.verified import VerifiedLookup
from bot.store.answers import AnswerRecord
from bot.store.audit import AuditEntry
from bot.store.stores import Stores
from bot.variants.assign import Assignment, Variants

log = logging.getLogger(__name__)

DECISIONS: dict[AnswerKind, Decision] = {
    "answer": "answered",
    "greeting": "answered",
    "abstain": "abstained",
    "invalid": "refused",
    "no_index": "error",
}


@dataclass
class Assist:
    """Question in, `Outcome` out; then `record`. Thread-safe; build once per process (`build_assist`)."""

    settings: Settings
    company: CompanyProfile
    service: PolicyService
    sensitive: SensitiveDetector
    masker: Masker
    stores: Stores
    verified: VerifiedLookup | None = None  # reviewers' verified answers, served before the service
    variants: Variants = field(default_factory=lambda: Variants(None))  # VARIANTS_FILE experiments

    def ask(self, question: Question) -> Outcome:
        """Answer and route `question`. Raises only on a failure of the answering pipeline itself."""
        clean, truncated = sanitize_question(question.text, self.settings.max_question_chars)
        stored = self.masker.mask(clean)
        if len(question.text) > self.settings.question_refuse_chars:
            return self._refuse_too_long(question, stored)
        assignment = self.variants.assign(
            workspace=question.asker.workspace,
            user=question.asker.user,
            channel=question.place.channel,
            groups=question.asker.principals,
        )
        outcome = dataclasses.replace(self._route(question, clean, stored, assignment), variant=assignment.variant)
        if truncated:
            notice = self.company.replies.truncated.format(limit=self.settings.max_question_chars)
            outcome.result.answer = f"{outcome.result.answer}\n\n{notice}"
        return outcome

    def record(self, question: Question, outcome: Outcome, delivery: Delivery, started: float | None = None) -> None:
        """Store the delivered answer (so votes, `/policy-sources` and review find it) and audit it.

        Call it as soon as the answer is posted: a reaction can arrive right after. `started` is the
        `time.perf_counter()` when the question arrived (for the recorded latency).
        """
        result = outcome.result
        latency_ms = _ms(started) if started is not None else result.timings_ms.get("total", 0.0)
        if result.kind in ("answer", "abstain", "greeting"):
            self.stores.answers.save(
                AnswerRecord(
                    channel=delivery.channel,
                    ts=delivery.ts,
                    thread_ts=delivery.thread_ts,
                    user=question.asker.user,
                    question=outcome.stored_question,
                    answer=self.masker.mask(result.answer),
                    kind=result.kind,
                    sources=result.sources,
                    confidence=result.confidence,
                    answerer=result.answerer,
                    fallback_reason=result.fallback_reason,
                    latency_ms=latency_ms,
                    private=question.place.private or outcome.visibility != "public",
                    variant=outcome.variant,
                    related=result.related.id if result.related else None,
                )
            )
        self.stores.kpis.record_answer(
            at=time.time(),
            channel=question.place.channel,
            variant=outcome.variant,
            decision=outcome.decision,
            abstained=result.kind == "abstain",
            latency_ms=latency_ms if result.kind in ("answer", "abstain") else None,
            cited=[s.doc_id for s in result.sources],
            overdue=[s.doc_id for s in result.sources if s.overdue],
            verified=result.verified_by is not None,
            offered=result.related is not None,
        )
        self._audit(question, outcome.stored_question, outcome.decision, outcome.principals, result)

    def record_error(self, question: Question) -> None:
        """Audit a question whose answering failed (the surface apologised)."""
        clean, _ = sanitize_question(question.text, self.settings.max_question_chars)
        self._audit(question, self.masker.mask(clean), "error", question.asker.principals, None)
        kpi = {"channel": question.place.channel, "variant": Assignment().variant, "abstained": False, "latency_ms": None}
        self.stores.kpis.record_answer(at=time.time(), decision="error", **kpi)

    # --- steps -------------------------------------------------------------------------
    def _route(self, question: Question, clean: str, stored: str, assignment: Assignment) -> Outcome:
        asker, place = question.asker, question.place
        contact = place.policy.contact_channel
        text = focus(clean)
        overrides = assignment.overrides
        result = self._answer(text, question, asker.principals, contact, overrides)
        answered = result.kind in ("answer", "abstain")
        sensitive = self.sensitive.check(result.question) if answered else None
        restricted = any(not can_see(s.audience, place.readers) for s in result.sources)
        replies = self.company.replies
        if sensitive and result.kind == "abstain" and result.answer == replies.abstain.format(where=result.ask_instead):
            # the confidential contacts, not the closest policy's team (a notice about the language stays)
            result = result.model_copy(update={"answer": replies.abstain_sensitive, "ask_instead": None})
        if sensitive or restricted:
            return self._outcome(result, asker.principals, stored, private=True, sensitive=sensitive, place_private=place.private)
        needs_recompute = asker.principals != place.readers and answered and not _quotes_only(result)
        if needs_recompute:
            result = self._answer(text, question, place.readers, contact, overrides)
            return self._outcome(result, place.readers, stored, ephemeral=place.policy.visibility == "ephemeral")
        result = self._offered_to(result, place.readers)
        return self._outcome(
            result, asker.principals, stored, ephemeral=not place.private and place.policy.visibility == "ephemeral"
        )

    def _answer(
        self, text: str, question: Question, principals: Principals, contact: str | None, overrides: AnswerOverrides | None
    ) -> AnswerResult:
        """A verified answer `principals` may see if one matches, else the service's answer (with the
        asker's variant's overrides). A close rewording is served before the pipeline runs; a freer
        paraphrase only once the pipeline's own search confirms it (`VerifiedLookup.confirm`)."""
        if self.verified is not None:
            found = self.verified.lookup(text, principals)
            if found.hit:
                return found.hit[0].result(text, found.hit[1])
            if near := found.near:
                # A freer paraphrase is confirmed on the search the pipeline runs anyway: no second search.
                result, search = self.service.ask_with_search(
                    text, history=question.history, principals=principals, contact=contact, overrides=overrides
                )
                if search is not None and (hit := self.verified.confirm(text, near, search)):
                    return hit[0].result(text, hit[1])
                # not confirmed: the closest is offered beside the answer, labelled with its own question
                return result.model_copy(update={"related": near[0].answer.related(near[0].question)})
        return self.service.ask(text, history=question.history, principals=principals, contact=contact, overrides=overrides)

    def _offered_to(self, result: AnswerResult, readers: Principals) -> AnswerResult:
        """`result` without its related verified answer unless everyone reading the place may see it: its
        question names a restricted topic as surely as its answer."""
        if result.related is None or self.verified is None:
            return result
        offered = self.verified.store.get(result.related.id)
        return result if offered is not None and offered.visible_to(readers) else result.model_copy(update={"related": None})

    def _outcome(
        self,
        result: AnswerResult,
        principals: Principals,
        stored: str,
        *,
        private: bool = False,
        ephemeral: bool = False,
        sensitive: SensitiveMatch | None = None,
        place_private: bool = True,
    ) -> Outcome:
        replies = self.company.replies
        note = None
        if private and not place_private:
            note = replies.private_sensitive_note if sensitive else replies.private_restricted_note
        return Outcome(
            result=result,
            decision="private" if private else DECISIONS[result.kind],
            visibility="private" if private else "ephemeral" if ephemeral else "public",
            principals=principals,
            stored_question=stored,
            contacts=self.company.contacts.confidential if sensitive else None,
            private_note=note,
            sensitive_topic=sensitive.topic if sensitive else None,
        )

    def _refuse_too_long(self, question: Question, stored: str) -> Outcome:
        limit = self.settings.question_refuse_chars
        text = self.company.replies.too_long.format(chars=len(question.text), limit=limit)
        result = AnswerResult(question="", answer=text, kind="invalid")
        return Outcome(result, "refused", "public", question.asker.principals, stored)

    def _audit(
        self, question: Question, stored: str, decision: Decision, principals: Principals, result: AnswerResult | None
    ) -> None:
        self.stores.audit.record(
            AuditEntry(
                user=question.asker.user,
                channel=question.place.channel,
                question=stored,
                decision=decision,
                sources=[s.chunk_id for s in result.sources] if result else [],
                principals=sorted(principals),
                answerer=result.answerer if result else "",
            )
        )


def _quotes_only(result: AnswerResult) -> bool:
    """An answer whose text is verbatim from its (public) cited sources is safe as it is."""
    return result.kind == "answer" and result.quotes_only


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000

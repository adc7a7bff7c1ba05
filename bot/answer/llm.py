"""The optional LLM answerer (LLM_MODEL set): grounded, cited, checked before use.

Any chat model `init_chat_model` knows (openai:, anthropic:, ollama:, or an OpenAI-compatible
server via LLM_BASE_URL). Personal data in the question is replaced by reversible placeholders
before the prompt leaves the process. The output is rejected, and the extractive answer used
instead, when it cites a source that was not given, states a number/amount/date that the cited
sources do not contain, cites nothing, times out or errors.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from bot.answer.answerer import Draft, DraftRequest
from bot.config import Settings
from bot.core.chunks import chunk_body
from bot.core.results import Turn
from bot.retrieval.hybrid import Hit

log = logging.getLogger(__name__)
NOT_COVERED = "NOT_COVERED"
SYSTEM_PROMPT = f"""You answer employees' questions about company policy using ONLY the numbered sources given.
Rules:
- Every sentence that states a fact ends with the citation of its source, like [1] or [2][3].
- Use the sources' exact numbers, amounts and dates; never invent or compute new ones.
- Be brief: at most 4 sentences or a short list. Quote the key clause when it helps.
- If the sources do not answer the question, reply exactly: {NOT_COVERED}
- Placeholders such as <EMAIL_1> stand for personal data; keep them as they are."""
CONDENSE_PROMPT = """Rewrite the last question of this conversation as one standalone question about company policy.
Reply with the question only.

{conversation}
Last question: {question}"""

_CITE = re.compile(r"\[(\d+)\]")
_NUMBER = re.compile(r"(?<![\w<])\d[\d,]*(?:\.\d+)?")


class LlmAnswerer:
    """An `Answerer` over any LangChain chat model; its output is checked before use (module docstring)."""

    quotes_only = False  # it writes its own sentences and saw every retrieved chunk

    def __init__(self, model: BaseChatModel, name: str, timeout_s: float, masker=None) -> None:
        self.model, self.name, self.timeout_s, self.masker = model, name, timeout_s, masker
        self._pool = cf.ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm")

    @classmethod
    def from_settings(cls, settings: Settings, model: BaseChatModel | None = None) -> LlmAnswerer:
        if model is None:
            if not settings.llm_model:
                raise ValueError("LLM_MODEL is not set: there is no model to answer with")
            from langchain.chat_models import init_chat_model

            kwargs: dict[str, Any] = {"temperature": settings.llm_temperature, "timeout": settings.llm_timeout_s}
            if settings.llm_base_url:
                kwargs["base_url"] = settings.llm_base_url
            if settings.llm_api_key:
                kwargs["api_key"] = settings.llm_api_key
            model = init_chat_model(settings.llm_model, **kwargs)
        masker = None
        if settings.pii_enabled:
            from bot.governance.pii import get_masker

            masker = get_masker(settings)
        name = f"llm:{settings.llm_model or type(model).__name__}"
        return cls(model, name, settings.llm_timeout_s, masker)

    def draft(self, request: DraftRequest) -> Draft:
        """The model's answer when it passes the checks; an empty draft when it says the sources don't
        cover it; an empty draft with `declined` (why) on a timeout, an error or a failed check."""
        question, hits = request.question, request.hits
        masked, mapping = self.masker.pseudonymize(question) if self.masker else (question, {})
        sources = "\n\n".join(
            f"[{n}] {h.doc.metadata.get('title', '')} › {h.doc.metadata.get('section', '')}\n{chunk_body(h.doc.page_content)}"
            for n, h in enumerate(hits, 1)
        )
        prompt = f"Sources:\n{sources}\n\nQuestion: {masked}"
        try:
            text = self._invoke([SystemMessage(SYSTEM_PROMPT), HumanMessage(prompt)])
        except cf.TimeoutError:
            return Draft("", declined=f"llm timed out after {self.timeout_s:g}s")
        except Exception as exc:  # any provider error: fall back, never fail the question
            log.warning("llm call failed: %s", type(exc).__name__)
            return Draft("", declined=f"llm error: {type(exc).__name__}")
        if NOT_COVERED in text:
            return Draft("")
        problem = check_answer(text, hits)
        if problem:
            return Draft("", declined=problem)
        return _renumber(self.masker.restore(text, mapping) if self.masker else text, hits)

    def condense(self, question: str, history: Sequence[Turn]) -> str | None:
        convo = "\n".join(f"{t.role}: {t.text}" for t in history[-6:])
        if self.masker:
            convo, question = self.masker.mask(convo), self.masker.mask(question)
        try:
            text = self._invoke([HumanMessage(CONDENSE_PROMPT.format(conversation=convo, question=question))])
        except Exception as exc:  # condensing is an optimisation; the raw question still works
            log.warning("llm condense failed: %s", type(exc).__name__)
            return None
        return text.strip().splitlines()[0] if text.strip() else None

    def _invoke(self, messages: list) -> str:
        future = self._pool.submit(self.model.invoke, messages)
        reply = future.result(timeout=self.timeout_s)
        return reply.content if isinstance(reply.content, str) else str(reply.content)


def check_answer(text: str, hits: list[Hit]) -> str | None:
    """Why an LLM answer can't be used (None when it can): citations and numbers must check out."""
    cited = [int(n) for n in _CITE.findall(text)]
    if not cited:
        return "llm answer cites no source"
    bad = sorted({n for n in cited if not 1 <= n <= len(hits)})
    if bad:
        return f"llm cited unknown source(s) {bad}"
    cited_text = " ".join(hits[n - 1].doc.page_content for n in set(cited)).replace(",", "")
    for number in _NUMBER.findall(_CITE.sub(" ", text)):
        plain = number.replace(",", "").rstrip(".")
        if not re.search(rf"(?<![\d.]){re.escape(plain)}(?![\d])", cited_text):
            return f"llm answer states {number!r}, which its cited sources do not contain"
    return None


def _renumber(text: str, hits: list[Hit]) -> Draft:
    """Sources numbered in order of first citation; the quote is the cited chunk's body."""
    order: list[int] = []
    for n in (int(m) for m in _CITE.findall(text)):
        if n not in order:
            order.append(n)
    new_text = _CITE.sub(lambda m: f"[{order.index(int(m.group(1))) + 1}]", text)
    cited = [(hits[n - 1], [chunk_body(hits[n - 1].doc.page_content)]) for n in order]
    return Draft(new_text.strip(), cited)

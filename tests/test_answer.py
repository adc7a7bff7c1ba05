"""The answering pipeline over the real index of knowledge/: retrieval, quotes, abstention, LLM checks."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from bot.answer.service import PolicyService
from bot.assist.factory import build_assist
from bot.assist.workflow import Assist
from bot.cli.ask import terminal_question
from bot.config import Settings
from bot.core.chunks import chunk_body
from bot.core.principals import principals_of
from bot.core.results import Turn
from bot.ingest.pipeline import CountingEmbeddings
from tests.fake_llm import RecordingChatModel


@pytest.fixture(scope="module")
def service(kb_settings: Settings) -> PolicyService:
    return PolicyService(kb_settings)


@pytest.fixture(scope="module")
def assist(kb_settings: Settings, service: PolicyService) -> Assist:
    return build_assist(kb_settings, service=service)


def llm_service(kb_settings: Settings, replies: list[str], **overrides) -> PolicyService:
    fake = RecordingChatModel(messages=iter([AIMessage(content=r) for r in replies]))
    return PolicyService(kb_settings.model_copy(update=overrides), llm=fake)


def source_number(service: PolicyService, question: str, text: str) -> int:
    """The [n] the LLM would see for the chunk containing `text` (sources are the search hits)."""
    hits = service._searcher().search(question, service.settings.retrieval_k).hits
    return next(n for n, hit in enumerate(hits, 1) if text in hit.doc.page_content)


def test_answer_quotes_the_clause_verbatim_with_numbered_sources(service):
    result = service.ask("How many days of annual leave do I get?")
    assert result.kind == "answer" and not result.abstained and result.answerer == "extractive"
    assert "25 days of paid annual leave" in result.answer
    assert [s.n for s in result.sources] == list(range(1, len(result.sources) + 1))
    for source in result.sources:
        assert f"[{source.n}]" in result.answer
        assert source.title and source.url and source.effective_date and source.owner_channel
    chunks = {hit.chunk_id: hit for hit in service._searcher().search(result.question, 10).hits}
    for source in result.sources:  # every quote is verbatim text of the chunk it cites
        body = chunk_body(chunks[source.chunk_id].doc.page_content)
        for line in source.quote.splitlines():
            assert line in body


def test_table_row_is_quoted_with_its_header(service):
    result = service.ask("what's the hotel limit in London?")
    assert "London" in result.answer and "260" in result.answer
    assert "Lodging cap per night: 260" in result.answer  # header: value, cells verbatim


def test_threshold_table_row_is_found_by_amount(service):
    result = service.ask("who needs to approve a $100,000 purchase?")
    assert "VP of Finance" in result.answer


def test_unanswerable_question_abstains_and_says_where_to_ask(service):
    result = service.ask("Can I bring my dog to the office?")
    assert result.abstained and result.kind == "abstain" and result.sources == []
    assert "couldn't find" in result.answer and result.ask_instead and result.ask_instead.startswith("#")


def test_follow_up_uses_the_previous_question(service):
    history = [Turn(role="user", text="What is the hotel cap in New York?"), Turn(role="assistant", text="…")]
    result = service.ask("and in Tokyo?", history=history)
    assert "Tokyo" in result.answer and not result.abstained
    # a follow-up's own amount replaces the one asked before: $50k is not also read as $8k
    history = [Turn(role="user", text="who approves an $8k software tool?"), Turn(role="assistant", text="…")]
    result = service.ask("and what about above $50k?", history=history)
    assert result.answer.startswith("> Total contract value: $50,000.01 to $250,000"), result.answer
    assert "$2,500.01 to $10,000" not in result.answer


def test_superseded_and_restricted_documents_are_filtered_inside_retrieval(service):
    searcher = service._searcher()
    for query in ("remote work stipend 300 two remote days", "merit increase budget salary bands promotion"):
        docs = {h.doc.metadata["doc_id"] for h in searcher.search(query, 30).hits}
        assert "hr/remote-work-2024.md" not in docs
        assert "hr/manager-compensation-guidelines.md" not in docs
    managers = searcher.search("merit increase budget", 5, principals=principals_of(["managers"])).hits
    assert managers[0].doc.metadata["doc_id"] == "hr/manager-compensation-guidelines.md"
    result = service.ask("What is the merit increase budget?", principals=principals_of(["managers"]))
    assert result.restricted and "3.5" in result.answer
    assert service.ask("What's the home office stipend?").answer.count("500") >= 1


def test_overdue_policy_is_flagged(service):
    result = service.ask("can I check slack on my personal phone?")
    byod = [s for s in result.sources if s.doc_id == "it/byod.md"]
    assert byod and all(s.overdue for s in byod) and byod[0].review_by == "2025-06-30"


def test_find_sources_lists_sections_without_an_answer(service):
    sources = service.find_sources("per diem")
    assert sources and sources[0].title == "Travel and Expense Policy" and sources[0].url
    assert all(s.quote for s in sources)


@pytest.mark.parametrize(
    ("question", "kind"),
    [("", "invalid"), ("   \n\t ", "invalid"), ("hi", "greeting"), ("Thanks!", "greeting"), ("\x00\x07", "invalid")],
)
def test_bad_or_trivial_questions_get_a_friendly_reply(assist, question, kind):
    result = assist.ask(terminal_question(question, "U1", "")).result
    assert result.kind == kind and result.answer and not result.sources


def test_huge_and_unicode_questions_never_raise(assist):
    background = "I joined in March and my team is based in the Lisbon office. " * 60
    huge = assist.ask(terminal_question(background + "How many sick days do I get?", "U1", "")).result
    assert "last 2,000 characters" in huge.answer and huge.kind == "answer"  # the question at the end is kept
    refused = assist.ask(terminal_question("please " * 3000 + "How many sick days do I get?", "U1", ""))
    assert refused.decision == "refused" and "too long for me to read" in refused.result.answer
    emoji = assist.ask(terminal_question("🏖️ how many vacation days do I get?? 🙏", "U1", "")).result
    assert emoji.kind == "answer" and "25" in emoji.answer


def test_missing_index_says_to_run_ingest(tmp_path):
    result = PolicyService(Settings(data_dir=tmp_path / "empty")).ask("How many days of leave?")
    assert result.kind == "no_index" and "policybot ingest" in result.answer


# --- the LLM answerer, with LangChain's fake chat model ------------------------------------


def test_llm_answer_is_used_when_it_cites_and_its_numbers_check_out(kb_settings):
    question = "How many days of annual leave do I get?"
    n = source_number(PolicyService(kb_settings), question, "25 days")
    other = 1 if n != 1 else 2
    svc = llm_service(kb_settings, [f"Full-time employees get 25 days of paid annual leave per year [{n}][{other}]."])
    result = svc.ask(question)
    assert result.answerer.startswith("llm:") and result.fallback_reason is None
    assert result.answer == "Full-time employees get 25 days of paid annual leave per year [1][2]."  # renumbered
    assert len(result.sources) == 2 and "25 days" in " ".join(s.quote for s in result.sources)


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("You get 25 days of leave [7].", "unknown source"),
        ("You get 40 days of leave [1].", "'40'"),
        ("You get plenty of leave.", "cites no source"),
    ],
)
def test_bad_llm_output_falls_back_to_quotes_and_records_why(kb_settings, reply, reason):
    result = llm_service(kb_settings, [reply]).ask("How many days of annual leave do I get?")
    assert result.answerer == "extractive" and reason in (result.fallback_reason or "")
    assert "25 days of paid annual leave" in result.answer


def test_llm_saying_not_covered_abstains(kb_settings):
    result = llm_service(kb_settings, ["NOT_COVERED"]).ask("How many days of annual leave do I get?")
    assert result.abstained


class _SlowModel(GenericFakeChatModel):
    def _generate(self, *args, **kwargs):
        time.sleep(2)
        return super()._generate(*args, **kwargs)


class _BrokenModel(GenericFakeChatModel):
    def _generate(self, *args, **kwargs):
        raise ConnectionError("provider down")


def test_llm_timeout_and_errors_fall_back(kb_settings):
    slow = _SlowModel(messages=iter([AIMessage(content="25 days [1]")]))
    result = PolicyService(kb_settings.model_copy(update={"llm_timeout_s": 0.2}), llm=slow).ask(
        "How many days of annual leave do I get?"
    )
    assert result.answerer == "extractive" and "timed out" in result.fallback_reason
    broken = _BrokenModel(messages=iter([]))
    result = PolicyService(kb_settings, llm=broken).ask("How many days of annual leave do I get?")
    assert result.answerer == "extractive" and "ConnectionError" in result.fallback_reason


def test_personal_data_never_reaches_the_llm_and_is_restored_for_the_asker(kb_settings):
    question = "I'm jane.roe@example.com, how many days of annual leave do I get?"
    n = source_number(PolicyService(kb_settings), question, "25 days")
    svc = llm_service(kb_settings, [f"<EMAIL_1>, you get 25 days of paid annual leave [{n}]."])
    result = svc.ask(question)
    prompts = "\n".join(svc.answerer.model.prompts)
    assert "jane.roe@example.com" not in prompts and "<EMAIL_1>" in prompts
    assert result.answer.startswith("jane.roe@example.com, you get 25 days")


def test_llm_condenses_follow_ups(kb_settings):
    replies: Iterator[str] = iter(["What is the hotel cap in Tokyo?", "The Tokyo lodging cap is 32,000 [1][2][3]."])
    svc = llm_service(kb_settings, list(replies))
    history = [Turn(role="user", text="What is the hotel cap in London?"), Turn(role="assistant", text="260 GBP [1]")]
    result = svc.ask("and Tokyo?", history=history)
    assert any("Tokyo" in s.quote for s in result.sources)


def test_warm_up_embeds_every_quotable_unit_ahead_of_questions(kb_settings):
    service = PolicyService(kb_settings)
    service.warm_up().join()
    warmed = len(service.extractive.cache)
    assert warmed > 200
    counter = CountingEmbeddings(service.extractive.cache.embeddings)
    service.extractive.cache.embeddings = counter
    result = service.ask("What is the hotel cap in London?")
    assert "260" in result.answer and counter.texts_embedded == 0  # no unit embedded at question time


def test_abstention_names_an_owner_only_when_the_document_is_relevant(service):
    off_topic = service.ask("Does the company rent out party tents for weddings?", contact="#ask-here")
    assert off_topic.kind == "abstain" and off_topic.ask_instead == "#ask-here"


def test_a_question_in_another_language_is_told_so_in_that_language(service):
    result = service.ask("¿Cuántos días de vacaciones anuales me corresponden?", contact="#ask-here")
    assert result.kind == "abstain" and result.ask_instead == "#ask-here"  # not #ask-legal, the closest owner
    assert "inglés" in result.answer and "#ask-here" in result.answer

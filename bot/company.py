"""The company profile: the deployment's own words and contacts, kept as data, not code.

The product's defaults (`bot/company_defaults.yaml`: generic reply texts and the sensitive topics)
are overlaid by the company's file (`COMPANY_FILE`, default `KNOWLEDGE_DIR/company.yaml`; the sample
company's is `knowledge/company.yaml`): where to send people, the confidential contacts for
sensitive questions, employees' words for policy terms, business contacts the PII masker must leave
visible, and the bot's reply texts. The result is validated at start-up; a broken file stops the
process with one line naming the file and key (`bot.yaml_config.ConfigFileError`).
"""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.yaml_config import ConfigFileError, describe, load_yaml_model, read_yaml_mapping

log = logging.getLogger(__name__)
DEFAULTS = Path(__file__).with_name("company_defaults.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contacts(_Strict):
    """Where people are sent when the bot cannot help."""

    fallback_channel: str  # when we abstain and no relevant document names an owner
    confidential: str  # appended to answers on sensitive topics


class SuggestedPrompt(_Strict):
    title: str
    message: str


class Replies(_Strict):
    """The bot's own texts. `{placeholders}` are filled in by the code that uses each one."""

    greeting: str
    assistant_greeting: str
    suggested_prompts: list[SuggestedPrompt]
    empty_question: str
    no_index: str  # {where}
    abstain: str  # {where}
    abstain_sensitive: str  # an abstention on a sensitive question: the confidential contacts follow it
    other_language: dict[str, str]  # language code -> "we only have English policies" text, {where}
    truncated: str  # {limit}
    too_long: str  # {chars}, {limit}
    private_restricted_note: str
    private_sensitive_note: str
    channel_disabled: str
    apology: str  # {channel}


class Sensitive(_Strict):
    """Sensitive topics: phrases matched as words, and first-person descriptions of sensitive situations that a
    classifier learns to tell from ordinary policy questions (see `bot.governance.sensitive`)."""

    topics: list[str]
    examples: list[str]
    ordinary: list[str]


class CompanyProfile(_Strict):
    """Everything company-specific the bot says or matches on (see the module docstring)."""

    name: str
    contacts: Contacts
    synonyms: dict[str, str]  # employee phrase -> policy terms added to the search
    sensitive: Sensitive
    pii_allowlist: list[str]  # business contacts that stay visible
    replies: Replies


_cache: dict[tuple[str, float], CompanyProfile] = {}
_lock = threading.Lock()


@functools.lru_cache(maxsize=16)
def _warn_missing(path: Path | None) -> None:
    """Once per path and process: every component loads the profile."""
    log.warning("no company profile at %s: using the generic defaults (%s)", path, DEFAULTS.name)


def load_company(path: Path | None) -> CompanyProfile:
    """The defaults overlaid with the profile at `path` (cached per file and modification time).

    A missing file means the defaults alone (logged as a warning). Raises `ConfigFileError` when the
    file exists but is not valid YAML or not a valid profile.
    """
    if path is None or not path.exists():
        _warn_missing(path)
        return _load(DEFAULTS, None)
    return _load(DEFAULTS, path)


def _load(defaults: Path, path: Path | None) -> CompanyProfile:
    key = (str(path.resolve()) if path else "", path.stat().st_mtime if path else 0.0)
    with _lock:
        if key not in _cache:
            base = load_yaml_model(defaults, CompanyProfile).model_dump()
            own = read_yaml_mapping(path) if path else {}
            try:
                _cache[key] = CompanyProfile.model_validate(_overlay(base, own))
            except ValidationError as exc:
                raise ConfigFileError(f"{path}: {describe(exc)}") from None
        return _cache[key]


def _overlay(base: dict, own: dict) -> dict:
    """`own` laid over `base`: mappings merge key by key; anything else (texts, lists) replaces."""
    merged = dict(base)
    for key, value in own.items():
        merged[key] = _overlay(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged

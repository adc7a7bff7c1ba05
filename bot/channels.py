"""The per-channel policy file (`CHANNELS_FILE`, YAML), validated at start-up.

    default:                      # applies to every channel (all keys optional)
      answer_followups: true
      contact_channel: "#ask-people-ops"
    channels:
      C0123MANAGERS:              # a Slack channel id
        audiences: [managers]
      C0456ASKPOLICY:
        answer_without_mention: true
      C0789RANDOM:
        enabled: false

A channel's effective `ChannelPolicy` is the `default` block with that channel's keys on top.
The older `CHANNEL_AUDIENCES` setting (JSON: channel id -> audiences) is read into the same model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol, cast

from pydantic import BaseModel, ConfigDict, Field, create_model

from bot.core.channels import ChannelPolicy
from bot.yaml_config import load_yaml_model


class ChannelSettings(Protocol):
    """The two settings the policies come from (`bot.config.Settings` has them; this layer may not import it)."""

    @property
    def channels_file(self) -> Path | None: ...
    @property
    def channel_audiences(self) -> Mapping[str, Sequence[str]]: ...


# Every ChannelPolicy key, optional: a channel block says only what differs from the default.
# (FieldInfo.annotation is Optional for field infos made by hand; a declared field always has one.)
ChannelOverride = create_model(  # type: ignore[call-overload]
    "ChannelOverride",
    __config__=ConfigDict(extra="forbid"),
    **{name: (cast(type, info.annotation) | None, None) for name, info in ChannelPolicy.model_fields.items()},
)


class ChannelsFile(BaseModel):
    """The file's shape: a `default` block and per-channel overrides."""

    model_config = ConfigDict(extra="forbid")

    default: ChannelOverride = Field(default_factory=ChannelOverride)  # type: ignore[valid-type]
    channels: dict[str, ChannelOverride] = Field(default_factory=dict)  # type: ignore[valid-type]


class ChannelPolicies:
    """Channel id -> effective `ChannelPolicy`; built once per process, looked up once per question."""

    def __init__(self, default: ChannelPolicy, overrides: Mapping[str, Mapping[str, object]]) -> None:
        self.default = default
        self._policies = {channel: _apply(default, keys) for channel, keys in overrides.items()}

    def policy(self, channel: str) -> ChannelPolicy:
        """The policy of `channel` (the default for channels the file does not name)."""
        return self._policies.get(channel, self.default)

    @classmethod
    def from_settings(cls, settings: ChannelSettings) -> ChannelPolicies:
        """The deployment's policies: CHANNELS_FILE plus CHANNEL_AUDIENCES; raises `ConfigFileError`."""
        return cls.load(settings.channels_file, settings.channel_audiences)

    @classmethod
    def load(cls, path: Path | None, channel_audiences: Mapping[str, Sequence[str]] | None = None) -> ChannelPolicies:
        """From `path` (None: defaults only) plus `CHANNEL_AUDIENCES`; raises `ConfigFileError`."""
        parsed = load_yaml_model(path, ChannelsFile) if path is not None else ChannelsFile()
        overrides: dict[str, dict[str, object]] = {
            channel: block.model_dump(exclude_none=True)  # type: ignore[attr-defined]
            for channel, block in parsed.channels.items()
        }
        for channel, audiences in (channel_audiences or {}).items():
            keys = overrides.setdefault(channel, {})
            keys["audiences"] = sorted({*keys.get("audiences", []), *audiences})  # type: ignore[misc]
        default = _apply(ChannelPolicy(), parsed.default.model_dump(exclude_none=True))  # type: ignore[attr-defined]
        return cls(default, overrides)


def _apply(base: ChannelPolicy, keys: Mapping[str, object]) -> ChannelPolicy:
    return ChannelPolicy.model_validate({**base.model_dump(), **keys})

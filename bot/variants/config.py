"""The variants file (VARIANTS_FILE): one experiment, its named variants and their rollout.

```yaml
experiment: deeper-retrieval     # part of the assignment hash: a new name reshuffles everyone
enabled: true                    # kill switch: false sends everyone to the control at once
control: control
variants:
  control: {}                    # the process settings, unchanged
  deep: {retrieval_k: 10, abstain_threshold: 0.42}
rollout: {deep: 10}              # percent of eligible askers per variant; the rest get the control
channels: []                     # only questions in these channel ids take part (empty: every channel)
groups: []                       # only askers in these groups/audiences take part (empty: everyone)
target_effect: 0.05              # smallest helpful-rate change worth detecting: sets the votes needed
```
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.core.overrides import AnswerOverrides

TARGET_EFFECT = 0.05  # default smallest helpful-rate change worth detecting (5 points)


class VariantSettings(BaseModel):
    """What a variant changes (fields of `bot.core.overrides.AnswerOverrides`)."""

    model_config = ConfigDict(extra="forbid")

    retrieval_k: int | None = Field(None, ge=1, le=50)
    candidate_k: int | None = Field(None, ge=1, le=500)
    rrf_k: int | None = Field(None, ge=1)
    dense_weight: float | None = Field(None, ge=0)
    bm25_weight: float | None = Field(None, ge=0)
    abstain_threshold: float | None = Field(None, ge=0, le=1)
    answerer: Literal["extractive", "llm"] | None = None
    answer_scorer: str | None = Field(None, pattern=r"^(off|v\d{3})$")  # a `policybot tune` version, or "off"

    def overrides(self) -> AnswerOverrides:
        return AnswerOverrides(**self.model_dump())


class VariantsFile(BaseModel):
    """The validated variants file; see the module docstring."""

    model_config = ConfigDict(extra="forbid")

    experiment: str = Field(min_length=1, pattern=r"^[\w.-]+$")
    enabled: bool = True
    control: str = "control"
    variants: dict[str, VariantSettings]
    rollout: dict[str, float] = {}
    channels: list[str] = []
    groups: list[str] = []
    target_effect: float = Field(TARGET_EFFECT, gt=0, lt=1)

    @model_validator(mode="after")
    def _consistent(self) -> VariantsFile:
        if self.control not in self.variants:
            raise ValueError(f"control variant {self.control!r} is not among variants")
        for name, percent in self.rollout.items():
            if name not in self.variants:
                raise ValueError(f"rollout names {name!r}, which is not among variants")
            if name == self.control:
                raise ValueError("rollout must not name the control (it gets whoever is left)")
            if not 0 <= percent <= 100:
                raise ValueError(f"rollout of {name!r} must be between 0 and 100, not {percent}")
        if sum(self.rollout.values()) > 100:
            raise ValueError(f"rollout percentages add up to {sum(self.rollout.values())}, more than 100")
        return self

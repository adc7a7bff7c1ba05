"""Variants: sticky assignment, rollout share, limits, kill switch, live reload, overrides reaching answering."""

from __future__ import annotations

import json
import logging
import os
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bot.cli.variants  # noqa: F401  (registers `variants`)
from bot.answer.service import PolicyService
from bot.assist.workflow import Assist
from bot.cli.app import app
from bot.cli.ask import terminal_question
from bot.config import Settings, get_settings
from bot.core.overrides import AnswerOverrides
from bot.kpi.report import Counts
from bot.store.stores import Stores
from bot.variants.assign import Variants, assign
from bot.variants.compare import compare, minimum_detectable_effect, sample_size
from bot.variants.config import VariantsFile
from bot.yaml_config import ConfigFileError
from tests.kpi.conftest import seed_answer

EXPERIMENT = """
experiment: depth-test
enabled: {enabled}
variants:
  control: {{}}
  deep: {{retrieval_k: 10, abstain_threshold: 0.3}}
rollout: {{deep: {percent}}}
channels: {channels}
groups: {groups}
"""


def write(path: Path, *, enabled: bool = True, percent: float = 10, channels: str = "[]", groups: str = "[]") -> Path:
    path.write_text(EXPERIMENT.format(enabled=str(enabled).lower(), percent=percent, channels=channels, groups=groups))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))  # a visibly new file
    return path


def who(variants: Variants, user: str, channel: str = "C1", groups: tuple[str, ...] = ("everyone",)) -> str:
    return variants.assign(workspace="T1", user=user, channel=channel, groups=groups).variant


def test_assignment_is_sticky_per_user_across_processes(tmp_path: Path) -> None:
    path = write(tmp_path / "variants.yaml", percent=50)
    first, second = Variants(path), Variants(path)  # two workers, or before and after a restart
    users = [f"U{i:05d}" for i in range(500)]
    assigned = [who(first, u) for u in users]
    assert assigned == [who(second, u) for u in users] == [who(first, u) for u in users]
    assert {"control", "deep"} == set(assigned)


def test_ten_percent_rollout_gives_ten_percent_of_ten_thousand_users(tmp_path: Path) -> None:
    variants = Variants(write(tmp_path / "variants.yaml", percent=10))
    rng = random.Random(11)
    users = [f"U{rng.getrandbits(40):011X}" for _ in range(10_000)]
    share = sum(who(variants, u) == "deep" for u in users) / len(users)
    assert 0.08 <= share <= 0.12


def test_the_experiment_name_reshuffles_users() -> None:
    config = VariantsFile.model_validate({"experiment": "a", "variants": {"control": {}, "b": {}}, "rollout": {"b": 50}})
    renamed = config.model_copy(update={"experiment": "another"})
    users = [f"U{i}" for i in range(400)]
    same = sum(
        assign(config, workspace="T", user=u, channel="C", groups=()).variant
        == assign(renamed, workspace="T", user=u, channel="C", groups=()).variant
        for u in users
    )
    assert 120 < same < 280  # independent: about half agree


def test_kill_switch_and_limits_send_people_to_the_control(tmp_path: Path) -> None:
    path = write(tmp_path / "variants.yaml", percent=100, channels="[C1]", groups="[people-ops]")
    variants = Variants(path)
    assert who(variants, "U1", "C1", ("everyone", "people-ops")) == "deep"
    assert who(variants, "U1", "C2", ("everyone", "people-ops")) == "control"  # other channel
    assert who(variants, "U1", "C1", ("everyone",)) == "control"  # not in the group
    write(path, enabled=False, percent=100, channels="[C1]", groups="[people-ops]")
    assert who(variants, "U1", "C1", ("everyone", "people-ops")) == "control"
    assert variants.assign(workspace="T1", user="U1", channel="C1", groups=("people-ops",)).overrides == AnswerOverrides()


def test_a_changed_file_is_picked_up_without_restart(tmp_path: Path) -> None:
    path = write(tmp_path / "variants.yaml", percent=0)
    variants = Variants(path)
    assert who(variants, "U1") == "control"
    write(path, percent=100)
    assert who(variants, "U1") == "deep"
    assert variants.assign(workspace="T1", user="U1", channel="C1", groups=()).overrides.retrieval_k == 10


def test_a_broken_file_is_refused_and_the_previous_one_stays(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path / "variants.yaml", percent=100)
    variants = Variants(path)
    assert who(variants, "U1") == "deep"
    path.write_text(path.read_text().replace("rollout: {deep: 100}", "rollout: {deep: 100, shallow: 5}"))
    with caplog.at_level(logging.ERROR):
        assert who(variants, "U1") == "deep"  # previous configuration in force
    assert variants.error == f"{path}: (top level): Value error, rollout names 'shallow', which is not among variants"
    assert str(path) in caplog.text and "\n" not in variants.error
    path.write_text(path.read_text().replace("retrieval_k: 10", "retrieval_k: ten"))
    assert who(variants, "U1") == "deep"
    assert variants.error is not None and "variants.deep.retrieval_k" in variants.error
    with pytest.raises(ConfigFileError, match=r"variants\.yaml: variants\.deep\.retrieval_k"):
        Variants(path)  # at start-up a broken file stops the process


def test_variant_overrides_reach_answering(kb_settings: Settings, stores: Stores, tmp_path: Path) -> None:
    service = PolicyService(kb_settings)
    question = "How many days of annual leave do I get?"
    assert service.ask(question).kind == "answer"
    assert service.ask(question, overrides=AnswerOverrides(abstain_threshold=1.0)).kind == "abstain"
    deep = service.ask_with_search(question, overrides=AnswerOverrides(retrieval_k=12))[1]
    assert deep is not None and len(deep.hits) > len(service.ask_with_search(question)[1].hits)

    path = tmp_path / "variants.yaml"
    path.write_text("experiment: strict\nvariants: {control: {}, strict: {abstain_threshold: 1.0}}\nrollout: {strict: 100}\n")
    assist = Assist(
        settings=kb_settings,
        company=service.company,
        service=service,
        sensitive=_NoSensitive(),  # type: ignore[arg-type]
        masker=_Identity(),
        stores=stores,
        variants=Variants(path),
    )
    outcome = assist.ask(terminal_question(question, "U1", ""))
    assert outcome.variant == "strict" and outcome.result.kind == "abstain"


def test_variants_report_calls_a_clear_winner_and_states_the_mde(
    stores: Stores, cli_settings: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "variants.yaml"
    path.write_text("experiment: e\nvariants: {control: {}, deep: {}}\nrollout: {deep: 50}\ntarget_effect: 0.15\n")
    monkeypatch.setenv("VARIANTS_FILE", str(path))
    get_settings.cache_clear()
    rng = random.Random(5)
    for variant, rate in (("control", 0.60), ("deep", 0.80)):
        for i in range(400):
            rec = seed_answer(stores, f"{variant}.{i}", variant=variant)
            stores.feedback.vote(rec.channel, rec.ts, "V1", 1 if rng.random() < rate else -1)
    result = CliRunner().invoke(app, ["variants", "report", "--json"])
    assert result.exit_code == 0, result.output
    [deep] = json.loads(result.output)
    assert deep["variant"] == "deep" and deep["votes"] == 400 and deep["p_value"] < 0.001
    assert deep["verdict"].startswith("better than control") and 120 < deep["planned_votes"] < 200
    assert 0.05 < deep["mde"] < 0.12


def test_variants_report_exits_with_the_broken_file_named(
    settings: Settings, cli_settings: None, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "variants.yaml"
    path.write_text("experiment: x\nvariants: {control: {}}\ncontrol: missing\n")
    monkeypatch.setenv("VARIANTS_FILE", str(path))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["variants", "check"])
    assert result.exit_code == 1
    assert f"{path}: (top level): Value error, control variant 'missing' is not among variants" in result.output


def test_no_difference_is_not_called_and_textbook_sizes_match() -> None:
    control, variant = Counts(), Counts()
    control.add("up", 70), control.add("down", 30), variant.add("up", 72), variant.add("down", 28)
    c = compare("b", variant, control)
    assert c.p_value is not None and c.p_value > 0.5 and c.verdict.startswith("no significant difference")
    assert c.diff_ci is not None and c.diff_ci[0] < 0 < c.diff_ci[1]
    # Textbook: 0.70 -> 0.75 at alpha 0.05 two-sided, power 0.8 needs ~1250 per arm (Cohen's h = 0.112).
    assert sample_size(0.70, 0.75) == pytest.approx(1250, abs=5)
    assert minimum_detectable_effect(0.70, 1250, 1250) == pytest.approx(0.05, abs=0.002)


def test_no_winner_is_called_before_the_planned_votes() -> None:
    control, variant = Counts(), Counts()
    control.add("up", 140), control.add("down", 60), variant.add("up", 170), variant.add("down", 30)  # p < 0.001
    early = compare("b", variant, control, target_effect=0.05)
    assert early.p_value is not None and early.p_value < 0.001
    assert early.planned_votes == sample_size(0.70, 0.75)
    assert early.verdict == f"collecting votes: 200 of {early.planned_votes} per arm"
    assert compare("b", variant, control).verdict.startswith("better")  # without a plan, p alone


class _Identity:
    def mask(self, text: str) -> str:
        return text


class _NoSensitive:
    def check(self, text: str) -> None:
        return None

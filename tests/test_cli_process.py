"""`policybot` as a person runs it: a real process, its real output and exit code."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from bot.config import Settings


def _run(kb_settings: Settings, args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "POLICYBOT_DATA_DIR": str(kb_settings.data_dir),
        "KNOWLEDGE_DIR": str(kb_settings.knowledge_dir),
        "REDIS_PREFIX": f"test-cli-{uuid.uuid4().hex[:8]}",
    }
    command = [sys.executable, "-c", "from bot.cli import main; main()", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, timeout=240)


def test_ask_prints_only_the_answer_no_loader_progress_bars(kb_settings: Settings) -> None:
    done = _run(kb_settings, ["ask", "How many days of annual leave do I get?"])
    assert done.returncode == 0, done.stderr
    assert "25 days" in done.stdout
    assert "Loading weights" not in done.stdout + done.stderr


def test_ask_with_an_empty_question_says_so_and_exits_2(kb_settings: Settings) -> None:
    done = _run(kb_settings, ["ask", "   "])
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Please type a question" in done.stdout


@pytest.mark.parametrize("first_input", ["/quit", ""])  # quitting, or end of input, right after start
def test_chat_quits_cleanly_while_the_warm_up_is_running(kb_settings: Settings, first_input: str) -> None:
    done = _run(kb_settings, ["chat"], stdin=first_input + "\n" if first_input else "")
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "terminate called" not in done.stderr

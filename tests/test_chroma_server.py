"""CHROMA_HOST: the same ingestion and answering against a real Chroma server (`chroma run`)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.answer.service import PolicyService
from bot.config import Settings
from bot.ingest.pipeline import run_ingest

CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    if not CHROMA.exists():
        pytest.fail(f"chroma CLI not found next to {sys.executable}")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def test_ingest_and_answer_through_a_chroma_server(chroma_server, tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(Path(__file__).resolve().parents[1] / "knowledge" / "finance", folder)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=folder, chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = run_ingest(settings)
    assert report.added and report.chunks_total > 20
    assert not (tmp_path / "data" / "chroma").exists(), "nothing is written to the embedded store"
    assert run_ingest(settings).chunks_embedded == 0  # incremental against the server too
    result = PolicyService(settings).ask("What is the hotel cap in London?")
    assert result.kind == "answer" and "260" in result.answer

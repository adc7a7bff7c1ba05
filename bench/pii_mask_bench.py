"""PII masking cost of ingesting knowledge/: patterns only vs spaCy NER on every line vs NER only
where a certain name can be (the default at ingest, `PiiMasker.mask_documents`).

    python bench/pii_mask_bench.py [KNOWLEDGE_DIR] [ROUNDS]

Prints the engine build time (once per process) and the best of ROUNDS (default 3) mask times.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bot.config import Settings
from bot.governance.pii import PiiMasker
from bot.ingest.sources import folder_sources


def main() -> None:
    knowledge = Path(sys.argv[1] if len(sys.argv) > 1 else "knowledge")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    base = Settings(_env_file=None, knowledge_dir=knowledge)
    sources, _ = folder_sources(knowledge, exclude=base.ingest_exclude, max_file_bytes=10**8, max_line_chars=10**6)
    texts = [text for source in sources for _, text in source.load().segments]
    print(f"{len(sources)} documents, {len(texts)} segments, {sum(map(len, texts)):,} characters")
    configs = {
        "patterns only (old default)": (base.model_copy(update={"spacy_model": ""}), "mask_many"),
        "NER on all text": (base, "mask_many"),
        "NER where a name can be (new default)": (base, "mask_documents"),
    }
    for name, (settings, method) in configs.items():
        t = time.perf_counter()
        masker = PiiMasker(settings)
        build = time.perf_counter() - t
        mask = getattr(masker, method)
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            mask(texts)
            times.append(time.perf_counter() - t)
        print(f"{name:<40} build {build:5.2f} s   mask best {min(times):5.2f} s (of {rounds})")


if __name__ == "__main__":
    main()

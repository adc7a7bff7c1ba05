"""Ingest speed on knowledge/: cold and warm runs against the encoder floor.

    python bench/ingest_bench.py [KNOWLEDGE_DIR]

The floor is the embedding model alone encoding the very chunks the cold run produced, with the
same batch size and thread count; the goal is cold ingest wall time <= 1.2x that floor.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from bot.config import Settings
from bot.ingest.pipeline import Ingestor
from bot.retrieval.embeddings import load_embeddings
from bot.retrieval.index_files import open_record_manager
from bot.retrieval.vectorstore import open_collection, open_vectorstore


def main() -> None:
    knowledge = Path(sys.argv[1] if len(sys.argv) > 1 else "knowledge")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), knowledge_dir=knowledge)
        t = time.perf_counter()
        model = load_embeddings(settings.embedding_model, settings.embedding_threads, settings.embedding_batch_size)
        model.embed_query("warm up")
        ingestor = Ingestor(settings)  # builds the PII engine and tokenizer: one-off process costs
        ingestor.transform(["warm up"]) if ingestor.transform else None
        open_vectorstore(settings, model, "warmup")  # imports chromadb
        open_record_manager(settings, "warmup")  # imports sqlalchemy / langchain-classic
        startup = time.perf_counter() - t

        cold = ingestor.ingest_folder()
        warm = ingestor.ingest_folder()
        texts = open_collection(settings).get(include=["documents"])["documents"]
        t = time.perf_counter()
        model.embed_documents(texts)
        floor = time.perf_counter() - t

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents            {len(cold.added)} ({len(cold.skipped)} skipped)")
    print(f"chunks               {cold.chunks_total}")
    print(f"process start-up     {startup:.2f} s (imports, model, PII engine, tokenizer; once per process)")
    print(f"cold ingest          {cold.seconds:.2f} s  = {cold.chunks_total / cold.seconds:.1f} chunks/s")
    for stage, secs in cold.stage_seconds.items():
        print(f"  {stage:<20} {secs:.2f} s")
    print(f"encoder floor        {floor:.2f} s  = {len(texts) / floor:.1f} chunks/s")
    print(f"cold / floor         {cold.seconds / floor:.2f}x")
    print(f"warm ingest          {warm.seconds:.3f} s (embedded {warm.chunks_embedded})")
    print(f"peak RSS             {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()

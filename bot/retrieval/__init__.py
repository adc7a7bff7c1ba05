"""Retrieval: dense (Chroma) + BM25 fused by reciprocal rank, with access filters."""

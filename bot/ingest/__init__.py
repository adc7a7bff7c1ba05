"""Ingestion: load, clean, mask, chunk, tag and index the knowledge folder."""

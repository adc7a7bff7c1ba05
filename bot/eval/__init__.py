"""Evaluation: BEIR-layout datasets, retrieval and answer metrics, baseline."""

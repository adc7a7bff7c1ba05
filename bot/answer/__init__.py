"""The answering pipeline: retrieve, answer (extractive or LLM), score confidence, cite."""

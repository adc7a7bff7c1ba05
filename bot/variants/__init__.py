"""A/B experiments: variants of the answering settings, sticky assignment, rollout, comparison."""

"""Governance: PII masking, audience-based access, sensitive questions, audit."""

"""Closing the feedback loop: why a 👎, review items for policy owners, and where their cards go."""

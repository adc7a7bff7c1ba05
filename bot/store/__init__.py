"""Redis storage: answers, feedback votes, review queue, event dedup, audit stream."""

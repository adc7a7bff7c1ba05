"""The core vocabulary every layer shares: results, sources, turns, principals, chunk helpers,
and the request/outcome of one question. Modules here import nothing else from `bot`."""

"""KPIs: day-bucketed counters recorded with every answer and vote, and the reports built on them."""

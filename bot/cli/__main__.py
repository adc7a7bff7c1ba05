"""`python -m bot.cli ...`: the CLI under this interpreter (how `policybot serve` starts its workers)."""

from bot.cli import main

main()

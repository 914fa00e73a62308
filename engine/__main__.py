"""`python -m engine` runs the command line, as the `budget-kg` script does."""

from engine.cli import main

main()

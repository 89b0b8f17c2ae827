"""`python -m okrcli` runs the `okr` command."""

from okrcli.cli import main

main()

"""`python -m bot.cli`: the same as the `atende` command, exit code included."""

import sys

from bot.cli.command import main

sys.exit(main())

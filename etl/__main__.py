"""`python -m etl …`: see etl/cli/main.py."""

import sys

from etl.cli.main import main

sys.exit(main())

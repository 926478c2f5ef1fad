"""``python -m fair_collect``: the same as the ``fair-collect`` command."""

from fair_collect.cli import main

raise SystemExit(main())

"""``python -m lessonkit``: the same as the ``lessonkit`` command."""

from lessonkit.cli import main

raise SystemExit(main())

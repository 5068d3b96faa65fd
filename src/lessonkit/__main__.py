"""``python -m lessonkit``: the same as the ``lessonkit`` command."""

from .cli import main

raise SystemExit(main())

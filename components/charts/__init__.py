"""Altair chart builders, one module per theme. Each returns a chart whose data and encoding tests can inspect.

Builders take the output of the core's metric functions and only reshape it for display; the
`*_table` functions shape the Dutch tables shown next to the charts (numbers as Dutch text).
Everything is re-exported here, so pages and tests write `charts.needs_bars`.
"""
from .base import *  # noqa: F401,F403
from .duration import *  # noqa: F401,F403
from .hours import *  # noqa: F401,F403
from .needs import *  # noqa: F401,F403
from .organisations import *  # noqa: F401,F403
from .overview import *  # noqa: F401,F403
from .progress import *  # noqa: F401,F403

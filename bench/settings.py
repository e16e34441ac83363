"""Production settings, with static files collected into the bench's scratch folder.

Production serves static files through WhiteNoise's manifest storage, which needs
``collectstatic`` to have run; the bench collects them into a temporary folder instead of
the project's ``staticfiles/``.
"""

import os
from pathlib import Path

from pluform.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["PLUFORM_BENCH_STATIC_ROOT"])

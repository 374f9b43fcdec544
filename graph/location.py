"""Where the store lives, kept apart from the store so that finding it is cheap.

Every command's ``--help`` runs the CLI group first, and the group names the
store; importing the store itself would load pyoxigraph (about 0.1 s) only to
print a help text.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "INDSATSGRAF_STORE"


def default_location() -> Path:
    """``$INDSATSGRAF_STORE``, else ``$XDG_DATA_HOME/indsatsgraf/store``, else ~/.local/share/…"""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "indsatsgraf" / "store"

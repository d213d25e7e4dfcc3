"""abiscope: CPython's C API, Limited API and Stable ABI, offline.

The wheel carries the abiscope binary as a script; this package only finds
it, so that ``python -m abiscope`` works where the scripts directory is not
on ``PATH``.
"""

from __future__ import annotations

import os
import sys
import sysconfig

__all__ = ["find_abiscope_bin"]


def find_abiscope_bin() -> str:
    """The path of the abiscope binary this package was installed with."""
    exe = "abiscope" + (sysconfig.get_config_var("EXE") or "")
    places = [sysconfig.get_path("scripts")]
    # A `pip install --user` puts scripts in the user scheme's directory.
    if sys.version_info >= (3, 10):
        user = sysconfig.get_preferred_scheme("user")
    elif os.name == "nt":
        user = "nt_user"
    elif sys.platform == "darwin" and getattr(sys, "_framework", None):
        user = "osx_framework_user"
    else:
        user = "posix_user"
    places.append(sysconfig.get_path("scripts", scheme=user))
    # `pip install --target DIR` puts them in DIR/bin beside the package.
    places.append(os.path.join(os.path.dirname(os.path.dirname(__file__)), "bin"))
    for place in places:
        path = os.path.join(place, exe)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(
        f"the abiscope binary is not in {', '.join(places)}; reinstall the abiscope wheel"
    )

"""``python -m abiscope ARGS``: runs the abiscope binary with ARGS."""

from __future__ import annotations

import os
import sys

from abiscope import find_abiscope_bin


def main() -> None:
    try:
        binary = os.fsdecode(find_abiscope_bin())
    except FileNotFoundError as e:
        sys.exit(f"abiscope: {e}")
    args = [binary, *sys.argv[1:]]
    if sys.platform == "win32":
        # Windows has no exec that keeps the console and exit status.
        import subprocess

        sys.exit(subprocess.run(args).returncode)
    # The binary takes over this process: the explorer owns the terminal,
    # signals reach it directly and its exit status is the command's.
    os.execv(binary, args)


if __name__ == "__main__":
    main()

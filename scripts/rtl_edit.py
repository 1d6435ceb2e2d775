# SPDX-License-Identifier: Apache-2.0
"""Checked text edits of a temporary copy of the RTL, for the scripts that measure a part of the
design by taking it out (scripts/fpga_breakdown.sh, scripts/fpga_fit_bound.sh): each pattern must
occur exactly once, so an RTL change that an edit no longer matches stops the measurement
instead of measuring nothing."""
import sys


def edit(path, pairs, who):
    """Replace each (old, new) of pairs in the file at path; exit naming who, the file and the
    pattern when old does not occur exactly once."""
    s = open(path).read()
    for old, new in pairs:
        if s.count(old) != 1:
            sys.exit(f"{who}: error: {path}: expected exactly one '{old.strip()}'")
        s = s.replace(old, new)
    open(path, "w").write(s)

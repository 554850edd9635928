# SPDX-License-Identifier: GPL-2.0-or-later
# Sphinx configuration of vrrpd's user manual (html) and of the vrrpd(8) man page (man).
# Build with `make doc`, or by hand:
#   sphinx-build -W -n -b html doc build/doc/html
#   sphinx-build -W -n -b man doc build/doc/man
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)


def configure_version():
    """The version of AC_INIT in configure.ac, the one place it is set."""
    try:
        with open(os.path.join(here, "..", "configure.ac"), encoding="utf-8") as f:
            m = re.search(r"AC_INIT\(\[vrrpd\],\s*\[([^\]]+)\]", f.read())
    except OSError:
        m = None
    return m.group(1) if m else "unknown"


project = "vrrpd"
author = "the vrrpd developers"
copyright = "2026, the vrrpd developers"
version = release = configure_version()

needs_sphinx = "5.0"
extensions = ["vrrpdoc"]
# `.. clicmd::` and `:clicmd:` without the domain prefix.
primary_domain = "vrrp"
root_doc = "index"
source_suffix = {".rst": "restructuredtext"}
exclude_patterns = ["_build"]
highlight_language = "none"
pygments_style = "sphinx"
today_fmt = "%Y-%m-%d"

# A theme that ships inside Sphinx, so python3-sphinx is all the build needs.
html_theme = "classic"
html_title = f"vrrpd {release} manual"
html_short_title = "vrrpd"
html_show_sourcelink = False
html_copy_source = False

man_pages = [
    ("manpages/vrrpd", "vrrpd", "a VRRP daemon for FRRouting", [author], 8),
]
man_show_urls = False

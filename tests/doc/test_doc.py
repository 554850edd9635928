# SPDX-License-Identifier: GPL-2.0-or-later
"""The manual and the man page build without warnings and keep up with the code.

- doc/ builds as HTML and as the vrrpd(8) man page with sphinx-build -W -n, the flags of
  `make doc`;
- man -l renders vrrpd.8 without groff warnings, with the sections a man page needs;
- every command the daemon defines (DEFPY/DEFUN/ALIAS in vrrpd/*.c) is documented by a
  clicmd directive, and every clicmd is a command the daemon defines;
- every option of `vrrpd --help` is in the man page (when vrrpd/vrrpd is built);
- NEWS names the version of configure.ac.
"""

import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
DOC = TOP / "doc"
SPHINX_FLAGS = ["-W", "-n", "-q"]

# The command definitions of lib/command.h whose third argument is the command string. DEFSH
# and DEFUNSH (vtysh's) take the daemon first and do not occur in a daemon.
DEF_RE = re.compile(
    r"\b(?P<macro>(?:DEFPY|DEFUN|ALIAS)\w*)\s*\(\s*\w+\s*,\s*\w+\s*,\s*"
    r'(?P<str>(?:"(?:[^"\\]|\\.)*"\s*)+)'
)
STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')


def normalize(cmd):
    """The command as vtysh shows it: no clippy variable names, single spaces."""
    return " ".join(re.sub(r"\$[A-Za-z_]\w*", "", cmd).split())


def source_commands():
    """{command: "file:macro"} of every visible command in vrrpd/*.c."""
    found = {}
    for path in sorted((TOP / "vrrpd").glob("*.c")):
        if path.name.endswith("_clippy.c"):
            continue
        text = path.read_text(encoding="utf-8")
        # Comments may quote commands; they define nothing.
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        for m in DEF_RE.finditer(text):
            if m.group("macro").endswith("_HIDDEN"):
                continue
            cmd = normalize("".join(STRING_RE.findall(m.group("str"))))
            found[cmd] = f"{path.name}:{m.group('macro')}"
    return found


def sphinx(builder, out, doctrees):
    exe = shutil.which("sphinx-build")
    if not exe:
        pytest.fail("sphinx-build not found: install python3-sphinx (scripts/deps.sh)")
    proc = subprocess.run(
        [exe, *SPHINX_FLAGS, "-b", builder, "-d", str(doctrees), str(DOC), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"sphinx-build -b {builder} failed:\n{proc.stdout}{proc.stderr}"
    assert "WARNING" not in proc.stderr, proc.stderr
    return out


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    return tmp_path_factory.mktemp("doc")


@pytest.fixture(scope="module")
def html(build):
    return sphinx("html", build / "html", build / "doctrees-html")


@pytest.fixture(scope="module")
def manpage(build):
    sphinx("man", build / "man", build / "doctrees-man")
    page = build / "man" / "vrrpd.8"
    assert page.is_file(), f"no vrrpd.8 in {sorted(p.name for p in (build / 'man').iterdir())}"
    return page


@pytest.fixture(scope="module")
def man_text(manpage):
    if not shutil.which("man"):
        pytest.fail("man not found: install man-db (scripts/deps.sh)")
    env = dict(os.environ, MANWIDTH="100", MANPAGER="cat", PAGER="cat", LC_ALL="C.UTF-8")
    proc = subprocess.run(
        ["man", "--warnings", "-l", str(manpage)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "", f"groff warnings:\n{proc.stderr}"
    # Bold and underline as overstrike, should man-db keep them.
    return re.sub(r".\x08", "", proc.stdout)


@pytest.fixture(scope="module")
def documented(html, build):
    """{command: docname} of every clicmd, from the environment the HTML build left."""
    sys.path.insert(0, str(DOC))
    try:
        with open(build / "doctrees-html" / "environment.pickle", "rb") as f:
            env = pickle.load(f)
    finally:
        sys.path.remove(str(DOC))
    commands = env.domaindata["vrrp"]["commands"]
    return {name: doc for name, (doc, _node_id) in commands.items()}


def test_html_pages(html):
    for page in ("index", "overview", "starting", "configuration", "macvlan", "show",
                 "debugging", "yang", "troubleshooting", "manpages/vrrpd", "genindex"):
        assert (html / f"{page}.html").is_file(), page


def test_sources_define_commands():
    # Guards the parser: if it found nothing, the next test would prove nothing.
    cmds = source_commands()
    assert "show vrrp [interface INTERFACE] [(1-255)] [json]" in cmds
    assert "[no] vrrp (1-255) [version (2-3)]" in cmds
    assert len(cmds) >= 15, sorted(cmds)


def test_every_command_is_documented(documented):
    missing = {c: where for c, where in source_commands().items() if c not in documented}
    assert not missing, "commands without a clicmd in doc/:\n" + "\n".join(
        f"  .. clicmd:: {c}    ({where})" for c, where in sorted(missing.items())
    )


def test_every_clicmd_is_a_command(documented):
    defined = source_commands()
    stale = {c: doc for c, doc in documented.items() if c not in defined}
    assert not stale, "clicmd for commands the daemon does not define:\n" + "\n".join(
        f"  {c}    (doc/{doc}.rst)" for c, doc in sorted(stale.items())
    )


def test_commands_are_indexed(html, documented):
    index = (html / "genindex.html").read_text(encoding="utf-8")
    for cmd in documented:
        # The index shows the command with HTML escapes.
        escaped = cmd.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in index, cmd


def test_man_page_sections(man_text):
    assert re.search(r"^NAME\n\s+vrrpd - a VRRP daemon for FRRouting", man_text, re.M), man_text
    for section in ("SYNOPSIS", "DESCRIPTION", "OPTIONS", "SIGNALS", "FILES", "SEE ALSO"):
        assert re.search(rf"^{section}$", man_text, re.M), section
    for text in ("/etc/frr/vrrpd.conf", "/usr/lib/frr/vrrpd", "frr-vrrpd(8)", "vtysh(1)"):
        assert text in man_text, text


def help_options():
    binary = Path(os.environ.get("VRRPD_BIN", TOP / "vrrpd" / "vrrpd"))
    if not binary.is_absolute():
        binary = TOP / binary
    if not os.access(binary, os.X_OK):
        pytest.skip(f"{binary} is not built (scripts/build.sh)")
    proc = subprocess.run([str(binary), "--help"], capture_output=True, text=True, timeout=30)
    opts = set()
    for line in proc.stdout.splitlines():
        # "  -f, --config_file  Set ..." or "      --log  Set ..."; "-d -t" is a combination.
        m = re.match(r"\s+(?:(-\w)(?:, |\s+(?=\S)))?(--[\w-]+)?", line)
        if m and (m.group(1) or m.group(2)):
            opts.update(o for o in m.groups() if o)
    assert "--config_file" in opts and "-A" in opts, proc.stdout
    return opts


def test_man_page_has_every_option(man_text):
    missing = sorted(o for o in help_options() if not re.search(rf"(^|\s){o}\b", man_text, re.M))
    assert not missing, f"options of vrrpd --help missing from vrrpd.8: {missing}"


def test_news_names_the_version():
    ac = (TOP / "configure.ac").read_text(encoding="utf-8")
    version = re.search(r"AC_INIT\(\[vrrpd\],\s*\[([^\]]+)\]", ac).group(1)
    news = (TOP / "NEWS").read_text(encoding="utf-8")
    assert re.search(rf"^vrrpd {re.escape(version)}\b", news, re.M), version

# SPDX-License-Identifier: GPL-2.0-or-later
"""Sphinx extension for vrrpd's manual.

It provides:

- the ``clicmd`` directive, which documents one CLI command: the command string is shown as
  the signature, an index entry is made, and the command becomes a target;
- the ``clicmd`` role, which links to a documented command;
- a small Pygments lexer named ``frr`` for configuration snippets.

The directive and role live in a domain named ``vrrp``; conf.py makes it the primary domain,
so pages write ``.. clicmd::`` and ``:clicmd:`` without a prefix. A command string is stored
with its whitespace collapsed, which is also how the test suite compares it with the
daemon's sources.
"""

from docutils.parsers.rst import directives
from pygments.lexer import RegexLexer, bygroups
from pygments.token import Comment, Keyword, Name, Number, String, Text
from sphinx import addnodes
from sphinx.directives import ObjectDescription
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_id, make_refnode

logger = logging.getLogger(__name__)

NO_PREFIX = "[no] "


def normalize(cmd):
    """One space between tokens, as vtysh shows a command."""
    return " ".join(cmd.split())


class CliCommand(ObjectDescription):
    """``.. clicmd:: [no] vrrp (1-255) preempt`` followed by the command's description."""

    has_content = True
    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = True
    option_spec = {"noindex": directives.flag}

    def get_signatures(self):
        # A command string may contain characters ObjectDescription would split on; one
        # directive documents one command.
        return [normalize(self.arguments[0])]

    def handle_signature(self, sig, signode):
        rest = sig
        if sig.startswith(NO_PREFIX):
            signode += addnodes.desc_annotation(NO_PREFIX, NO_PREFIX)
            rest = sig[len(NO_PREFIX):]
        signode += addnodes.desc_name(rest, rest)
        return sig

    def add_target_and_index(self, name, sig, signode):
        node_id = make_id(self.env, self.state.document, "clicmd", name)
        signode["ids"].append(node_id)
        self.state.document.note_explicit_target(signode)
        self.env.get_domain("vrrp").note_command(name, node_id, signode)
        self.indexnode["entries"].append(("pair", f"{name}; command", node_id, "", None))


class VrrpDomain(Domain):
    """Commands of vrrpd."""

    name = "vrrp"
    label = "vrrpd"
    object_types = {"clicmd": ObjType("command", "clicmd")}
    directives = {"clicmd": CliCommand}
    roles = {"clicmd": XRefRole()}
    initial_data = {"commands": {}}  # command -> (docname, node_id)

    @property
    def commands(self):
        return self.data.setdefault("commands", {})

    def note_command(self, name, node_id, location):
        if name in self.commands:
            other = self.commands[name][0]
            logger.warning(
                "command %r is documented twice (also in %s)", name, other, location=location
            )
            return
        self.commands[name] = (self.env.docname, node_id)

    def clear_doc(self, docname):
        for name, (doc, _) in list(self.commands.items()):
            if doc == docname:
                del self.commands[name]

    def merge_domaindata(self, docnames, otherdata):
        for name, (doc, node_id) in otherdata["commands"].items():
            if doc in docnames:
                self.commands[name] = (doc, node_id)

    def _find(self, target):
        """The command, also when a reference adds or leaves out the "[no] " prefix."""
        target = normalize(target)
        for name in (target, NO_PREFIX + target, target[len(NO_PREFIX):]):
            if name in self.commands:
                return name
        return None

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        name = self._find(target)
        if name is None:
            return None
        doc, node_id = self.commands[name]
        return make_refnode(builder, fromdocname, doc, node_id, contnode, name)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        ref = self.resolve_xref(env, fromdocname, builder, "clicmd", target, node, contnode)
        return [("vrrp:clicmd", ref)] if ref is not None else []

    def get_objects(self):
        for name, (doc, node_id) in sorted(self.commands.items()):
            yield name, name, "clicmd", doc, node_id, 1


class FrrConfigLexer(RegexLexer):
    """FRR configuration text: "!" comments, a leading "no", the command word, addresses."""

    name = "FRR configuration"
    aliases = ["frr"]
    tokens = {
        "root": [
            (r"^\s*!.*\n", Comment.Single),
            (r"^(\s*)(no)(\s+)([\w-]+)", bygroups(Text, Keyword, Text, Name.Function)),
            (r"^(\s*)([\w-]+)", bygroups(Text, Name.Function)),
            (r'"[^"\n]*"', String),
            (r"[0-9a-fA-F]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(/\d+)?", Number),
            (r"\d+\.\d+\.\d+\.\d+(/\d+)?", Number),
            (r"\b\d+\b", Number),
            (r"\s+", Text),
            (r"\S+", Text),
        ],
    }


def setup(app):
    app.add_domain(VrrpDomain)
    app.add_lexer("frr", FrrConfigLexer)
    # Only Sphinx's own desc nodes are used, so every builder renders commands, man included.
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

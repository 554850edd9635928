#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Make sure apt has a deb-src entry for bookworm (stock Debian images often have none), so that
# `apt-get source frr` works. Prints "added" when it changed something, so the caller knows to
# run `apt-get update`.
set -euo pipefail
if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	exit 0
fi
cat >/etc/apt/sources.list.d/vrrpd-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
echo added

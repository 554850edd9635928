#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Check that the README's set-up works on a fresh Debian bookworm machine: build a minimal root
# with `debootstrap --variant=minbase`, put a fresh `git clone` of the current HEAD in it (what a
# new user gets, not the working tree), enter it in its own mount, PID, UTS and IPC namespaces
# with pivot_root, and run the README's two commands exactly as written, as root, from the
# clone's top directory, with a clean environment: `scripts/lab.sh`, then `scripts/test.sh`.
# Reports each command's exit code and last lines, then one summary line; exits non-zero if
# either command failed. Not part of CI (it takes 20-40 minutes); run it before closing an issue
# that touches the install steps.
#
# Usage: scripts/fresh-machine.sh [options]
#   --dir DIR           working directory (default: build/fresh of the repository); holds the
#                       cached debootstrap tarball, the unpacked root (DIR/root) and the logs
#                       of the last run (DIR/logs)
#   --mirror URL        Debian mirror for debootstrap (default: the host's apt mirror for
#                       bookworm)
#   --keep              leave the unpacked root in DIR/root after the run
#   --refresh           run debootstrap again instead of using the cached tarball
#   --lab-timeout S     time limit of scripts/lab.sh in seconds (default 2400)
#   --test-timeout S    time limit of scripts/test.sh in seconds (default 5400)
#   --only lab|test     run one of the two commands (default: both)
#   -v, --verbose       also stream the commands' output, not only the last lines
#
# The network namespace stays the host's: apt inside reaches the mirror the way the host does
# (its apt sources without deb-src, its apt proxy and Acquire settings, the mirror's host names
# resolved into the root's /etc/hosts; no other DNS). The network namespaces the tests create
# are named under the root's own /run (a tmpfs) and end with the root's processes.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
self="$top/scripts/fresh-machine.sh"

# The part that runs inside the new namespaces: this same script, called again by unshare
# with --inner ROOT COMMAND..., so the host needs nothing but util-linux.
inner() {
	root=$1
	shift
	# Mounts made here stay in this namespace and vanish with it.
	mount --bind "$root" "$root"
	mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
	mount -t sysfs -o nosuid,nodev,noexec sysfs "$root/sys"
	# devtmpfs gives the real device nodes (tun, the loop devices, ...); a private devpts
	# instance and /dev/shm keep ptys and shared memory apart from the host's.
	mount -t devtmpfs devtmpfs "$root/dev"
	mkdir -p "$root/dev/pts" "$root/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$root/dev/pts"
	mount --bind "$root/dev/pts/ptmx" "$root/dev/ptmx"
	mount -t tmpfs -o nosuid,nodev,mode=1777 shm "$root/dev/shm"
	# /run is a tmpfs as on a booted machine: /run/netns (ip netns add) and FRR's /run/frr
	# are the root's own.
	mount -t tmpfs -o nosuid,nodev,mode=755 run "$root/run"
	mkdir -p "$root/run/lock"
	chmod 1777 "$root/run/lock"
	mount -t tmpfs -o nosuid,nodev,mode=1777 tmp "$root/tmp"
	# No cgroups: nothing here needs the host's, and FRR's topotests mount their own cgroup2
	# in each node's namespaces. The PID namespace, not a cgroup, is what ends every process.
	# pivot_root, not chroot: FRR's topotests use `nsenter -a`, which would leave a chroot
	# for the host's root, but not a mount namespace whose root has been pivoted.
	cd "$root"
	mkdir -p .oldroot
	pivot_root . .oldroot
	cd /
	umount -l /.oldroot
	rmdir /.oldroot
	hostname fresh-bookworm

	rc_all=0
	for cmd in "$@"; do
		name=${cmd%%:*}
		limit=${cmd#*:}
		log=/fresh/$name.log
		echo "fresh: running scripts/$name.sh (time limit ${limit}s)" >>/fresh/progress
		start=$(date +%s)
		set +e
		# The README's command, as written, from the clone's top directory, in a clean
		# environment like a new login shell's, with no terminal input.
		(cd /root/vrrpd && exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root TERM="${TERM_OUTER:-dumb}" \
			timeout --kill-after=60 "$limit" "scripts/$name.sh") </dev/null >"$log" 2>&1
		rc=$?
		set -e
		echo "$rc $(($(date +%s) - start))" >"/fresh/$name.rc"
		echo "fresh: scripts/$name.sh exited $rc" >>/fresh/progress
		[ "$rc" -eq 0 ] || rc_all=1
	done
	# This shell is PID 1 of the namespace: when it exits, the kernel kills every process
	# left in it (daemons the tests forgot, a hung command after its timeout).
	exit "$rc_all"
}

main() {
	dir=$top/build/fresh
	mirror=
	keep=no
	refresh=no
	lab_timeout=2400
	test_timeout=5400
	only=
	verbose=no
	while [ $# -gt 0 ]; do
		case "$1" in
		--dir) dir=$2; shift 2 ;;
		--mirror) mirror=$2; shift 2 ;;
		--keep) keep=yes; shift ;;
		--refresh) refresh=yes; shift ;;
		--lab-timeout) lab_timeout=$2; shift 2 ;;
		--test-timeout) test_timeout=$2; shift 2 ;;
		--only) only=$2; shift 2 ;;
		-v | --verbose) verbose=yes; shift ;;
		-h | --help) sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
		*) echo "fresh-machine: unknown option $1 (see --help)" >&2; exit 2 ;;
		esac
	done

	log() { printf 'fresh-machine: %s\n' "$*" >&2; }

	if [ "$(id -u)" -ne 0 ]; then
		log "run as root (debootstrap, mounts and namespaces need it)"
		exit 1
	fi

	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	root=$dir/root
	arch=$(dpkg --print-architecture)
	tarball=$dir/debootstrap-bookworm-minbase-$arch.tar
	logs=$dir/logs

	if [ -z "$mirror" ]; then
		# The mirror the host's apt uses for bookworm itself (not -security or -updates).
		mirror=$(apt-get indextargets --format '$(SITE) $(RELEASE) $(TARGET_OF)' 2>/dev/null |
			awk '$2 == "bookworm" && $3 == "deb" { print $1; exit }')
		mirror=${mirror:-http://deb.debian.org/debian}
	fi

	need=()
	command -v debootstrap >/dev/null || need+=(debootstrap)
	command -v git >/dev/null || need+=(git)
	if [ "${#need[@]}" -gt 0 ]; then
		log "installing ${need[*]} on the host"
		apt-get update -q >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >&2
	fi

	unshare_pid=
	cleanup() {
		local rc=$?
		trap - EXIT INT TERM
		# unshare runs with --kill-child: ending it ends the namespace's PID 1, and with it
		# every process in the namespace.
		if [ -n "$unshare_pid" ] && kill -0 "$unshare_pid" 2>/dev/null; then
			kill "$unshare_pid" 2>/dev/null || true
			wait "$unshare_pid" 2>/dev/null || true
		fi
		if [ "$keep" = no ] && [ -d "$root" ]; then
			# The mounts lived only in the namespace; --one-file-system guards against any left.
			rm -rf --one-file-system "$root"
		fi
		exit "$rc"
	}
	trap cleanup EXIT
	trap 'exit 130' INT TERM

	# The pristine root: debootstrap once, then a tarball, so later runs unpack it in seconds.
	if [ "$refresh" = yes ] || [ ! -f "$tarball" ]; then
		rm -rf --one-file-system "$root" "$tarball.tmp"
		log "debootstrap --variant=minbase bookworm from $mirror (a few minutes)"
		debootstrap --variant=minbase bookworm "$root" "$mirror" >"$dir/debootstrap.log" 2>&1 || {
			tail -n 20 "$dir/debootstrap.log" >&2
			exit 1
		}
		tar --numeric-owner --xattrs --acls -C "$root" -cf "$tarball.tmp" .
		mv "$tarball.tmp" "$tarball"
	fi
	# Every run starts from the pristine copy, never from what a previous run left.
	rm -rf --one-file-system "$root"
	mkdir -p "$root"
	log "unpacking the pristine root from $tarball"
	tar --numeric-owner --xattrs --acls -C "$root" -xf "$tarball"

	# Apt as the host reaches the mirror: its sources (deb entries only: enabling deb-src is the
	# project's own job, scripts/enable-deb-src.sh) replace debootstrap's sources.list.
	rm -f "$root/etc/apt/sources.list"
	shopt -s nullglob
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		out="$root/etc/apt/sources.list.d/host-$(basename "$f" .list).list"
		grep -E '^[[:space:]]*deb[[:space:]]' "$f" >"$out" || rm -f "$out"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		out="$root/etc/apt/sources.list.d/host-$(basename "$f")"
		# deb822 stanzas: keep the deb type of each, drop stanzas that are deb-src only or whose
		# key is not in the root (a third-party repository a fresh machine does not have).
		awk -v root="$root" 'BEGIN { RS = ""; ORS = "\n\n" }
			{
				keep = 0; n = split($0, l, "\n"); s = ""
				for (i = 1; i <= n; i++) {
					line = l[i]
					if (line ~ /^Types:/) {
						keep = (line ~ /[ \t]deb([ \t]|$)/); line = "Types: deb"
					}
					if (line ~ /^Signed-By:[ \t]*\//) {
						key = line; sub(/^Signed-By:[ \t]*/, "", key)
						if (system("test -e \"" root key "\"") != 0) { keep = 0 }
					}
					if (line ~ /^Enabled:[ \t]*no/) { keep = 0 }
					s = s line "\n"
				}
				if (keep) { printf "%s\n", s }
			}' "$f" >"$out"
		[ -s "$out" ] || rm -f "$out"
	done
	# The host's apt proxy and Acquire settings (a mirror serving a snapshot needs
	# Check-Valid-Until false, for instance).
	for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
		[ -f "$f" ] || continue
		if grep -qiE 'proxy|Check-Valid-Until|Check-Date' "$f"; then
			cp "$f" "$root/etc/apt/apt.conf.d/$(basename "$f")"
		fi
	done
	shopt -u nullglob
	for v in http_proxy https_proxy; do
		if [ -n "${!v:-}" ]; then
			printf 'Acquire::%s::Proxy "%s";\n' "${v%_proxy}" "${!v}" >>"$root/etc/apt/apt.conf.d/99host-proxy"
		fi
	done
	# The commands inside get no DNS but the mirror's (and proxy's) host names, resolved here.
	hosts=$( (cat "$root"/etc/apt/sources.list.d/* "$root"/etc/apt/apt.conf.d/* 2>/dev/null || true) |
		grep -vE '^[[:space:]]*(#|//)' | grep -oE 'https?://[^/ ";]+' | sed -E 's#^https?://##; s#^[^@]*@##; s#:[0-9]+$##' | sort -u)
	for h in $hosts; do
		getent ahostsv4 "$h" | awk -v h="$h" '{ print $1 "\t" h; exit }' >>"$root/etc/hosts"
	done
	: >"$root/etc/resolv.conf"
	# No init runs in the root, and a service started by a package's postinst (frr, keepalived)
	# would run in the host's network namespace; refuse to start them, as in any chroot build.
	printf '#!/bin/sh\n# fresh-machine.sh: no services in this root\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"

	# What a new user gets: a clone of the current HEAD, not the working tree.
	rev=$(git -C "$top" rev-parse HEAD)
	branch=$(git -C "$top" symbolic-ref --short -q HEAD || echo fresh)
	git clone -q --no-hardlinks --no-checkout "$top" "$root/root/vrrpd"
	git -C "$root/root/vrrpd" checkout -q -B "$branch" "$rev"
	log "cloned $(git -C "$top" log -1 --format='%h %s' "$rev" | cut -c1-80)"

	cmds=()
	[ "$only" = test ] || cmds+=("lab:$lab_timeout")
	[ "$only" = lab ] || cmds+=("test:$test_timeout")
	mkdir -p "$root/fresh"
	: >"$root/fresh/progress"
	links_before=$(ip -o link show | awk -F': ' '{ print $2 }' | sort)
	netns_before=$(ls /run/netns 2>/dev/null | sort || true)

	log "entering the root (its own mount, PID, UTS and IPC namespaces; pivot_root)"
	TERM_OUTER=${TERM:-dumb} unshare --mount --pid --uts --ipc --fork --kill-child \
		--propagation private "$self" --inner "$root" "${cmds[@]}" &
	unshare_pid=$!
	# The namespace's mount namespace, to check after the run that no process is left in it.
	mntns=
	for _ in $(seq 50); do
		child=$(pgrep -P "$unshare_pid" | head -n 1 || true)
		[ -n "$child" ] && mntns=$(readlink "/proc/$child/ns/mnt" 2>/dev/null || true)
		[ -n "$mntns" ] && [ "$mntns" != "$(readlink /proc/self/ns/mnt)" ] && break
		mntns=
		sleep 0.1
	done
	if [ "$verbose" = yes ]; then
		# Follow each log as it appears; tail ends with the namespace.
		(
			for c in "${cmds[@]}"; do
				n=${c%%:*}
				while [ ! -f "$root/fresh/$n.log" ] && kill -0 "$unshare_pid" 2>/dev/null; do sleep 1; done
				[ -f "$root/fresh/$n.log" ] || break
				tail -n +1 --pid="$unshare_pid" -F "$root/fresh/$n.log" 2>/dev/null &
				tpid=$!
				while [ ! -f "$root/fresh/$n.rc" ] && kill -0 "$unshare_pid" 2>/dev/null; do sleep 1; done
				sleep 1
				kill "$tpid" 2>/dev/null || true
			done
		) &
	fi
	set +e
	wait "$unshare_pid"
	inner_rc=$?
	set -e
	unshare_pid=
	# PID 1's exit has killed the rest; should anything still be in the mount namespace, end
	# it by its PID and say so.
	left=()
	if [ -n "$mntns" ]; then
		for ns in /proc/[0-9]*/ns/mnt; do
			[ "$(readlink "$ns" 2>/dev/null)" = "$mntns" ] || continue
			p=${ns#/proc/}
			left+=("${p%%/*}")
		done
	fi
	if [ "${#left[@]}" -gt 0 ]; then
		log "WARNING: processes left in the root's namespace, killed: ${left[*]}"
		kill -9 "${left[@]}" 2>/dev/null || true
	fi

	# Keep the logs outside the root, which is removed below.
	rm -rf "$logs"
	mkdir -p "$logs"
	cp -a "$root/fresh/." "$logs/"
	if [ -d "$root/root/vrrpd/build/test-results" ]; then
		cp -a "$root/root/vrrpd/build/test-results" "$logs/"
	fi

	# The namespace is gone; nothing it made may be left on the host.
	links_after=$(ip -o link show | awk -F': ' '{ print $2 }' | sort)
	netns_after=$(ls /run/netns 2>/dev/null | sort || true)
	new_links=$(comm -13 <(echo "$links_before") <(echo "$links_after") | tr '\n' ' ')
	new_netns=$(comm -13 <(echo "$netns_before") <(echo "$netns_after") | tr '\n' ' ')

	summary=()
	status=0
	for c in "${cmds[@]}"; do
		n=${c%%:*}
		echo
		echo "=== scripts/$n.sh: last lines ($logs/$n.log)"
		tail -n 15 "$logs/$n.log" 2>/dev/null || echo "(no output)"
		if [ -f "$logs/$n.rc" ]; then
			read -r rc secs <"$logs/$n.rc"
		else
			rc="none (namespace exited $inner_rc)"
			secs=0
		fi
		[ "$rc" = 124 ] && rc="124 (timed out after ${secs}s)"
		echo "=== scripts/$n.sh: exit $rc after ${secs}s"
		line="$n exit $rc"
		if [ "$n" = test ]; then
			counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/test.log" | tail -n 1 || true)
			line="$line (${counts:-no count line})"
		fi
		summary+=("$line")
		[ "$rc" = 0 ] || status=1
	done
	if [ -n "${new_links// /}" ] || [ -n "${new_netns// /}" ]; then
		# This run's namespaces are named in the root's own /run and its mounts are private, so
		# what appears here is another user's work on this host: say so, but do not fail on it.
		echo "fresh-machine: note: new on the host since the start: links [$new_links] netns" \
			"[$new_netns] (not this run's, whose names live in the root's own /run: another" \
			"user's tests on this host)"
	fi
	echo
	summary+=("root $([ "$keep" = yes ] && echo "kept in $root" || echo removed)")
	printf -v joined '%s; ' "${summary[@]}"
	echo "fresh-machine: $(git -C "$top" log -1 --format=%h "$rev"): ${joined%; }"
	exit "$status"
}

# Both functions are read whole before they run, so editing or rebasing this file during a
# run (which takes half an hour) cannot change what the running script does.
if [ "${1:-}" = "--inner" ]; then shift; inner "$@"; exit; else main "$@"; exit; fi

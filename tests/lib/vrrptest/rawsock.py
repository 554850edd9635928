#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The raw-socket helper program the tests run inside a namespace (a router's, a peer's or a
host's), the only copy of their raw-socket code. Packets are built by packets.py.

    rawsock.py frames IFNAME [TAG...]
        AF_PACKET on IFNAME: reads JSON requests on stdin, one a line, {"frames": [hex...],
        "sync": MAC, "timeout": s}: with "sync", waits for the next VRRP advertisement
        (priority > 0) from MAC first; then sends the frames. Answers one JSON line each
        ({"synced": t, "sent": [t...]}); prints {"ready": true} first. TAG (e.g. the
        namespace name) is ignored: it lets vrrplab's stray-process safety net find us.
    rawsock.py ip-send 4|6 IFNAME HOPS PAYLOAD
        One raw IP datagram of protocol 112 to the VRRP group, for what our probes will not
        send: a wrong hop limit, a message too short to parse, one larger than any valid
        (fragmented). PAYLOAD is hex, or zN for N zero bytes.
    rawsock.py arp-probe IFNAME SRC TARGET WINDOW
        One ARP request for TARGET from SRC; prints the sender MAC of every reply within
        WINDOW seconds.
    rawsock.py arp-watch IFNAME SRC TARGET INTERVAL TIMEOUT
        An ARP request for TARGET from SRC every INTERVAL seconds until stdin ends (EOF).
        Prints {"ready": true}, then one JSON line per request: {"t": epoch of the send,
        "replies": [[sender MAC, ms after the send], ...]}. A request collects the replies of
        its INTERVAL; one unanswered by then waits up to TIMEOUT seconds for its first reply
        (the next request is sent after), so a slow reply is not taken for the next one's.
"""

import json
import select
import socket
import struct
import sys
import time

# Run as a program: this file's directory is sys.path[0], so packets.py is a top-level module.
from packets import GROUP4, GROUP6, VRRP_PROTO, arp_request, mac_str

ETH_P_ALL, ETH_P_ARP = 0x0003, 0x0806


def is_vrrp(p: bytes, mac: bytes) -> bool:
    """A VRRP advertisement with priority > 0 from `mac` (IPv4 without options, or IPv6)."""
    if p[6:12] != mac:
        return False
    if p[12:14] == b"\x08\x00":
        return len(p) > 34 and p[23] == VRRP_PROTO and p[34 + 2] != 0
    if p[12:14] == b"\x86\xdd":
        return len(p) > 56 and p[20] == VRRP_PROTO and p[54 + 2] != 0
    return False


def frames(ifname: str):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setblocking(False)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        rep = {}
        if req.get("sync"):
            mac = bytes.fromhex(req["sync"].replace(":", ""))
            # only what arrives from now on counts: drop what is queued
            while True:
                try:
                    s.recv(65535)
                except BlockingIOError:
                    break
            deadline = time.monotonic() + req.get("timeout", 5)
            found = None
            while found is None and time.monotonic() < deadline:
                r, _, _ = select.select([s], [], [], max(0, deadline - time.monotonic()))
                while r:
                    try:
                        p = s.recv(65535)
                    except BlockingIOError:
                        break
                    if is_vrrp(p, mac):
                        found = time.time()
                        break
            rep["synced"] = found
            if found is None:
                print(json.dumps(rep), flush=True)
                continue
        rep["sent"] = []
        for f in req.get("frames", []):
            s.send(bytes.fromhex(f))
            rep["sent"].append(time.time())
        print(json.dumps(rep), flush=True)


def ip_send(family: str, ifname: str, hops: int, payload: str):
    data = bytes(int(payload[1:])) if payload.startswith("z") else bytes.fromhex(payload)
    idx = socket.if_nametoindex(ifname)
    if family == "4":
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, VRRP_PROTO)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, hops)
        mreqn = struct.pack("4s4si", bytes(4), bytes(4), idx)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, mreqn)
        s.setsockopt(socket.IPPROTO_IP, 10, 0)   # IP_MTU_DISCOVER = IP_PMTUDISC_DONT: fragment
        s.sendto(data, (GROUP4, 0))
    else:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, VRRP_PROTO)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, hops)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
        s.sendto(data, (GROUP6, 0, 0, idx))


def arp_probe(ifname: str, src: str, target: str, window: float):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    s.bind((ifname, 0))
    s.send(arp_request(mac_str(s.getsockname()[4]), src, target))
    end = time.monotonic() + window
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            pkt = s.recv(128)
        except socket.timeout:
            break
        op, sha, spa = struct.unpack("!6xH6s4s", pkt[14:32])
        if op == 2 and socket.inet_ntoa(spa) == target:
            print(mac_str(sha))


def _arp_reply_from(pkt: bytes, src: str, target: str):
    """The sender MAC of an ARP reply from `target` to `src`, else None."""
    if len(pkt) < 42:
        return None
    op, sha, spa, tpa = struct.unpack("!6xH6s4s6x4s", pkt[14:42])
    if op == 2 and socket.inet_ntoa(spa) == target and socket.inet_ntoa(tpa) == src:
        return mac_str(sha)
    return None


def arp_watch(ifname: str, src: str, target: str, interval: float, timeout: float):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    s.bind((ifname, 0))
    req = arp_request(mac_str(s.getsockname()[4]), src, target)
    print(json.dumps({"ready": True}), flush=True)
    stdin_open, next_send = True, time.monotonic()
    while stdin_open:
        # until the next send is due, only watch stdin (replies now belong to no request)
        while True:
            left = next_send - time.monotonic()
            r, _, _ = select.select([sys.stdin, s], [], [], max(0.0, left))
            if sys.stdin in r and not sys.stdin.readline():
                stdin_open = False
            if s in r:
                s.recv(128)
            if not stdin_open or left <= 0:
                break
        if not stdin_open:
            break
        sent, wall = time.monotonic(), time.time()
        s.send(req)
        replies = []
        while True:
            now = time.monotonic()
            end = sent + (interval if replies else max(interval, timeout))
            if now >= end:
                break
            r, _, _ = select.select([s], [], [], end - now)
            if r:
                mac = _arp_reply_from(s.recv(128), src, target)
                if mac:
                    replies.append([mac, round((time.monotonic() - sent) * 1000, 3)])
        print(json.dumps({"t": wall, "replies": replies}), flush=True)
        next_send = max(sent + interval, time.monotonic())


def main(argv: list[str]):
    cmd, args = argv[0], argv[1:]
    if cmd == "frames":
        frames(args[0])
    elif cmd == "ip-send":
        ip_send(args[0], args[1], int(args[2]), args[3])
    elif cmd == "arp-probe":
        arp_probe(args[0], args[1], args[2], float(args[3]))
    elif cmd == "arp-watch":
        arp_watch(args[0], args[1], args[2], float(args[3]), float(args[4]))
    else:
        sys.exit(f"rawsock.py: unknown command {cmd!r} (see the docstring)")


if __name__ == "__main__":
    main(sys.argv[1:])

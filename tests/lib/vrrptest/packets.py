# SPDX-License-Identifier: GPL-2.0-or-later
"""Crafted packets, the only copy of how the tests build them: the Internet checksum, VRRP
messages (v2 and v3, good or bad checksums), IPv4/IPv6 Ethernet frames to the VRRP groups and
ARP requests. Standard library only: rawsock.py, the helper program run in namespaces, imports
it too."""

from __future__ import annotations

import socket
import struct
from pathlib import Path

GROUP4 = "224.0.0.18"
GROUP6 = "ff02::12"
BCAST_MAC = "ff:ff:ff:ff:ff:ff"
VRRP_PROTO = 112

# The helper program that puts these on the wire (or probes it) from inside a namespace.
RAWSOCK = Path(__file__).resolve().with_name("rawsock.py")


def inet_csum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _ip4(a: str) -> bytes:
    return socket.inet_pton(socket.AF_INET, a)


def _ip6(a: str) -> bytes:
    return socket.inet_pton(socket.AF_INET6, a)


def _mac(m: str) -> bytes:
    return bytes.fromhex(m.replace(":", ""))


def vrrp_message(family="v4", version=3, type_=1, *, vrid: int, prio=100, addrs,
                 naddr=None, interval_cs=100, adver_int=1, auth_type=0,
                 auth_data=b"\0" * 8, src="10.10.10.99", dst=None, checksum="good",
                 v4_pseudo=True) -> bytes:
    """A VRRP message (no IP header). version 3: 12-bit Max Adver Int (cs); version 2: auth
    type, Adver Int (s) and 8 bytes of auth data. The checksum is the one FRR 8.4.4 sends and
    expects: v2 over the message; v3 IPv4 with the IPv4 pseudo-header (v4_pseudo); v3 IPv6
    with the IPv6 pseudo-header. checksum="bad" flips it; an int is used as is."""
    pack = _ip4 if family == "v4" else _ip6
    body = b"".join(pack(a) for a in addrs)
    n = len(addrs) if naddr is None else naddr
    if version == 2:
        hdr = struct.pack("!BBBBBBH", (version << 4) | type_, vrid, prio, n, auth_type,
                          adver_int, 0)
        msg = hdr + body + auth_data
    else:
        hdr = struct.pack("!BBBBHH", (version << 4) | type_, vrid, prio, n,
                          interval_cs & 0x0FFF, 0)
        msg = hdr + body
    if isinstance(checksum, int):
        ck = checksum
    else:
        if dst is None:
            dst = GROUP4 if family == "v4" else GROUP6
        if family == "v6":
            pseudo = _ip6(src) + _ip6(dst) + struct.pack("!I3xB", len(msg), 112)
        elif version == 3 and v4_pseudo:
            pseudo = _ip4(src) + _ip4(dst) + struct.pack("!xBH", 112, len(msg))
        else:
            pseudo = b""
        ck = inet_csum(pseudo + msg)
        if checksum == "bad":
            ck ^= 0x5a5a
    return msg[:6] + struct.pack("!H", ck) + msg[8:]


def ipv4_frame(src_mac: str, src: str, payload: bytes, dst=GROUP4, ttl=255, proto=112,
               tos=0xC0, ver_ihl=0x45, ident=0, frag=0x4000, total=None,
               dst_mac: str | None = None) -> bytes:
    """An IPv4 frame to dst's multicast MAC (or dst_mac, for a unicast dst). ver_ihl, frag
    (flags and offset in 8-byte units) and total (the total length, default the real one) are
    there to build fragments and malformed headers; the header checksum is always right."""
    tot = 20 + len(payload) if total is None else total
    hdr = struct.pack("!BBHHHBBH4s4s", ver_ihl, tos, tot, ident, frag, ttl, proto, 0,
                      _ip4(src), _ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", inet_csum(hdr)) + hdr[12:]
    d = _ip4(dst)
    dmac = _mac(dst_mac) if dst_mac else bytes([0x01, 0x00, 0x5E, d[1] & 0x7F, d[2], d[3]])
    return dmac + _mac(src_mac) + b"\x08\x00" + hdr + payload


def ipv6_frame(src_mac: str, src: str, payload: bytes, dst=GROUP6, hlim=255, nh=112,
               dst_mac: str | None = None) -> bytes:
    hdr = struct.pack("!IHBB16s16s", (6 << 28) | (0xC0 << 20), len(payload), nh, hlim,
                      _ip6(src), _ip6(dst))
    dmac = _mac(dst_mac) if dst_mac else b"\x33\x33" + _ip6(dst)[12:]
    return dmac + _mac(src_mac) + b"\x86\xdd" + hdr + payload


def ipv4_fragments(src_mac: str, src: str, payload: bytes, ident: int, mtu=1500,
                   ttl=255) -> list[bytes]:
    """payload (a VRRP message) as IPv4 fragments of at most mtu bytes, in order."""
    step = (mtu - 20) // 8 * 8
    out = []
    for off in range(0, len(payload), step):
        more = 0x2000 if off + step < len(payload) else 0
        out.append(ipv4_frame(src_mac, src, payload[off:off + step], ttl=ttl, ident=ident,
                              frag=more | off // 8))
    return out


def ipv6_fragments(src_mac: str, src: str, payload: bytes, ident: int, mtu=1500,
                   hlim=255) -> list[bytes]:
    """payload (a VRRP message) as IPv6 fragments (Fragment header, RFC 8200 4.5) of at most
    mtu bytes, in order."""
    step = (mtu - 40 - 8) // 8 * 8
    out = []
    for off in range(0, len(payload), step):
        more = 1 if off + step < len(payload) else 0
        fh = struct.pack("!BBHI", VRRP_PROTO, 0, off | more, ident)
        out.append(ipv6_frame(src_mac, src, fh + payload[off:off + step], hlim=hlim, nh=44))
    return out


def arp_request(src_mac: str, src: str, target: str) -> bytes:
    """A broadcast ARP request (an Ethernet frame) from src_mac/src for target."""
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, _mac(src_mac), _ip4(src),
                      b"\0" * 6, _ip4(target))
    return _mac(BCAST_MAC) + _mac(src_mac) + b"\x08\x06" + arp


def mac_str(b: bytes) -> str:
    return ":".join("%02x" % x for x in b)

# SPDX-License-Identifier: GPL-2.0-or-later
"""The one test harness library of vrrpd: every suite (tests/integration, tests/adapters,
tests/interop, tests/topotests) and the benchmark (bench/) imports its helpers from here.

    vrrplab    namespaces, zebra + vrrpd daemons, stock vtysh, running-config, cleanup
    vrrpnet    protocol-test LANs: seed routers, seed scenario, polling `show vrrp`
    fixtures   the pytest fixtures and hooks of the suites that use vrrplab
    timing     VRRP timer formulas (Skew_Time, Master_Down_Interval; v2 and v3)
    macvlan    virtual MACs, macvlan names, hand-made (seed) macvlans
    capture    tcpdump start/stop, tshark decoding, live advertisement capture
    packets    crafted VRRP messages and Ethernet frames
    rawsock    helper program run in a namespace: raw-socket senders and probes
    flood      hostile-traffic floods: weighted frame cycles sent by floodgen (../floodgen.c,
               built by make) at a steady rate, per-class sent counts, CPU and kernel counters
    peers      keepalived as a VRRP peer: configuration and process

Only the standard library and pytest (fixtures, vrrpnet) are needed; the topotests use
timing, macvlan and rawsock from inside FRR's topotest framework.
"""

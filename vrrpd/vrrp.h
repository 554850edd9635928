// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual-router table: one struct vrrp_vr per (interface, VRID), each with one struct
 * vrrp_af per address family. The northbound fills the configuration part; the protocol engine
 * owns the rest. This file owns creation, lookup, destruction and the global settings.
 */
#ifndef VRRP_H
#define VRRP_H

#include "lib/if.h"
#include "lib/ipaddr.h"
#include "lib/memory.h"
#include "lib/prefix.h"
#include "lib/typesafe.h"

#include "vrrp_fsm.h"

DECLARE_MGROUP(VRRPD);

#define VRRP_DEFAULT_PRIORITY 100
#define VRRP_DEFAULT_ADVINT 100 /* centiseconds */
#define VRRP_DEFAULT_PREEMPT true
#define VRRP_DEFAULT_SHUTDOWN false
#define VRRP_DEFAULT_VERSION 3

/* Milliseconds per centisecond: the CLI speaks ms, YANG and the wire speak cs. */
#define VRRP_MS_PER_CS 10

enum vrrp_afi {
	VRRP_AFI_V4 = 0,
	VRRP_AFI_V6,
	VRRP_AFI_MAX,
};

struct vrrp_vr;

/* Counters of one address family, in the order `show vrrp` prints them. */
struct vrrp_counters {
	uint32_t adver_tx;
	uint32_t adver_rx;
	uint32_t announce_tx; /* gratuitous ARP (v4) or unsolicited NA (v6) */
	uint32_t transitions;
};

/* One address family of a virtual router: its addresses and its protocol instance. */
struct vrrp_af {
	struct vrrp_vr *vr;
	enum vrrp_afi afi;

	/* Virtual addresses in configuration order. */
	struct ipaddr *addrs;
	unsigned int naddrs;

	/* 00:00:5e:00:01:VRID for IPv4, 00:00:5e:00:02:VRID for IPv6 (RFC 9568 §7.3). */
	struct ethaddr vmac;

	/* The interface carrying the virtual MAC; NULL until one is bound. */
	struct interface *mvl_ifp;
	/* Source address of our advertisements; IPADDR_NONE until known. */
	struct ipaddr src;

	struct vrrp_fsm_vars fsm;
	struct vrrp_counters stats;
};

PREDECL_HASH(vrrp_vrs);

/* Configuration of one virtual router as the northbound last applied it. */
struct vrrp_vr_config {
	uint8_t version;
	/* 0 means "not set here": the global default applies. */
	uint8_t priority;
	uint16_t adver_interval; /* cs; 0 = global default */
	/* -1 = global default, otherwise 0 or 1. */
	int8_t preempt;
	int8_t shutdown;
	bool accept_mode;
};

struct vrrp_vr {
	struct vrrp_vrs_item hitem;

	struct interface *ifp;
	uint8_t vrid;
	/* Created by `vrrp autoconfigure` rather than by configuration. */
	bool autoconf;

	struct vrrp_vr_config cfg;
	struct vrrp_af af[VRRP_AFI_MAX];
};

/* Global settings from the vrrpd-ext YANG module. */
struct vrrp_globals {
	bool autoconfigure;
	uint8_t autoconfigure_version;
	uint8_t priority;
	uint16_t adver_interval; /* cs */
	bool preempt;
	bool shutdown;
};

extern struct vrrp_globals vrrp_globals;

void vrrp_init(void);
void vrrp_fini(void);

struct vrrp_vr *vrrp_vr_create(struct interface *ifp, uint8_t vrid);
void vrrp_vr_destroy(struct vrrp_vr *vr);
struct vrrp_vr *vrrp_vr_lookup(const struct interface *ifp, uint8_t vrid);
/* Replace a family's virtual addresses with a copy of addrs. */
void vrrp_vr_set_addrs(struct vrrp_af *af, const struct ipaddr *addrs, unsigned int n);

/* Settings in effect: the virtual router's own value, else the global default. */
uint8_t vrrp_vr_priority(const struct vrrp_vr *vr);
uint16_t vrrp_vr_adver_interval(const struct vrrp_vr *vr);
bool vrrp_vr_preempt(const struct vrrp_vr *vr);
bool vrrp_vr_shutdown(const struct vrrp_vr *vr);

/* Whether a family can run at all: IPv6 needs VRRPv3 (RFC 3768 is IPv4 only). */
bool vrrp_af_enabled(const struct vrrp_af *af);

/* All virtual routers, optionally filtered, sorted by interface name then VRID. */
struct vrrp_vr **vrrp_vr_sorted(const char *ifname, uint8_t vrid, size_t *count);

/*
 * Bring the protocol state in line with the configuration after any change. Idempotent. In this
 * release the engine does not run yet, so it only recomputes derived values.
 */
void vrrp_vr_reconcile(struct vrrp_vr *vr);
void vrrp_reconcile_all(void);

/* Stop and free every virtual router of an interface that is going away. */
void vrrp_if_delete(struct interface *ifp);

#endif /* VRRP_H */

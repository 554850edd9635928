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

#include "vrrp_af.h"
#include "vrrp_fsm.h"
#include "vrrp_garp.h"
#include "vrrp_packet.h"
#include "vrrp_rx.h"
#include "vrrp_timer.h"

DECLARE_MGROUP(VRRPD);
DECLARE_MTYPE(VRRP_ADDRS);

#define VRRP_DEFAULT_PRIORITY 100
#define VRRP_DEFAULT_ADVINT 100 /* centiseconds */
#define VRRP_DEFAULT_PREEMPT true
#define VRRP_DEFAULT_SHUTDOWN false
#define VRRP_DEFAULT_VERSION 3

/* Milliseconds per centisecond: the CLI speaks ms, YANG and the wire speak cs. */
#define VRRP_MS_PER_CS 10

struct vrrp_vr;
struct vrrp_history;
struct vrrp_peer;
struct vrrp_sync_group;
struct vrrp_notify_vr;
struct thread;
struct thread_master;

/* Counters of one address family, in the order `show vrrp` prints them. */
struct vrrp_counters {
	uint32_t adver_tx;
	uint32_t adver_rx;
	uint32_t announce_tx; /* gratuitous ARP (v4) or unsolicited NA (v6) */
	uint32_t transitions;
	/* Times the instance resumed Master from an earlier run's live macvlan. */
	uint32_t resumes;
	/* RFC 6527 vrrpv3StatisticsPriZeroPktsRcvd / ...Sent. */
	uint32_t prio0_rx;
	uint32_t prio0_tx;
	/* Accepted VRRPv3 IPv4 advertisements by checksum mode: with the IPv4 pseudo-header
	 * (FRR 8.4, keepalived) and over the message only (RFC 9568 5.2.8). */
	uint32_t rx_cksum_pseudo;
	uint32_t rx_cksum_plain;
	/* Accepted unicast advertisements whose VRRPv3 checksum covers the multicast group in
	 * the pseudo-header instead of the real destination (keepalived before 1.3.6). */
	uint32_t rx_cksum_group;
};

/* Why a send (advertisement or announcement) failed, by errno class. */
enum vrrp_tx_error {
	/* ENETDOWN, ENXIO: the macvlan is down, in protodown or gone; retried once it is up. */
	VRRP_TXERR_LINK_DOWN = 0,
	/* ENOBUFS, EAGAIN, ENOMEM: the kernel had no room; the next interval sends again. */
	VRRP_TXERR_NO_BUFFER,
	/* Anything else, including an advertisement that could not be built. */
	VRRP_TXERR_OTHER,
	VRRP_TXERR_MAX,
};

/* camelCase name of a send error class, for JSON. */
const char *vrrp_tx_error_name(enum vrrp_tx_error e);

/* One address family of a virtual router: its addresses and its protocol instance. */
struct vrrp_af {
	struct vrrp_vr *vr;
	enum vrrp_afi afi;
	const struct vrrp_family *fam;

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
	/* Every action the executor applied, by bit number (vrrp_action_str()). */
	uint32_t actions[VRRP_ACT_COUNT];
	uint32_t tx_errors[VRRP_TXERR_MAX];
	/* Received packets for this VRID and family that were dropped, by reason. */
	uint32_t drops[VRRP_DROP_MAX];
	/* Unicast peers (vrrp_unicast.c), sorted; with any, advertisements go to them instead of
	 * to the group, from the parent, and only theirs are accepted. peers_cfg is what the
	 * northbound applied; reconcile puts it in effect (peers) once a release that must
	 * still go the old way has gone. */
	struct vrrp_peer *peers;
	unsigned int npeers;
	struct ipaddr *peers_cfg;
	unsigned int npeers_cfg;
	/* Bumped whenever the virtual addresses change, so a Master can announce new ones. */
	uint32_t addr_gen;
	/* One of the addresses goes first in advertisements (an IPv6 link-local), so received
	 * ones must follow RFC 9568 5.2.9 too. Kept with the addresses for the receive path. */
	bool addr_first_set;

	/* Protocol state: the executor (vrrp_exec.c) is its only writer. */
	struct vrrp_fsm_config fcfg; /* what the state machine runs with */
	/* The VRRPv3 IPv4 checksum mode sent with: the configured one, or the peers' in auto. */
	bool tx_cksum_pseudo;
	struct vrrp_timer t_adver;
	struct vrrp_timer t_master_down;
	/* Announcement bursts after the takeover's (vrrp_garp.c). */
	struct vrrp_garp_sched garp;
	bool advert_pending; /* an advertisement waits for the macvlan to come up */
	/* A send with the kernel's link check worked and nothing changed since: skip the check. */
	bool link_verified;
	bool announce_pending;
	uint32_t addr_gen_announced;
	uint64_t warn_time; /* monotonic us of the last rate-limited warning */
	/* This Master's slot in the guardian's table (vrrp_guardian.h), or -1. */
	int guard_slot;
	/* The addresses advertised, kept when the last one is removed so the release that
	 * follows still names them (vrrp_pkt_build() refuses an empty list). */
	struct ipaddr *tx_addrs;
	unsigned int n_tx_addrs;
	uint32_t tx_addr_gen;

	/* Binding (vrrp_bind.c, vrrp_reconcile.c): what the instance runs on. */
	ifindex_t rx_ifindex; /* parent whose receive socket we hold, or IFINDEX_INTERNAL */
	struct vrrp_rx_quiet rx_quiet; /* what that socket may let wait (version 0: nothing) */
	/* Our macvlan vanished under a running instance, which keeps its state while the
	 * macvlan is recreated: the peers see at most a delayed advertisement. */
	bool mvl_lost;
	uint64_t mvl_lost_time;
	/* Started as Backup before its macvlan was created, which had to wait its turn (the
	 * creation budget of a pass, vrrp_bind.c): held from Master until the macvlan is bound. */
	bool mvl_awaited;
	/* The macvlan this daemon created (marked in its ifalias), or IFINDEX_INTERNAL. */
	ifindex_t own_ifindex;
	ifindex_t seen_ifindex; /* last macvlan whose ownership was checked */
	uint64_t create_time;	/* monotonic us of the last creation attempt */
	/* When the family first needed a macvlan and found none (monotonic us, 0: not waiting),
	 * for the wait before creating one (vrrp default macvlan-autocreate delay). */
	uint64_t create_wanted_time;
	/* Our macvlan, removed to hand the virtual MAC over to someone else's: its deletion
	 * does not stop the instance. IFINDEX_INTERNAL when none. */
	ifindex_t handed_over;
	/* Someone else's macvlan the hand-over raised, until zebra reports it up. */
	ifindex_t handover_to;
	/* Addresses we put on the macvlan (zebra hides them while it is in protodown). */
	struct prefix *mvl_addrs;
	unsigned int n_mvl_addrs;
	ifindex_t mvl_addrs_ifindex;
	/* Those of them we added to a macvlan someone else made: removed when we stop. */
	struct prefix *mvl_added;
	unsigned int n_mvl_added;
	/* Why this family is not running; empty while it runs. */
	char why_down[128];

	/* The sender and priority of the last advertisement accepted from another router
	 * (RFC 8347 last-adv-source); IPADDR_NONE when none or after a release. */
	struct ipaddr master_src;
	uint8_t master_prio;
	/* Recent transitions (vrrp_history.c). */
	struct vrrp_history *history;
	/* The last transition (executor): why, and when by the wall clock. */
	enum vrrp_reason last_reason;
	time_t last_change;
	/*
	 * The first start of this instance may resume the Master an earlier run left behind
	 * (vrrp_bind_resume_check()): whether it started yet, whether it resumes, and whether
	 * an address was missing from the macvlan, so the resumed Master announces after all.
	 */
	bool resume_checked;
	bool resume;
	bool resume_announce;
};

PREDECL_HASH(vrrp_vrs);
PREDECL_DLIST(vrrp_dirty);
PREDECL_DLIST(vrrp_prio_inputs);

/*
 * Something the effective priority depends on (a tracked interface or route). Its owner keeps
 * `failed` current and marks the router dirty when it changes; reconcile reads the sum.
 */
struct vrrp_prio_input {
	struct vrrp_prio_inputs_item item;
	/* For logs and `show vrrp`: "interface eth0", "route 0.0.0.0/0". */
	char name[80];
	/* Priority taken off while failed; 0 means a failure stops the router. */
	uint8_t decrement;
	bool failed;
	/* Whether an event on ifp may change this input, so the router is reconciled. */
	bool (*concerns)(const struct vrrp_prio_input *in, const struct interface *ifp);
	/* Bring `failed` up to date from what the daemon knows; called before the router is
	 * reconciled, so it must be idempotent. May be NULL. */
	void (*refresh)(struct vrrp_prio_input *in);
	/* The router is being freed: the owner forgets it (it may free the input). May be NULL.
	 */
	void (*detach)(struct vrrp_prio_input *in);
};

DECLARE_DLIST(vrrp_prio_inputs, struct vrrp_prio_input, item);

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
	/* VRRPv3 IPv4 checksum over the pseudo-header (FRR's and keepalived's default). */
	bool cksum_pseudo;
	/* Send in the mode the peers use, starting with cksum_pseudo's. */
	bool cksum_auto;
	/* false: never create macvlans for this router; true: the global default decides. */
	bool macvlan_create;
	/* Preempt delay in seconds (RFC 8347 preempt/hold-time); 0 = none. */
	uint16_t preempt_hold;
	/* Gratuitous ARP / unsolicited NA policy; VRRP_GARP_UNSET fields take the default. */
	struct vrrp_garp_config garp;
};

struct vrrp_vr {
	struct vrrp_vrs_item hitem;
	/* Queued for reconciliation by an event (vrrp_reconcile.c). */
	struct vrrp_dirty_item ditem;
	bool dirty;

	struct interface *ifp;
	uint8_t vrid;
	/* Created by `vrrp autoconfigure` rather than by configuration. */
	bool autoconf;

	struct vrrp_vr_config cfg;
	struct vrrp_af af[VRRP_AFI_MAX];
	/* Inputs of the effective priority, owned by their trackers. */
	struct vrrp_prio_inputs_head inputs;
	/* The sync group this router is a member of (vrrp_sync.c), or NULL. */
	struct vrrp_sync_group *sync;
	/* Notify settings and counters (vrrp_notify.c); NULL until it has any. */
	struct vrrp_notify_vr *notify;
};

/* Global settings from the vrrpd-ext YANG module. */
struct vrrp_globals {
	bool autoconfigure;
	uint8_t autoconfigure_version;
	uint8_t priority;
	uint16_t adver_interval; /* cs */
	bool preempt;
	bool shutdown;
	bool macvlan_create;
	/* Seconds a router that finds no macvlan waits for someone else's before creating. */
	uint16_t macvlan_create_delay;
	/* Seconds after the daemon's start in which no Master_Down_Timer makes a Master. */
	uint16_t startup_delay;
	/* SIGTERM leaves Masters live for the next start to resume (vrrp_main.c). */
	bool graceful_restart;
	struct vrrp_garp_policy garp;
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
bool vrrp_vr_macvlan_create(const struct vrrp_vr *vr);
/* The announcement policy in effect: each setting the router's own, else the global one. */
void vrrp_vr_garp(const struct vrrp_vr *vr, struct vrrp_garp_policy *p);
/*
 * The priority the protocol runs with: the configured one less the decrements of the failed
 * inputs, clamped to 1..254; the address owner's 255 is never lowered. 0 when a failed input
 * without a decrement stops the router; *why (if not NULL) then names it.
 */
uint8_t vrrp_vr_effective_priority(const struct vrrp_vr *vr, const char **why);
/* The priority the state machine runs with and show reports: the effective one, or the
 * configured one while a failed input stops the router (it is idle then). */
uint8_t vrrp_vr_run_priority(const struct vrrp_vr *vr);
/* Attach or detach a priority input; the caller reconciles the router afterwards. */
void vrrp_vr_input_add(struct vrrp_vr *vr, struct vrrp_prio_input *in);
void vrrp_vr_input_del(struct vrrp_vr *vr, struct vrrp_prio_input *in);
/* Let every input of vr refresh its state (reconcile calls this first). */
void vrrp_vr_inputs_refresh(struct vrrp_vr *vr);
/* Whether any input of vr watches ifp. */
bool vrrp_vr_inputs_concern(const struct vrrp_vr *vr, const struct interface *ifp);
/* "[VRID 5] [IPv4] eth1", the prefix of every log line about one instance (static buffer). */
const char *vrrp_af_tag(const struct vrrp_af *af);

/* Whether an interface carries a VRRP virtual MAC (RFC 9568 7.3); if so, its VRID and family. */
bool vrrp_if_vmac(const struct interface *ifp, enum vrrp_afi *afi, uint8_t *vrid);
/* The router on a macvlan's parent whose VRID its virtual MAC names (and that MAC's family). */
struct vrrp_vr *vrrp_vmac_router(const struct interface *ifp, enum vrrp_afi *afi);

/* Whether a family can run at all: IPv6 needs VRRPv3 (RFC 3768 is IPv4 only). */
bool vrrp_af_enabled(const struct vrrp_af *af);

/* All virtual routers, optionally filtered, sorted by interface name then VRID. */
struct vrrp_vr **vrrp_vr_sorted(const char *ifname, uint8_t vrid, size_t *count);

/* Visit every virtual router. */
void vrrp_vr_foreach(void (*fn)(struct vrrp_vr *vr, void *arg), void *arg);
size_t vrrp_vr_count(void);

/* Stop and free every autoconfigured virtual router of an interface that is going away. */
void vrrp_if_delete(struct interface *ifp);

/* Create and remove autoconfigured virtual routers (vrrp_autoconf.c). */
void vrrp_autoconfig(void);

#endif /* VRRP_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A fake outside world for the engine's unit tests: a struct vrrp_io that records every call in
 * order and answers as the test scripts it, libfrr interfaces standing in for what zebra would
 * report, and injection of received advertisements through the captured receive callback.
 */
#ifndef FAKE_IO_H
#define FAKE_IO_H

#include "lib/if.h"
#include "lib/ipaddr.h"
#include "lib/prefix.h"
#include "lib/thread.h"

#include "vrrp.h"
#include "vrrp_packet.h"

/* The adapter entries, in vrrp_io.h's order; the first word of each logged line names one. */
enum fake_op {
	FAKE_SOCK_INIT,
	FAKE_RX_REF,
	FAKE_RX_UNREF,
	FAKE_SEND,
	FAKE_GARP,
	FAKE_UNA,
	FAKE_PROTODOWN,
	FAKE_RADV,
	FAKE_NHT_REGISTER,
	FAKE_NHT_UNREGISTER,
	FAKE_MVL_CREATE,
	FAKE_MVL_DELETE,
	FAKE_MVL_SET_UP,
	FAKE_HOLD_DOWN,
	FAKE_KEEP_ADDRS,
	FAKE_PARENT_ARP,
	FAKE_ADDR_ADD,
	FAKE_ADDR_DEL,
	FAKE_GET_ALIAS,
	FAKE_ADDRS,
	FAKE_WALK_OWNED,
	FAKE_FINI,
	FAKE_OP_MAX,
};

/* One recorded call. text is the call as one line, e.g. "protodown vrrp4-10-5 on". */
struct fake_call {
	enum fake_op op;
	char text[192];
	int rc; /* what the fake returned, for calls that return something */
	/* Sends: the advertisement as vrrp_pkt_parse() decoded it, and the lower device named
	 * for the frame path ("" for none). */
	enum vrrp_drop drop;
	struct vrrp_pkt pkt;
	char lower[INTERFACE_NAMSIZ];
	/* Announcements: the MAC they were to come from. */
	struct ethaddr vmac;
};

/* What the adapters answer; fake_reset() sets every field to success (0). */
struct fake_script {
	int send_rc;
	int garp_rc;
	int una_rc;
	int rx_ref_rc;
	/* An ifindex (> 0) or -errno; the alias given is then what get_alias reports for it. */
	int mvl_create_rc;
	/* The kernel answers link_info for the macvlan mvl_create made: up, with carrier. */
	bool mvl_create_known;
	/* Each creation answers the next ifindex (mvl_create_rc, then one more each time). */
	bool mvl_create_seq;
	int mvl_set_up_rc;
	int hold_down_rc;
	/* What mvl_live answers: 1 for a macvlan an earlier run left live (resume). */
	int mvl_live_rc;
	/* A prefix ("10.10.10.1/24") the kernel already has: addr_add answers -EEXIST for it. */
	const char *addr_add_exists;
};

extern struct fake_script fake_rc;
extern struct thread_master *fake_master;

/* Per test: a fresh table, engine and fake; then the world and the engine are torn down. */
void fake_setup(void);
void fake_teardown(void);
/* The same as cmocka fixtures. */
int fake_test_setup(void **state);
int fake_test_teardown(void **state);
#define fake_test(fn) cmocka_unit_test_setup_teardown(fn, fake_test_setup, fake_test_teardown)

/* The log. fake_trace() joins every line with "; "; fake_trace_only() keeps the lines whose
 * operation is one of the space-separated names in ops ("send protodown radv"). */
const char *fake_trace(void);
const char *fake_trace_only(const char *ops);
void fake_clear(void);
int fake_count(enum fake_op op);
/* The nth (from 0) call of op, or NULL. */
const struct fake_call *fake_nth(enum fake_op op, int nth);

/* Assert the whole log, then forget it, so each step of a test checks only what it caused. */
#define fake_expect(want)                                                                         \
	do {                                                                                      \
		assert_string_equal(fake_trace(), (want));                                        \
		fake_clear();                                                                     \
	} while (0)
#define fake_expect_only(ops, want)                                                               \
	do {                                                                                      \
		assert_string_equal(fake_trace_only(ops), (want));                                \
		fake_clear();                                                                     \
	} while (0)

/* The kernel as the fake adapters see it: aliases, IPv6 addresses, leftover macvlans. */
void fake_set_alias(ifindex_t ifindex, const char *alias);
void fake_set_alias_ours(ifindex_t ifindex, const char *parent, uint8_t vrid, bool ipv6);
void fake_add_kernel_addr(ifindex_t ifindex, const char *ip);
void fake_add_owned(ifindex_t ifindex, const char *name, ifindex_t parent, const char *alias);

/* The interface world, as zebra would report it; each change tells the engine, as zebra does. */
enum world_mvl {
	MVL_RUNNING,   /* up and running */
	MVL_PROTODOWN, /* up, no carrier, addresses hidden by zebra */
	MVL_ADMIN_DOWN,
};
#define PARENT_IFINDEX 10
#define PARENT_V4 "10.10.10.15"
#define PARENT_LL "fe80::1:15"
#define MVL_LL "fe80::15"
struct interface *world_parent(const char *name, ifindex_t ifindex);
/* A child of parent carrying the virtual MAC of (afi, vrid); IPv6 ones get MVL_LL. */
struct interface *world_macvlan(const char *name, ifindex_t ifindex, struct interface *parent,
				enum vrrp_afi afi, uint8_t vrid, enum world_mvl state);
void world_set_state(struct interface *mvl, enum world_mvl state);
void world_set_link(struct interface *ifp, bool up);
void world_addr_add(struct interface *ifp, const char *prefix);
/* Zebra deleted the interface: the engine hears of it and the lib frees it unless configured. */
void world_delete(struct interface *ifp);

/* Receiving. */
struct fake_adv {
	int family; /* AF_INET or AF_INET6 */
	uint8_t version;
	uint8_t vrid;
	uint8_t prio;
	uint16_t interval; /* on the wire: cs for v3, seconds for v2 */
	const char *src;
	const char *addrs[4]; /* NULL-terminated */
	uint8_t ttl;	      /* 0 means 255 */
	bool rfc_cksum;	      /* VRRPv3 IPv4 over the message only (RFC 9568 5.2.8) */
};
/* The datagram the receive callback gets (IPv4 with its IP header) and its metadata. */
size_t fake_adv_build(const struct fake_adv *a, uint8_t *buf, size_t len,
		      struct vrrp_rx_meta *meta);
/* Offset of the VRRP message in what fake_adv_build() made. */
size_t fake_adv_msg_off(const struct fake_adv *a);
/* After changing bytes of the message: write the checksum it should carry. */
void fake_adv_fix_cksum(const struct fake_adv *a, uint8_t *buf, size_t len,
			const struct vrrp_rx_meta *meta);
void fake_deliver(struct interface *parent, int family, const uint8_t *buf, size_t len,
		  const struct vrrp_rx_meta *meta);
void fake_rx(struct interface *parent, const struct fake_adv *a);

/* What rx_quiet last told the socket layer for (family, vrid): NULL when nothing may wait. */
const struct vrrp_rx_quiet *fake_quiet(int family, uint8_t vrid);
/* rx_quiet calls since the test began: only changes reach the adapter. */
int fake_quiet_count(void);

/* Timers and the event loop. */
/* Wait for t's deadline (it is armed and at most 1 s ahead), then run it as the loop would. */
void fake_fire(struct vrrp_timer *t);
/* Run whatever the event loop has ready now (scheduled reconciliations), bounded. */
void fake_run_events(void);
/* Run the libfrr timer whose function is named fn now, as if it had expired; false if none. */
bool fake_run_thread_timer(const char *fn);

/* Virtual routers. */
void fake_ip(struct ipaddr *ip, const char *s);
/* A router on parent with the given virtual addresses (NULL-terminated) in one family. */
struct vrrp_vr *fake_vr(struct interface *parent, uint8_t vrid, enum vrrp_afi afi,
			const char *const *addrs);

/* Replace a family's virtual addresses (NULL-terminated strings). */
void fake_set_vips(struct vrrp_af *af, const char *const *addrs);

/*
 * The common scene: eth1 (PARENT_IFINDEX) with a macvlan of someone else's, mv4 (MV4_IFINDEX)
 * or mv6 (MV6_IFINDEX), in the given state, and virtual router FAKE_VRID on eth1 with
 * fake_vips4 or fake_vips6 and a 10 ms interval, started (so Backup) and the log cleared.
 * Called for the other family too, it adds that family to the same router.
 */
#define FAKE_VRID 5
#define MV4_IFINDEX 20
#define MV6_IFINDEX 21
extern const char *const fake_vips4[];
extern const char *const fake_vips6[];
struct vrrp_vr *fake_router(enum vrrp_afi afi, enum world_mvl state);
/* The scene as zebra and the configuration left it, with the default interval, not started. */
struct vrrp_vr *fake_scene(enum vrrp_afi afi, enum world_mvl state);
/* Let the Backup's Master_Down_Timer expire. */
void fake_make_master(struct vrrp_af *af);
/* A Backup with the default 1 s interval from the start, so no timer runs out during a test. */
struct vrrp_af *fake_slow_backup(enum vrrp_afi afi);
/* fake_router() with mv4 or mv6 in protodown, made Master, the log cleared. */
struct vrrp_af *fake_master_af(enum vrrp_afi afi);

#endif /* FAKE_IO_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The protodown adapter (vrrp_protodown.h): per interface, the last protodown wished for and the
 * last one put into the kernel, a queue of interfaces whose wish is not applied yet, and the
 * wake-ups that apply them. It does I/O only; which state an interface should have is the
 * executor's decision.
 *
 * Why not zebra: zebra 8.4 turns every request into a dataplane operation, and every kernel
 * change into an interface and an address message to each client, each in a 16 KiB buffer it
 * queues until the client reads. During a flap storm a busy Backup read those more slowly than
 * its own requests produced them, and its zebra grew by hundreds of MiB. Zebra still learns
 * every change from the kernel, as it does for anyone else's; it only never reasserts it.
 *
 * The protocol thread applies them. A new Master's first advertisement waits for its macvlan
 * to come out of protodown, and a trip through the main loop added up to milliseconds to a
 * failover; so requests made by the protocol thread's handlers are applied at the end of that
 * wake-up, and requests from the main thread ring a bell (an eventfd) the protocol thread
 * watches. A wake-up applies at most VRRP_PD_PASS_MAX of them and rings again for the rest: a
 * burst of a thousand (a boot, a storm) takes about 90 ms of netlink requests, and advertisements
 * received and sent meanwhile go on between its chunks instead of waiting for all of it. Without
 * a bell (no eventfd) one main-loop event applies them all.
 */
#include <zebra.h>

#include <sys/eventfd.h>

#include "lib/jhash.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/typesafe.h"
#include "lib/vrf.h"

#include "vrrp.h" /* the memory group */
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_loop.h"
#include "vrrp_macvlan.h"
#include "vrrp_protodown.h"
#include "vrrp_timer.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_PROTODOWN, "VRRP protodown state of an interface");

/* Kernel changes one protocol wake-up may make, about 90 us each on a busy host. */
#define VRRP_PD_PASS_MAX 16

/* What the kernel was last told; unknown until this adapter has told it something. */
enum vrrp_pd_kernel {
	VRRP_PD_UNKNOWN,
	VRRP_PD_OFF,
	VRRP_PD_ON
};

PREDECL_HASH(vrrp_pds);
PREDECL_DLIST(vrrp_pdq);
struct vrrp_pd {
	struct vrrp_pds_item hitem;
	struct vrrp_pdq_item qitem;
	ifindex_t ifindex;
	vrf_id_t vrf_id;
	bool want;
	bool queued;
	enum vrrp_pd_kernel kernel;
	/* When the kernel took our last "off" (monotonic us); 0 if the last word was not off. */
	uint64_t lifted_us;
};

static int vrrp_pd_cmp(const struct vrrp_pd *a, const struct vrrp_pd *b)
{
	return numcmp(a->ifindex, b->ifindex);
}

static uint32_t vrrp_pd_hash(const struct vrrp_pd *e)
{
	return jhash_1word(e->ifindex, 0x70644e);
}

DECLARE_HASH(vrrp_pds, struct vrrp_pd, hitem, vrrp_pd_cmp, vrrp_pd_hash);
DECLARE_DLIST(vrrp_pdq, struct vrrp_pd, qitem);

static struct vrrp_pds_head vrrp_pds;
static struct vrrp_pdq_head vrrp_pdq;
static struct thread_master *vrrp_pd_master;
static struct thread *vrrp_t_pd_flush;
/* The protocol thread's wake-up for requests from elsewhere and for what a wake-up left. */
static struct vrrp_watch vrrp_pd_bell;
static int vrrp_pd_bellfd = -1;
static bool vrrp_pd_rung;
static vrrp_protodown_apply_fn vrrp_pd_apply;
static vrrp_protodown_done_fn vrrp_pd_done;
static struct vrrp_protodown_stats vrrp_pd_stats;
/* A protocol wake-up's handlers made requests its end applies. */
static bool vrrp_pd_pass_wants;

static struct vrrp_pd *vrrp_pd_find(ifindex_t ifindex)
{
	struct vrrp_pd key = {.ifindex = ifindex};

	return vrrp_pds_find(&vrrp_pds, &key);
}

static void vrrp_pd_free(struct vrrp_pd *e)
{
	if (e->queued)
		vrrp_pdq_del(&vrrp_pdq, e);
	vrrp_pds_del(&vrrp_pds, e);
	XFREE(MTYPE_VRRP_PROTODOWN, e);
}

static void vrrp_pd_flush_event(struct thread *t)
{
	vrrp_protodown_flush();
}

/* Ask for a wake-up that applies what is queued; one ring stands until it is answered. */
static void vrrp_pd_ring(void)
{
	uint64_t one = 1;

	if (vrrp_pd_rung)
		return;
	if (vrrp_pd_bellfd >= 0 && write(vrrp_pd_bellfd, &one, sizeof(one)) == sizeof(one)) {
		vrrp_pd_rung = true;
		return;
	}
	if (vrrp_pd_bellfd >= 0)
		flog_err(EC_VRRP_LOOP, "protodown wake-up: %s; applying from the main loop",
			 safe_strerror(errno));
	/* Adding an event is allowed from any thread. */
	if (vrrp_pd_master)
		thread_add_event(vrrp_pd_master, vrrp_pd_flush_event, NULL, 0, &vrrp_t_pd_flush);
}

static void vrrp_pd_bell_read(void *arg)
{
	uint64_t n;

	if (read(vrrp_pd_bellfd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		flog_err(EC_VRRP_LOOP, "protodown wake-up read: %s", safe_strerror(errno));
	vrrp_pd_rung = false;
	vrrp_pd_pass_wants = true;
}

void vrrp_protodown_request(struct interface *ifp, bool down)
{
	struct vrrp_pd *e = vrrp_pd_find(ifp->ifindex);

	vrrp_pd_stats.requests++;
	if (!e) {
		e = XCALLOC(MTYPE_VRRP_PROTODOWN, sizeof(*e));
		e->ifindex = ifp->ifindex;
		e->kernel = VRRP_PD_UNKNOWN;
		vrrp_pds_add(&vrrp_pds, e);
	}
	VRRP_DEBUG(zebra, "protodown %s on %s wanted", down ? "on" : "off", ifp->name);
	e->want = down;
	e->vrf_id = ifp->vrf->vrf_id;
	if (!e->queued) {
		e->queued = true;
		vrrp_pdq_add_tail(&vrrp_pdq, e);
	}
	/* The wake-up's end, or the next wake-up: that pass is the burst. */
	if (vrrp_loop_in_pass())
		vrrp_pd_pass_wants = true;
	else
		vrrp_pd_ring();
}

/* Apply one wish; false if the interface is gone and its entry was freed. */
static bool vrrp_pd_apply_one(struct vrrp_pd *e)
{
	enum vrrp_pd_kernel want = e->want ? VRRP_PD_ON : VRRP_PD_OFF;
	int rc;

	if (e->kernel == want) {
		vrrp_pd_stats.skipped++;
		return true;
	}
	rc = vrrp_pd_apply(e->ifindex, e->want);
	if (rc == -ENODEV) {
		vrrp_pd_free(e);
		return false;
	}
	if (rc) {
		/* Told nothing for sure: the next request goes to the kernel again. */
		vrrp_pd_stats.failed++;
		e->kernel = VRRP_PD_UNKNOWN;
		e->lifted_us = 0;
		return true;
	}
	vrrp_pd_stats.applied++;
	e->kernel = want;
	e->lifted_us = e->want ? 0 : vrrp_now_us();
	VRRP_DEBUG(zebra, "protodown %s on ifindex %d set in the kernel", e->want ? "on" : "off",
		   e->ifindex);
	if (vrrp_pd_done)
		vrrp_pd_done(e->ifindex, e->vrf_id, e->want);
	return true;
}

/*
 * Apply up to max wishes in the order they were made. What is left, and what the done hook
 * queues meanwhile, goes to the next wake-up.
 */
static void vrrp_pd_drain(unsigned int max)
{
	unsigned int n = MIN(vrrp_pdq_count(&vrrp_pdq), max);
	struct vrrp_pd *e;

	for (; n && (e = vrrp_pdq_pop(&vrrp_pdq)); n--) {
		e->queued = false;
		vrrp_pd_apply_one(e);
	}
	if (vrrp_pdq_count(&vrrp_pdq))
		vrrp_pd_ring();
}

void vrrp_protodown_flush(void)
{
	/* Only the main loop's own thread may cancel its task. */
	THREAD_OFF(vrrp_t_pd_flush);
	vrrp_pd_drain(UINT_MAX);
}

/* The end of a protocol wake-up (or of the bell's read task on the main loop). */
static void vrrp_protodown_pass_end(void)
{
	if (!vrrp_pd_pass_wants)
		return;
	vrrp_pd_pass_wants = false;
	vrrp_pd_drain(VRRP_PD_PASS_MAX);
}

void vrrp_protodown_forget(ifindex_t ifindex)
{
	struct vrrp_pd *e = vrrp_pd_find(ifindex);

	if (e)
		vrrp_pd_free(e);
}

void vrrp_protodown_forget_all(void)
{
	struct vrrp_pd *e;

	frr_each (vrrp_pds, &vrrp_pds, e) {
		e->kernel = VRRP_PD_UNKNOWN;
		e->lifted_us = 0;
	}
}

uint64_t vrrp_protodown_lifted_at(ifindex_t ifindex)
{
	struct vrrp_pd *e = vrrp_pd_find(ifindex);

	return e && e->kernel == VRRP_PD_OFF ? e->lifted_us : 0;
}

const struct vrrp_protodown_stats *vrrp_protodown_stats(void)
{
	return &vrrp_pd_stats;
}

void vrrp_protodown_init(struct thread_master *master, vrrp_protodown_apply_fn apply,
			 vrrp_protodown_done_fn done)
{
	vrrp_pd_master = master;
	vrrp_pd_apply = apply ? apply : vrrp_macvlan_set_protodown;
	vrrp_pd_done = done;
	vrrp_pd_pass_wants = false;
	memset(&vrrp_pd_stats, 0, sizeof(vrrp_pd_stats));
	vrrp_pds_init(&vrrp_pds);
	vrrp_pdq_init(&vrrp_pdq);
	vrrp_loop_set_after_pass(vrrp_protodown_pass_end);
	vrrp_pd_rung = false;
	vrrp_pd_bellfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vrrp_pd_bellfd >= 0)
		vrrp_loop_watch(master, &vrrp_pd_bell, vrrp_pd_bellfd, vrrp_pd_bell_read, NULL);
	else
		flog_err(EC_VRRP_LOOP, "eventfd: %s; protodown is applied from the main loop",
			 safe_strerror(errno));
}

void vrrp_protodown_fini(void)
{
	struct vrrp_pd *e;

	vrrp_loop_set_after_pass(NULL);
	if (vrrp_pd_bellfd >= 0) {
		vrrp_loop_unwatch(&vrrp_pd_bell);
		close(vrrp_pd_bellfd);
		vrrp_pd_bellfd = -1;
	}
	/* The last wishes (a stopping Master's protodown) still reach the kernel. */
	vrrp_pd_done = NULL;
	vrrp_protodown_flush();
	while ((e = vrrp_pds_first(&vrrp_pds)))
		vrrp_pd_free(e);
	vrrp_pdq_fini(&vrrp_pdq);
	vrrp_pds_fini(&vrrp_pds);
	vrrp_pd_master = NULL;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Binding of instances to macvlans and receive sockets (see vrrp_bind.h).
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/jhash.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/prefix.h"
#include "lib/thread.h"
#include "lib/typesafe.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_af.h"
#include "vrrp_bind.h"
#include "vrrp_debug.h"
#include "vrrp_engine.h"
#include "vrrp_errors.h"
#include "vrrp_exec.h"
#include "vrrp_iflearn.h"
#include "vrrp_io.h"
#include "vrrp_macvlan.h"
#include "vrrp_timer.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_MVL_ENT, "VRRP macvlan index entry");

/* A failed macvlan creation is retried no more often than this, so the log stays readable. */
#define VRRP_CREATE_RETRY_US (5ULL * 1000 * 1000)

static unsigned int vrrp_create_budget = VRRP_CREATE_BUDGET;

void vrrp_bind_budget_set(unsigned int n)
{
	vrrp_create_budget = n;
}

bool vrrp_bind_kernel_has(const struct vrrp_af *af)
{
	char name[IFNAMSIZ + 8];

	vrrp_bind_mvl_name(af->fam, af->vr->ifp->ifindex, af->vr->vrid, name, sizeof(name));
	return vrrp_io->mvl_lookup(name) > 0;
}

/* Leftover macvlans of an earlier run are removed this long after start, once the configuration
 * (which `vtysh -b` may push some seconds after start) has had time to claim them. */
#define VRRP_GC_DELAY_S 10

/*
 * Which interface carries which virtual MAC on which parent. Rebuilt in one pass over the
 * interfaces when a link event has made it stale and a virtual router needs it: a burst of
 * events (every macvlan created, raised, addressed and protodown-toggled) costs one pass per
 * reconciliation, not one per virtual router per event.
 */
PREDECL_HASH(vrrp_mvls);
struct vrrp_mvl_ent {
	struct vrrp_mvls_item hitem;
	ifindex_t parent;
	struct ethaddr mac;
	struct interface *ifp;
	/* A second one with the same MAC (the next by name), or NULL. */
	struct interface *other;
};

static int vrrp_mvl_ent_cmp(const struct vrrp_mvl_ent *a, const struct vrrp_mvl_ent *b)
{
	if (a->parent != b->parent)
		return numcmp(a->parent, b->parent);
	return memcmp(a->mac.octet, b->mac.octet, ETH_ALEN);
}

static uint32_t vrrp_mvl_ent_hash(const struct vrrp_mvl_ent *e)
{
	return jhash(e->mac.octet, ETH_ALEN, e->parent);
}

DECLARE_HASH(vrrp_mvls, struct vrrp_mvl_ent, hitem, vrrp_mvl_ent_cmp, vrrp_mvl_ent_hash);

static struct vrrp_mvls_head vrrp_mvls;
static bool vrrp_mvls_stale = true;
static struct thread *vrrp_t_gc;

static void vrrp_mvls_clear(void)
{
	struct vrrp_mvl_ent *e;

	while ((e = vrrp_mvls_pop(&vrrp_mvls)))
		XFREE(MTYPE_VRRP_MVL_ENT, e);
}

static void vrrp_mvls_add_if(struct interface *ifp)
{
	struct vrrp_mvl_ent key = {}, *e;
	enum vrrp_afi afi;
	uint8_t vrid;

	if (!vrrp_if_vmac(ifp, &afi, &vrid) || ifp->ifindex == IFINDEX_INTERNAL ||
	    ifp->link_ifindex == IFINDEX_INTERNAL || ifp->link_ifindex == ifp->ifindex)
		return;
	key.parent = ifp->link_ifindex;
	memcpy(key.mac.octet, ifp->hw_addr, ETH_ALEN);
	e = vrrp_mvls_find(&vrrp_mvls, &key);
	if (e) {
		/* Several are a misconfiguration or a hand-over; sorting by name keeps the choice
		 * stable, so we do not flap. */
		if (strcmp(ifp->name, e->ifp->name) < 0) {
			e->other = e->ifp;
			e->ifp = ifp;
		} else if (!e->other || strcmp(ifp->name, e->other->name) < 0) {
			e->other = ifp;
		}
		return;
	}
	e = XCALLOC(MTYPE_VRRP_MVL_ENT, sizeof(*e));
	*e = key;
	e->ifp = ifp;
	vrrp_mvls_add(&vrrp_mvls, e);
}

static void vrrp_mvls_build(void)
{
	struct vrf *vrf;
	struct interface *ifp;

	vrrp_mvls_clear();
	RB_FOREACH (vrf, vrf_id_head, &vrfs_by_id)
		FOR_ALL_INTERFACES (vrf, ifp)
			vrrp_mvls_add_if(ifp);
	vrrp_mvls_stale = false;
}

void vrrp_bind_stale(void)
{
	vrrp_mvls_stale = true;
}

struct interface *vrrp_bind_find(const struct vrrp_af *af)
{
	struct vrrp_mvl_ent key = {.parent = af->vr->ifp->ifindex, .mac = af->vmac}, *e;

	if (vrrp_mvls_stale)
		vrrp_mvls_build();
	e = vrrp_mvls_find(&vrrp_mvls, &key);
	if (!e)
		return NULL;
	/* Someone else's wins over ours: an interface manager made it for this router, and ours
	 * is then handed over (vrrp_bind_handover()). */
	if (e->other && e->ifp->ifindex == af->own_ifindex)
		return e->other;
	return e->ifp;
}

/* Whether the macvlan carries our marker for this router decides whether it is ours. */
static void vrrp_bind_check_marker(struct vrrp_af *af, struct interface *mvl)
{
	char alias[VRRP_MACVLAN_ALIAS_MAX], parent[IFNAMSIZ];
	uint8_t vrid;
	bool v6;

	if (vrrp_io->get_alias(mvl->ifindex, alias, sizeof(alias)) == 0 &&
	    vrrp_macvlan_alias_parse(alias, parent, sizeof(parent), &vrid, &v6) &&
	    vrid == af->vr->vrid && v6 == af->fam->mvl_linklocal)
		af->own_ifindex = mvl->ifindex;
	else if (af->own_ifindex == mvl->ifindex)
		af->own_ifindex = IFINDEX_INTERNAL;
}

void vrrp_bind_adopt(struct vrrp_af *af, struct interface *mvl)
{
	/* Created by this run a moment ago, with our marker: nothing to read back. */
	bool just_made = af->create_time && af->own_ifindex == mvl->ifindex;

	af->create_time = 0;
	af->create_wanted_time = 0;
	/* Our marker in its ifalias survives restarts: decide once per macvlan. */
	if (af->seen_ifindex == mvl->ifindex)
		return;
	af->seen_ifindex = mvl->ifindex;
	af->fam->mvl_prepare(af, mvl);
	if (!just_made)
		vrrp_bind_check_marker(af, mvl);
	VRRP_DEBUG(zebra, "%s: using %s macvlan %s", vrrp_af_tag(af),
		   af->own_ifindex == mvl->ifindex ? "our" : "an existing", mvl->name);
}

bool vrrp_bind_ours(const struct vrrp_af *af, const struct interface *mvl)
{
	return af->own_ifindex == mvl->ifindex;
}

bool vrrp_bind_other_ours(const struct vrrp_af *af, const struct interface *mvl)
{
	return af->own_ifindex != IFINDEX_INTERNAL && af->own_ifindex != mvl->ifindex;
}

bool vrrp_bind_handing_over(const struct vrrp_af *af, const struct interface *mvl)
{
	return af->handover_to == mvl->ifindex;
}

void vrrp_bind_handover_done(struct vrrp_af *af)
{
	/* From now on its owner decides whether it is up, as for any macvlan not ours. */
	af->handover_to = IFINDEX_INTERNAL;
}

uint64_t vrrp_bind_create_wait(struct vrrp_af *af)
{
	uint64_t now = vrrp_now_us(), delay = vrrp_globals.macvlan_create_delay * 1000000ULL;

	/* Counted from the first need, so a router configured late still gives the tool that
	 * makes its macvlan the whole delay. */
	if (!af->create_wanted_time)
		af->create_wanted_time = now;
	if (now - af->create_wanted_time >= delay)
		return 0;
	return af->create_wanted_time + delay - now;
}

bool vrrp_bind_handover(struct vrrp_af *af, struct interface *mvl)
{
	int rc = 0;

	zlog_info(
		"%s: macvlan %s carries the virtual MAC too; removing ours (ifindex %d) and "
		"using it",
		vrrp_af_tag(af), mvl->name, af->own_ifindex);
	af->handed_over = af->own_ifindex;
	af->handover_to = mvl->ifindex;
	vrrp_io->mvl_delete(af->own_ifindex);
	af->own_ifindex = IFINDEX_INTERNAL;
	XFREE(MTYPE_VRRP_ADDRS, af->mvl_addrs);
	af->n_mvl_addrs = 0;
	/* It was down because ours held the MAC; its owner's `up` may have failed on that. */
	if (!if_is_up(mvl))
		rc = vrrp_io->mvl_set_up(mvl->ifindex);
	if (rc < 0)
		flog_warn(EC_VRRP_MACVLAN, "%s: cannot bring up macvlan %s: %s", vrrp_af_tag(af),
			  mvl->name, safe_strerror(-rc));
	return rc == 0;
}

void vrrp_bind_mvl_name(const struct vrrp_family *fam, ifindex_t parent, uint8_t vrid, char *buf,
			size_t len)
{
	snprintf(buf, len, "vrrp%c-%d-%u", fam->digit, parent, vrid);
}

const char *vrrp_bind_create(struct vrrp_af *af, char *buf, size_t len, bool *deferred)
{
	struct vrrp_vr *vr = af->vr;
	char name[IFNAMSIZ + 8], alias[VRRP_MACVLAN_ALIAS_MAX];
	uint64_t now = vrrp_now_us();
	struct interface *mvl;
	int rc, existing;

	vrrp_bind_mvl_name(af->fam, vr->ifp->ifindex, vr->vrid, name, sizeof(name));
	*deferred = false;
	if (af->create_time && now - af->create_time < VRRP_CREATE_RETRY_US) {
		snprintf(buf, len, "waiting for macvlan %s", name);
		return buf;
	}
	if (!vrrp_create_budget) {
		*deferred = true;
		snprintf(buf, len, "waiting for macvlan %s to be created", name);
		return buf;
	}
	vrrp_create_budget--;
	af->create_time = now;
	vrrp_macvlan_alias_make(alias, sizeof(alias), vr->ifp->name, vr->vrid,
				af->fam->mvl_linklocal);
	existing = vrrp_io->mvl_lookup(name);
	rc = vrrp_io->mvl_create(name, vr->ifp->ifindex, &af->vmac, af->fam->mvl_linklocal, alias);
	if (rc < 0) {
		snprintf(buf, len, "cannot create macvlan %s: %s", name, safe_strerror(-rc));
		return buf;
	}
	af->own_ifindex = rc;
	/* Made by this run, not reused from an earlier one: there is no Master to resume. */
	if (existing != rc)
		af->resume_checked = true;
	zlog_info("%s: created macvlan %s", vrrp_af_tag(af), name);
	/* Zebra reports a new link only after every earlier kernel event, seconds later on a
	 * busy host when hundreds are made at once: bind from our own read of it. */
	mvl = vrrp_iflearn_created(rc, vr->ifp);
	if (mvl) {
		/* Into the index as it is: rebuilding it for each of a thousand new macvlans
		 * would walk every interface a thousand times. */
		if (!vrrp_mvls_stale)
			vrrp_mvls_add_if(mvl);
		return NULL;
	}
	snprintf(buf, len, "waiting for macvlan %s", name);
	return buf;
}

/*
 * The prefix a virtual address gets: the parent's subnet that holds it, else a host route.
 * False while zebra has reported no address of the family on the parent (after a link flap it
 * reports them again after we ran): a host route then would be a guess left behind.
 */
static bool vrrp_vip_prefix(const struct vrrp_af *af, const struct ipaddr *vip, struct prefix *p)
{
	struct connected *c;
	struct listnode *node;
	bool known = false;

	memset(p, 0, sizeof(*p));
	af->fam->vip_prefix(vip, p);
	for (ALL_LIST_ELEMENTS_RO(af->vr->ifp->connected, node, c)) {
		if (c->address->family != p->family)
			continue;
		known = true;
		if (c->address->prefixlen < p->prefixlen && prefix_match(c->address, p)) {
			p->prefixlen = c->address->prefixlen;
			break;
		}
	}
	return known;
}

/* The macvlan's entry for the address of p, whatever its prefix length, or NULL. */
static struct connected *vrrp_mvl_addr(const struct vrrp_af *af, const struct interface *mvl,
				       const struct prefix *p)
{
	struct connected *c;
	struct listnode *node;

	for (ALL_LIST_ELEMENTS_RO(mvl->connected, node, c))
		if (c->address->family == p->family &&
		    !memcmp(&c->address->u.prefix, &p->u.prefix, af->fam->codec->addrlen))
			return c;
	return NULL;
}

static bool vrrp_prefix_in(const struct prefix *list, unsigned int n, const struct prefix *p)
{
	for (unsigned int i = 0; i < n; i++)
		if (prefix_same(&list[i], p))
			return true;
	return false;
}

/* Whether the kernel has every virtual address on the macvlan. */
static bool vrrp_bind_vips_present(const struct vrrp_af *af, const struct interface *mvl)
{
	struct ipaddr have[VRRP_MAX_ADDRS];
	int n = vrrp_io->addrs(mvl->ifindex, af->fam->codec->family, have, VRRP_MAX_ADDRS);
	int j;

	for (unsigned int i = 0; i < af->naddrs; i++) {
		for (j = 0; j < n; j++)
			if (!ipaddr_cmp(&have[j], &af->addrs[i]))
				break;
		if (j >= n)
			return false;
	}
	return true;
}

void vrrp_bind_resume_check(struct vrrp_af *af, struct interface *mvl)
{
	if (af->resume_checked || af->fsm.state != VRRP_STATE_INITIALIZE)
		return;
	/* Only our marker says the macvlan is this router's own from an earlier run. */
	af->resume = vrrp_bind_ours(af, mvl) && vrrp_io->mvl_live(mvl->ifindex) > 0;
	/* Sticky: a later check sees the addresses the sync put back. */
	if (af->resume && !vrrp_bind_vips_present(af, mvl))
		af->resume_announce = true;
}

/* Remember an address we put on a macvlan someone else made: it is ours to take away. */
static void vrrp_added_note(struct vrrp_af *af, const struct prefix *p)
{
	if (vrrp_prefix_in(af->mvl_added, af->n_mvl_added, p))
		return;
	af->mvl_added =
		XREALLOC(MTYPE_VRRP_ADDRS, af->mvl_added, (af->n_mvl_added + 1) * sizeof(*p));
	af->mvl_added[af->n_mvl_added++] = *p;
}

/* Take back from a foreign macvlan what we added there and is not in want (all if NULL). */
static void vrrp_added_drop(struct vrrp_af *af, const struct prefix *want, unsigned int n)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < af->n_mvl_added; i++) {
		if (want && vrrp_prefix_in(want, n, &af->mvl_added[i])) {
			af->mvl_added[k++] = af->mvl_added[i];
			continue;
		}
		vrrp_io->addr_del(af->mvl_addrs_ifindex, &af->mvl_added[i]);
	}
	af->n_mvl_added = k;
	if (!k)
		XFREE(MTYPE_VRRP_ADDRS, af->mvl_added);
}

/*
 * With the parent's prefix length, and not before it is known. On a macvlan we made, also
 * remove addresses that are no longer wanted; one made by someone else keeps whatever else it
 * carries, and we note what we added to it. What was added is remembered, because zebra reports
 * no addresses of an interface in protodown.
 */
void vrrp_bind_sync_addrs(struct vrrp_af *af, struct interface *mvl)
{
	bool own = vrrp_bind_ours(af, mvl);
	/* Zebra has not yet reported the addresses of one known from the kernel alone. */
	bool visible = if_is_operative(mvl) && !vrrp_iflearn_pending(mvl);
	struct prefix *want = NULL;

	if (af->mvl_addrs_ifindex != mvl->ifindex) {
		vrrp_added_drop(af, NULL, 0);
		af->n_mvl_addrs = 0;
		af->mvl_addrs_ifindex = mvl->ifindex;
	}
	if (af->naddrs)
		want = XCALLOC(MTYPE_VRRP_ADDRS, af->naddrs * sizeof(*want));
	for (unsigned int i = 0; i < af->naddrs; i++)
		if (!vrrp_vip_prefix(af, &af->addrs[i], &want[i])) {
			/* The parent's address event marks the router again. */
			VRRP_DEBUG(zebra, "%s: no address on %s yet; virtual addresses wait",
				   vrrp_af_tag(af), af->vr->ifp->name);
			XFREE(MTYPE_VRRP_ADDRS, want);
			return;
		}

	for (unsigned int i = 0; own && i < af->n_mvl_addrs; i++)
		if (!vrrp_prefix_in(want, af->naddrs, &af->mvl_addrs[i]))
			vrrp_io->addr_del(mvl->ifindex, &af->mvl_addrs[i]);
	if (!own)
		vrrp_added_drop(af, want, af->naddrs);
	for (unsigned int i = 0; i < af->naddrs; i++)
		/* A visible macvlan missing an address lost it to someone else: put it back. */
		if ((!vrrp_prefix_in(af->mvl_addrs, af->n_mvl_addrs, &want[i]) ||
		     (visible && !vrrp_mvl_addr(af, mvl, &want[i]))) &&
		    vrrp_io->addr_add(mvl->ifindex, &want[i]) == 0 && !own)
			vrrp_added_note(af, &want[i]);

	XFREE(MTYPE_VRRP_ADDRS, af->mvl_addrs);
	af->mvl_addrs = want;
	af->n_mvl_addrs = af->naddrs;
}

void vrrp_bind_release(struct vrrp_af *af)
{
	/* What we added to someone else's macvlan leaves with us; a graceful restart keeps it
	 * under the Master that resumes. */
	if (!vrrp_engine_detaching())
		vrrp_added_drop(af, NULL, 0);
	if (af->own_ifindex == IFINDEX_INTERNAL)
		return;
	/* A graceful restart keeps the macvlan for the next run to resume. */
	if (vrrp_engine_detaching()) {
		zlog_info("%s: keeping macvlan (ifindex %d) for the next start", vrrp_af_tag(af),
			  af->own_ifindex);
	} else {
		zlog_info("%s: removing macvlan (ifindex %d) made for it", vrrp_af_tag(af),
			  af->own_ifindex);
		vrrp_io->mvl_delete(af->own_ifindex);
	}
	XFREE(MTYPE_VRRP_ADDRS, af->mvl_addrs);
	af->n_mvl_addrs = 0;
	af->own_ifindex = IFINDEX_INTERNAL;
	af->seen_ifindex = IFINDEX_INTERNAL;
	af->mvl_ifp = NULL;
}

bool vrrp_bind_wanted(const struct vrrp_af *af)
{
	return vrrp_af_enabled(af) && af->naddrs;
}

void vrrp_bind_rx_release(struct vrrp_af *af)
{
	if (af->rx_ifindex == IFINDEX_INTERNAL)
		return;
	vrrp_exec_quiet(af, false);
	vrrp_io->rx_unref(af->vr->ifp, af->fam->codec->family);
	af->rx_ifindex = IFINDEX_INTERNAL;
}

bool vrrp_bind_rx_hold(struct vrrp_af *af)
{
	struct interface *parent = af->vr->ifp;

	if (af->rx_ifindex == parent->ifindex)
		return true;
	vrrp_bind_rx_release(af);
	if (vrrp_io->rx_ref(parent, af->fam->codec->family) < 0)
		return false;
	af->rx_ifindex = parent->ifindex;
	return true;
}

bool vrrp_bind_forget(struct vrrp_af *af, const struct interface *ifp)
{
	bool handed_over = af->handed_over == ifp->ifindex;

	if (handed_over)
		af->handed_over = IFINDEX_INTERNAL;
	if (af->handover_to == ifp->ifindex)
		af->handover_to = IFINDEX_INTERNAL;
	/* The macvlan is gone, so there is nothing to protodown or remove. */
	if (af->mvl_ifp == ifp)
		af->mvl_ifp = NULL;
	if (af->own_ifindex == ifp->ifindex || af->vr->ifp == ifp)
		af->own_ifindex = IFINDEX_INTERNAL;
	if (af->seen_ifindex == ifp->ifindex)
		af->seen_ifindex = IFINDEX_INTERNAL;
	if (af->mvl_addrs_ifindex == ifp->ifindex) {
		XFREE(MTYPE_VRRP_ADDRS, af->mvl_added);
		af->n_mvl_added = 0;
	}
	return handed_over;
}

static void vrrp_gc_one(ifindex_t ifindex, const char *name, ifindex_t parent, const char *alias,
			void *arg)
{
	struct interface *pifp = if_lookup_by_index(parent, VRF_DEFAULT);
	char pname[IFNAMSIZ];
	uint8_t vrid;
	bool v6;
	struct vrrp_vr *vr;

	if (!vrrp_macvlan_alias_parse(alias, pname, sizeof(pname), &vrid, &v6))
		return;
	vr = pifp ? vrrp_vr_lookup(pifp, vrid) : NULL;
	for (int i = 0; vr && i < VRRP_AFI_MAX; i++)
		if (vr->af[i].fam->mvl_linklocal == v6 && vrrp_bind_wanted(&vr->af[i]))
			return;
	zlog_info("removing macvlan %s left by an earlier run (%s)", name, alias);
	vrrp_io->mvl_delete(ifindex);
}

static void vrrp_gc_timer(struct thread *t)
{
	vrrp_io->walk_owned(VRRP_MACVLAN_ALIAS_PREFIX, vrrp_gc_one, NULL);
}

static void vrrp_gc_count(ifindex_t ifindex, const char *name, ifindex_t parent, const char *alias,
			  void *arg)
{
	char pname[IFNAMSIZ];
	uint8_t vrid;
	bool v6;

	if (vrrp_macvlan_alias_parse(alias, pname, sizeof(pname), &vrid, &v6))
		(*(unsigned int *)arg)++;
}

/*
 * At start, before this run has made any macvlan: whether an earlier run left some. Only then
 * is there anything to remove, so a clean start does not read every link again seconds later.
 */
static void vrrp_gc_check(struct thread *t)
{
	unsigned int left = 0;

	vrrp_io->walk_owned(VRRP_MACVLAN_ALIAS_PREFIX, vrrp_gc_count, &left);
	if (left)
		thread_add_timer(t->master, vrrp_gc_timer, NULL, VRRP_GC_DELAY_S, &vrrp_t_gc);
}

void vrrp_bind_gc_start(struct thread_master *master)
{
	THREAD_OFF(vrrp_t_gc);
	thread_add_event(master, vrrp_gc_check, NULL, 0, &vrrp_t_gc);
}

void vrrp_bind_init(struct thread_master *master)
{
	vrrp_mvls_init(&vrrp_mvls);
	vrrp_bind_gc_start(master);
}

void vrrp_bind_fini(void)
{
	THREAD_OFF(vrrp_t_gc);
	vrrp_mvls_clear();
	vrrp_mvls_fini(&vrrp_mvls);
}

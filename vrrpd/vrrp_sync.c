// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sync groups (see vrrp_sync.h): the groups by name, their members, and the rule that holds a
 * member. The state machine does the holding (vrrp_fsm_config.hold_master); reconcile asks
 * this file for the flag, and the executor reports the changes that may move it.
 */
#include <zebra.h>

#include "lib/jhash.h"
#include "lib/memory.h"
#include "lib/typesafe.h"

#include "vrrp.h"
#include "vrrp_bind.h"
#include "vrrp_engine.h"
#include "vrrp_sync.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_SYNC_GROUP, "VRRP sync group");

#define VRRP_SYNC_NAME_MAX 64

PREDECL_HASH(vrrp_syncs);
PREDECL_DLIST(vrrp_sync_members);

struct vrrp_sync_group {
	struct vrrp_syncs_item hitem;
	char name[VRRP_SYNC_NAME_MAX];
	struct vrrp_sync_members_head members;
};

/* Kept outside struct vrrp_vr, which only points at its group. */
struct vrrp_sync_member {
	struct vrrp_sync_members_item item;
	struct vrrp_vr *vr;
};

DEFINE_MTYPE_STATIC(VRRPD, VRRP_SYNC_MEMBER, "VRRP sync group member");
DECLARE_DLIST(vrrp_sync_members, struct vrrp_sync_member, item);

static int vrrp_sync_cmp(const struct vrrp_sync_group *a, const struct vrrp_sync_group *b)
{
	return strcmp(a->name, b->name);
}

static uint32_t vrrp_sync_hash(const struct vrrp_sync_group *g)
{
	return jhash(g->name, strlen(g->name), 0x5c5c);
}

DECLARE_HASH(vrrp_syncs, struct vrrp_sync_group, hitem, vrrp_sync_cmp, vrrp_sync_hash);
static struct vrrp_syncs_head vrrp_syncs;

static struct vrrp_sync_member *vrrp_sync_member_of(const struct vrrp_vr *vr)
{
	struct vrrp_sync_member *m;

	if (!vr->sync)
		return NULL;
	frr_each (vrrp_sync_members, &vr->sync->members, m)
		if (m->vr == vr)
			return m;
	return NULL;
}

static void vrrp_sync_leave(struct vrrp_vr *vr)
{
	struct vrrp_sync_group *g = vr->sync;
	struct vrrp_sync_member *m = vrrp_sync_member_of(vr), *o;

	if (!g)
		return;
	if (m) {
		vrrp_sync_members_del(&g->members, m);
		XFREE(MTYPE_VRRP_SYNC_MEMBER, m);
	}
	vr->sync = NULL;
	/* The others may be free to go now. */
	frr_each (vrrp_sync_members, &g->members, o)
		vrrp_vr_mark(o->vr);
	if (vrrp_sync_members_count(&g->members))
		return;
	vrrp_syncs_del(&vrrp_syncs, g);
	vrrp_sync_members_fini(&g->members);
	XFREE(MTYPE_VRRP_SYNC_GROUP, g);
}

void vrrp_sync_set(struct vrrp_vr *vr, const char *name)
{
	struct vrrp_sync_group key = {}, *g;
	struct vrrp_sync_member *m;

	if (name && !*name)
		name = NULL;
	if (vr->sync && name && !strcmp(vr->sync->name, name))
		return;
	vrrp_sync_leave(vr);
	if (!name)
		return;
	strlcpy(key.name, name, sizeof(key.name));
	g = vrrp_syncs_find(&vrrp_syncs, &key);
	if (!g) {
		g = XCALLOC(MTYPE_VRRP_SYNC_GROUP, sizeof(*g));
		strlcpy(g->name, name, sizeof(g->name));
		vrrp_sync_members_init(&g->members);
		vrrp_syncs_add(&vrrp_syncs, g);
	}
	m = XCALLOC(MTYPE_VRRP_SYNC_MEMBER, sizeof(*m));
	m->vr = vr;
	vrrp_sync_members_add_tail(&g->members, m);
	vr->sync = g;
	frr_each (vrrp_sync_members, &g->members, m)
		vrrp_vr_mark(m->vr);
}

const char *vrrp_sync_name(const struct vrrp_vr *vr)
{
	return vr->sync ? vr->sync->name : NULL;
}

unsigned int vrrp_sync_size(const struct vrrp_vr *vr)
{
	return vr->sync ? vrrp_sync_members_count(&vr->sync->members) : 0;
}

/* A family that is to run may be Master: it is, or its Master_Down_Timer ran out. */
static bool vrrp_sync_af_ready(const struct vrrp_af *af)
{
	if (!vrrp_bind_wanted(af))
		return true;
	return af->fsm.state == VRRP_STATE_MASTER ||
	       (af->fsm.state == VRRP_STATE_BACKUP && af->fsm.want_master);
}

/*
 * A member with a failed tracked object, whatever its decrement: a lowered priority alone
 * moves no group (the peers' members are held by their partners), so it counts as a fault,
 * as keepalived zeroes tracking weights in sync groups.
 */
static const struct vrrp_prio_input *vrrp_sync_failed_input(const struct vrrp_vr *vr)
{
	const struct vrrp_prio_input *in;

	frr_each (vrrp_prio_inputs_const, &vr->inputs, in)
		if (in->failed)
			return in;
	return NULL;
}

bool vrrp_sync_holds(const struct vrrp_af *af, char *why, size_t len)
{
	const struct vrrp_sync_member *m;
	const struct vrrp_prio_input *in;

	if (!af->vr->sync)
		return false;
	frr_each (vrrp_sync_members_const, &af->vr->sync->members, m) {
		in = vrrp_sync_failed_input(m->vr);
		if (in) {
			if (why)
				snprintf(why, len, "%s VRID %u: tracked %s is down",
					 m->vr->ifp->name, m->vr->vrid, in->name);
			return true;
		}
	}
	frr_each (vrrp_sync_members_const, &af->vr->sync->members, m)
		for (int i = 0; i < VRRP_AFI_MAX; i++) {
			const struct vrrp_af *o = &m->vr->af[i];

			if (o == af || vrrp_sync_af_ready(o))
				continue;
			if (why)
				snprintf(why, len, "%s VRID %u (%s) is %s", m->vr->ifp->name,
					 m->vr->vrid, o->fam->key, vrrp_state_str(o->fsm.state));
			return true;
		}
	return false;
}

void vrrp_sync_changed(const struct vrrp_af *af)
{
	struct vrrp_sync_member *m;

	if (!af->vr->sync)
		return;
	/* The router itself too: its other family is held by this one. */
	frr_each (vrrp_sync_members, &af->vr->sync->members, m)
		vrrp_vr_mark(m->vr);
}

void vrrp_sync_init(void)
{
	vrrp_syncs_init(&vrrp_syncs);
}

void vrrp_sync_fini(void)
{
	struct vrrp_sync_group *g;
	struct vrrp_sync_member *m;

	while ((g = vrrp_syncs_pop(&vrrp_syncs))) {
		while ((m = vrrp_sync_members_pop(&g->members))) {
			m->vr->sync = NULL;
			XFREE(MTYPE_VRRP_SYNC_MEMBER, m);
		}
		vrrp_sync_members_fini(&g->members);
		XFREE(MTYPE_VRRP_SYNC_GROUP, g);
	}
	vrrp_syncs_fini(&vrrp_syncs);
}

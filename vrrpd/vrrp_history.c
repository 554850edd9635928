// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Event history (see vrrp_history.h). The ring is allocated on an instance's first transition,
 * so a router that never changes state costs a pointer.
 */
#include <zebra.h>

#include "lib/memory.h"

#include "vrrp_history.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_HISTORY, "VRRP state-change history");

struct vrrp_history {
	unsigned int next;  /* slot of the next event */
	unsigned int count; /* events kept, at most VRRP_HISTORY_LEN */
	struct vrrp_state_event ev[VRRP_HISTORY_LEN];
};

void vrrp_history_add(struct vrrp_af *af, const struct vrrp_state_event *e)
{
	struct vrrp_history *h = af->history;

	if (!h)
		h = af->history = XCALLOC(MTYPE_VRRP_HISTORY, sizeof(*h));
	h->ev[h->next] = *e;
	h->next = (h->next + 1) % VRRP_HISTORY_LEN;
	if (h->count < VRRP_HISTORY_LEN)
		h->count++;
}

unsigned int vrrp_history_count(const struct vrrp_af *af)
{
	const struct vrrp_history *h = af->history;

	return h ? h->count : 0;
}

const struct vrrp_state_event *vrrp_history_get(const struct vrrp_af *af, unsigned int i)
{
	const struct vrrp_history *h = af->history;

	if (!h || i >= h->count)
		return NULL;
	return &h->ev[(h->next + VRRP_HISTORY_LEN - h->count + i) % VRRP_HISTORY_LEN];
}

void vrrp_history_free(struct vrrp_af *af)
{
	XFREE(MTYPE_VRRP_HISTORY, af->history);
}

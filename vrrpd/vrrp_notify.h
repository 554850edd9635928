// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notify scripts and the notify FIFO, the daemon's side. The settings the northbound applies
 * (a global script and FIFO, a router's own script); the state-change hook that turns each
 * transition into one message to the notifier process (vrrp_notifier.h), written without ever
 * waiting: when the socket is full the notification is dropped and counted; the notifier's
 * reports, logged; and the counters `show vrrp` prints. Nothing here forks or execs.
 */
#ifndef VRRP_NOTIFY_H
#define VRRP_NOTIFY_H

#include "vrrp_notify_msg.h"

struct json_object;
struct thread_master;
struct ttable;
struct vrrp_vr;

/* A script setting: path ("" for none), timeout (0: the default), user ("": the daemon's). */
struct vrrp_notify_script {
	char path[VRRP_NOTIFY_PATH_MAX];
	uint16_t timeout;
	char user[VRRP_NOTIFY_USER_MAX];
};

/*
 * vrrp_main.c, before frr_init() drops privileges: fork the notifier, which runs scripts of
 * no user as default_user (FRR's user) and gives it the FIFO it creates.
 */
void vrrp_notify_fork(const char *default_user);
/* After frr_init(): read the notifier's reports; follow state changes. */
void vrrp_notify_init(struct thread_master *master);
void vrrp_notify_fini(void);
/* SIGTERM: the transitions from here on are the daemon stopping (STOP). */
void vrrp_notify_stopping(void);

/* vrrp.c: vr is being deleted (its last notifications say STOP); then it is freed. */
void vrrp_notify_vr_removing(struct vrrp_vr *vr);
void vrrp_notify_vr_free(struct vrrp_vr *vr);

/* The northbound's apply: NULL or an empty path clears. */
void vrrp_notify_set_global(const struct vrrp_notify_script *s);
void vrrp_notify_set_fifo(const char *path);
void vrrp_notify_set_vr(struct vrrp_vr *vr, const struct vrrp_notify_script *s);

/* `clear vrrp counters`: the notification counters (not the sequence number) go to zero. */
void vrrp_notify_clear_counters(struct vrrp_vr *vr);

/* `show vrrp`: rows after the others, and JSON keys. */
void vrrp_notify_show(struct ttable *tt, const struct vrrp_vr *vr);
void vrrp_notify_json(struct json_object *j, const struct vrrp_vr *vr);
/* One of vr's counters by its vrrpd-ext YANG leaf name (notify/counters); false if none. */
bool vrrp_notify_counter(const struct vrrp_vr *vr, const char *name, uint32_t *val);

#endif /* VRRP_NOTIFY_H */

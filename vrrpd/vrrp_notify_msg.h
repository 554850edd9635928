// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What vrrpd and its notifier process say to each other, and what a notify script or FIFO
 * reader gets: the message codec (length-prefixed records on a SOCK_SEQPACKET socketpair), the
 * keepalived state words and their mapping from this daemon's states, the instance name, the
 * FIFO line, the script's argument vector and its VRRP_* environment. Pure: no I/O, no clock.
 */
#ifndef VRRP_NOTIFY_MSG_H
#define VRRP_NOTIFY_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrp_fsm.h"

struct vrrp_state_event;

/* Limits; the YANG module refuses longer paths and user names. */
#define VRRP_NOTIFY_PATH_MAX 1024 /* with the NUL */
#define VRRP_NOTIFY_USER_MAX 64
#define VRRP_NOTIFY_NAME_MAX 32 /* "<interface>-<vrid>-v4" */
#define VRRP_NOTIFY_TEXT_MAX 512
#define VRRP_NOTIFY_ENV_MAX 2048 /* NUL-separated VRRP_NAME=value strings */
#define VRRP_NOTIFY_ENV_COUNT 24
/* The largest encoded message: every field at its limit, with headers. */
#define VRRP_NOTIFY_MSG_MAX 8192
/* A script runs this long unless its configuration says otherwise. */
#define VRRP_NOTIFY_TIMEOUT_DEFAULT 10

/* keepalived's words for the state a notification reports. */
enum vrrp_notify_state {
	VRRP_NOTIFY_MASTER = 0,
	VRRP_NOTIFY_BACKUP,
	VRRP_NOTIFY_FAULT,
	VRRP_NOTIFY_STOP,
	VRRP_NOTIFY_STATE_MAX,
};

/* "MASTER", "BACKUP", "FAULT", "STOP"; "{UNKNOWN}" for anything else, as keepalived does. */
const char *vrrp_notify_state_str(enum vrrp_notify_state s);

/*
 * Why an instance went to Initialize, as far as the notification cares: on purpose (STOP) or
 * because something it needs failed (FAULT).
 */
struct vrrp_notify_why {
	bool daemon_stopping; /* SIGTERM: the daemon stops every instance */
	bool removed;	      /* the router is being deleted (configuration, autoconfiguration) */
	bool shutdown;	      /* `vrrp N shutdown` or `vrrp default shutdown` */
	bool no_addresses;    /* this family has no virtual address any more */
	bool family_disabled; /* VRRPv2 has no IPv6 */
	bool version_change;  /* restarted around a version change */
};

/*
 * The word for a transition to new_state: Master and Backup map to MASTER and BACKUP;
 * Initialize to STOP when any reason in why is an administrative one, to FAULT otherwise
 * (interface missing or down, tracked object down, macvlan or source address not ready).
 */
enum vrrp_notify_state vrrp_notify_state_map(enum vrrp_state new_state,
					     const struct vrrp_notify_why *why);

/* "eth1-5-v4" / "eth1-5-v6": the instance's name in arguments, FIFO lines and VRRP_NAME. */
void vrrp_notify_name(const char *ifname, uint8_t vrid, bool v6, char *buf, size_t len);

/* keepalived's FIFO line: `INSTANCE "eth1-5-v4" MASTER 210\n`. The length, or 0 if too long. */
size_t vrrp_notify_fifo_line(const char *name, const char *state, unsigned int prio, char *buf,
			     size_t len);

/*
 * keepalived's generic notify arguments after the script: argv = {script, "INSTANCE", name,
 * state, prio, NULL}. The name is one plain argument, without the FIFO line's quotes. argv
 * must have room for 6 pointers; prio_buf (4 bytes at least) holds the priority's digits.
 */
void vrrp_notify_argv(const char *script, const char *name, const char *state, unsigned int prio,
		      char *prio_buf, size_t prio_len, const char *argv[6]);

/*
 * The event as environment strings ("VRRP_INTERFACE=eth1", ...), NUL-separated into buf: see
 * doc/notify.rst for the names. seq is the router's notification number. Returns the bytes
 * used, or 0 if buf is too small.
 */
size_t vrrp_notify_env(const struct vrrp_state_event *e, const char *name, const char *state,
		       uint32_t seq, char *buf, size_t len);
/* Whether one string is a VRRP_* assignment the notifier passes on (VRRP_[A-Z0-9_]+=...). */
bool vrrp_notify_env_ok(const char *s);

/* Message types. */
enum vrrp_nmsg_type {
	VRRP_NMSG_EVENT = 1,	   /* daemon -> notifier: one state change to report */
	VRRP_NMSG_FIFO = 2,	   /* daemon -> notifier: the FIFO path changed (create it now) */
	VRRP_NMSG_RESULT = 3,	   /* notifier -> daemon: a script ended, or could not start */
	VRRP_NMSG_DROPPED = 4,	   /* notifier -> daemon: an event or FIFO line was dropped */
	VRRP_NMSG_FIFO_STATUS = 5, /* notifier -> daemon: the FIFO cannot be used */
};

/* How a script ended (VRRP_NMSG_RESULT). */
enum vrrp_nmsg_outcome {
	VRRP_NOUT_EXITED = 0, /* code: exit status */
	VRRP_NOUT_SIGNALED,   /* code: signal */
	VRRP_NOUT_TIMEOUT,    /* killed after its timeout; code: the signal that ended it */
	VRRP_NOUT_REFUSED,    /* not started; text says why */
};

/* What was dropped (VRRP_NMSG_DROPPED). */
enum vrrp_nmsg_what {
	VRRP_NDROP_EVENT = 0, /* the notifier's queue was full: no script for this event */
	VRRP_NDROP_FIFO,      /* the FIFO line was not written */
};

/*
 * One message, decoded. Unused fields are 0 or "". Strings are NUL-terminated here and
 * carried without the NUL on the wire.
 */
struct vrrp_nmsg {
	uint8_t type;
	uint32_t seq; /* the router's notification number */
	uint32_t vrid;
	uint32_t priority;
	uint32_t timeout;  /* seconds */
	uint32_t outcome;  /* enum vrrp_nmsg_outcome, or enum vrrp_nmsg_what for DROPPED */
	uint32_t code;	   /* exit status, signal or errno */
	uint32_t duration; /* ms the script ran */
	uint32_t lost;	   /* reports the notifier could not send before this one */
	char ifname[VRRP_NOTIFY_NAME_MAX];
	char name[VRRP_NOTIFY_NAME_MAX];
	char state[16];
	char script[VRRP_NOTIFY_PATH_MAX];
	char user[VRRP_NOTIFY_USER_MAX];
	char fifo[VRRP_NOTIFY_PATH_MAX];
	char text[VRRP_NOTIFY_TEXT_MAX];
	char env[VRRP_NOTIFY_ENV_MAX];
	size_t env_len;
};

/*
 * Encode m into buf: an 8-byte header (magic 'V' 'N', version, type, total length as a 32-bit
 * big-endian number), then one record per field that is set: tag (1 byte), 0, value length
 * (16-bit big-endian), value (numbers as 32-bit big-endian). Returns the length, 0 if buf is
 * too small.
 */
size_t vrrp_nmsg_encode(const struct vrrp_nmsg *m, uint8_t *buf, size_t len);
/*
 * Decode one message of exactly len bytes into m. Unknown tags are skipped; a bad header,
 * length, oversized or NUL-holding string, or a bad environment entry fails. Returns 0 or -1.
 */
int vrrp_nmsg_decode(const uint8_t *buf, size_t len, struct vrrp_nmsg *m);

/* The first `lines` lines of text, at most len - 1 bytes, in buf (stderr for the log). */
void vrrp_notify_first_lines(const char *text, size_t tlen, unsigned int lines, char *buf,
			     size_t len);

#endif /* VRRP_NOTIFY_MSG_H */

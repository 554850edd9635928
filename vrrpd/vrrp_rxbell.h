// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The doorbell of a receive socket (see vrrp_rxbell.c): a second raw socket on the same parent
 * whose classic BPF filter lets through only what cannot wait.
 */
#ifndef VRRP_RXBELL_H
#define VRRP_RXBELL_H

#include <linux/filter.h>

#include "vrrp_sock.h"

/* About one quiet advertisement in this many rings the bell anyway (a power of two). */
#define VRRP_BELL_SAMPLE 128
/* The sample filters are built with; 0 builds them without one (tests that count rings). */
extern unsigned int vrrp_bell_sample;
/* How long the filter may lag what the executor asked for, when that only makes it quieter. */
#define VRRP_BELL_SETTLE_US 100000
/* Bytes of a datagram the bell keeps: it is read only for its arrival time. */
#define VRRP_BELL_SNAP 16
/* The longest program: a prologue, eight instructions per VRID and the final return. */
#define VRRP_BELL_PROG_MAX (9 + 255 * 8 + 1)

/*
 * Per VRID, what a quiet advertisement carries: its first octet (version and type), 0 for a
 * VRID that is not quiet, and its interval field as on the wire (v3: 12 bits of cs, v2: one
 * octet of seconds).
 */
struct vrrp_bell_table {
	uint8_t vertype[256];
	uint16_t field[256];
	unsigned int nquiet;
};

struct vrrp_bell {
	int fd;
	int family;
	/* What the executor asked for, and what the attached filter does. */
	struct vrrp_bell_table want, att;
	bool dirty;
};

/*
 * Take fd, a receive socket set up like the one it rings for, as b's socket, with a filter
 * that passes everything. 0, or -errno with fd left open for the caller to close.
 */
int vrrp_bell_init(struct vrrp_bell *b, int fd, int family);
/*
 * Make vrid quiet as q says, or not quiet (q NULL), in what b wants. True when the attached
 * filter keeps quiet what must now ring: the caller opens the bell (vrrp_bell_open()) before
 * anything else arrives. A filter takes the kernel some 300 us per thousand instructions to
 * compile, so the rest waits for vrrp_bell_commit() (b->dirty says it is due).
 */
bool vrrp_bell_note(struct vrrp_bell *b, uint8_t vrid, const struct vrrp_rx_quiet *q);
/* Attach the filter that passes everything (one instruction, cheap). 0 or -errno. */
int vrrp_bell_open(struct vrrp_bell *b);
/*
 * Attach the filter of what b wants, which passes nothing when nothing is quiet (the receive
 * socket is then watched itself); if the kernel refuses it, open the bell: -errno.
 */
int vrrp_bell_commit(struct vrrp_bell *b);
/* Read the bell empty; the latest arrival it held (realtime clock, us), or 0. */
uint64_t vrrp_bell_read(struct vrrp_bell *b);
void vrrp_bell_close(struct vrrp_bell *b);

/* t's program into out, which has room for VRRP_BELL_PROG_MAX instructions; its length. */
size_t vrrp_bell_prog(const struct vrrp_bell_table *t, int family, struct sock_filter *out);

#endif /* VRRP_RXBELL_H */

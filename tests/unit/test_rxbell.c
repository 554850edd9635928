// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the doorbell's filter program (vrrp_rxbell.c), run here by a small classic BPF
 * interpreter with the kernel's rules (an out-of-range load returns 0, jumps only forward), so
 * every verdict and every jump of the generated code is checked without a socket. The sockets
 * themselves are tested in tests/adapters/test_sock.py.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/filter.h>

#include "vrrp_rxbell.h"

#define PASS VRRP_BELL_SNAP

static struct sock_filter prog[VRRP_BELL_PROG_MAX];

/* Runs prog over pkt; random is what SKF_AD_RANDOM loads. */
static uint32_t bpf_run(size_t len, const uint8_t *pkt, size_t plen, uint32_t random)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {};

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t k = f->k, off;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			assert_int_equal(k, (uint32_t)(SKF_AD_OFF + SKF_AD_RANDOM));
			a = random;
			break;
		case BPF_LD | BPF_B | BPF_IND:
		case BPF_LD | BPF_H | BPF_IND:
			off = x + k;
			if (off + (BPF_SIZE(f->code) == BPF_H ? 2 : 1) > plen)
				return 0;
			a = BPF_SIZE(f->code) == BPF_H ? (uint32_t)(pkt[off] << 8 | pkt[off + 1])
						       : pkt[off];
			break;
		case BPF_LDX | BPF_B | BPF_MSH:
			if (k >= plen)
				return 0;
			x = 4 * (pkt[k] & 0xf);
			break;
		case BPF_LDX | BPF_W | BPF_IMM:
			x = k;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == k ? f->jt : f->jf;
			assert_true(pc < len);
			break;
		case BPF_RET | BPF_K:
			return k;
		default:
			fail_msg("opcode 0x%x at %zu", f->code, pc);
		}
	}
	(void)mem;
	fail_msg("fell off the end");
	return 0;
}

/* An advertisement as the filter sees it: with ihl words of IPv4 header in front, or none. */
static size_t adv(uint8_t *buf, int ihl, uint8_t vertype, uint8_t vrid, uint8_t prio,
		  uint16_t field)
{
	size_t off = ihl * 4;

	memset(buf, 0, 64);
	if (ihl)
		buf[0] = 0x40 | ihl;
	buf[off] = vertype;
	buf[off + 1] = vrid;
	buf[off + 2] = prio;
	buf[off + 3] = 1;
	if ((vertype >> 4) == 3) {
		buf[off + 4] = 0xf0 | (field >> 8); /* reserved bits set: ignored */
		buf[off + 5] = field & 0xff;
	} else {
		buf[off + 4] = 0;
		buf[off + 5] = field;
	}
	return off + 16;
}

/* A bell without a socket: its tables and its program. */
struct tbell {
	struct vrrp_bell_table t;
	int family;
};

static uint32_t verdict(struct tbell *b, int ihl, uint8_t vertype, uint8_t vrid, uint8_t prio,
			uint16_t field, uint32_t random)
{
	uint8_t pkt[64];
	size_t plen = adv(pkt, ihl, vertype, vrid, prio, field);

	return bpf_run(vrrp_bell_prog(&b->t, b->family, prog), pkt, plen, random);
}

static void bell(struct tbell *b, int family)
{
	memset(b, 0, sizeof(*b));
	b->family = family;
}

static void test_empty_is_mute(void **state)
{
	struct tbell b;

	/* Nothing quiet: the receive socket is watched itself. */
	bell(&b, AF_INET);
	assert_int_equal(vrrp_bell_prog(&b.t, b.family, prog), 1);
	assert_int_equal(verdict(&b, 5, 0x31, 5, 100, 100, 0), 0);
	assert_int_equal(verdict(&b, 5, 0x31, 5, 0, 100, 1), 0);
}

static void run_family(int family, int ihl)
{
	struct tbell b;

	bell(&b, family);
	b.t.vertype[5] = 0x31;
	b.t.field[5] = 100;
	b.t.vertype[9] = 0x21;
	b.t.field[9] = 1;
	b.t.nquiet = 2;
	/* Quiet: waits. */
	assert_int_equal(verdict(&b, ihl, 0x31, 5, 100, 100, 1), 0);
	assert_int_equal(verdict(&b, ihl, 0x21, 9, 100, 1, 1), 0);
	/* The random sample rings whatever it is. */
	assert_int_equal(verdict(&b, ihl, 0x31, 5, 100, 100, 0), PASS);
	assert_int_equal(verdict(&b, ihl, 0x31, 5, 100, 100, VRRP_BELL_SAMPLE), PASS);
	/* A release, another VRID, version or interval rings. */
	assert_int_equal(verdict(&b, ihl, 0x31, 5, 0, 100, 1), PASS);
	assert_int_equal(verdict(&b, ihl, 0x31, 6, 100, 100, 1), PASS);
	assert_int_equal(verdict(&b, ihl, 0x21, 5, 100, 1, 1), PASS);
	assert_int_equal(verdict(&b, ihl, 0x31, 5, 100, 50, 1), PASS);
	assert_int_equal(verdict(&b, ihl, 0x21, 9, 100, 2, 1), PASS);
	assert_int_equal(verdict(&b, ihl, 0x32, 5, 100, 100, 1), PASS);
}

static void test_ipv4_and_ipv6_offsets(void **state)
{
	run_family(AF_INET, 5);
	/* IP options move the VRRP header; the filter follows the header length. */
	run_family(AF_INET, 6);
	run_family(AF_INET6, 0);
}

static void test_without_sample(void **state)
{
	struct tbell b;

	vrrp_bell_sample = 0;
	bell(&b, AF_INET);
	b.t.vertype[5] = 0x31;
	b.t.field[5] = 100;
	b.t.nquiet = 1;
	assert_int_equal(verdict(&b, 5, 0x31, 5, 100, 100, 0), 0);
	assert_int_equal(verdict(&b, 5, 0x31, 5, 0, 100, 0), PASS);
	vrrp_bell_sample = VRRP_BELL_SAMPLE;
}

static void test_every_vrid_quiet(void **state)
{
	struct tbell b;
	size_t len;

	bell(&b, AF_INET);
	for (unsigned int v = 1; v < 256; v++) {
		b.t.vertype[v] = v % 2 ? 0x31 : 0x21;
		b.t.field[v] = v % 2 ? v : v % 7;
	}
	b.t.nquiet = 255;
	len = vrrp_bell_prog(&b.t, b.family, prog);
	assert_true(len <= VRRP_BELL_PROG_MAX);
	assert_true(len <= BPF_MAXINSNS);
	for (unsigned int v = 1; v < 256; v++) {
		assert_int_equal(verdict(&b, 5, b.t.vertype[v], v, 200, b.t.field[v], 1), 0);
		assert_int_equal(verdict(&b, 5, b.t.vertype[v], v, 200, b.t.field[v] + 1, 1),
				 PASS);
	}
	assert_int_equal(verdict(&b, 5, 0x31, 0, 200, 0, 1), PASS);
}

static void test_short_datagram_waits(void **state)
{
	struct tbell b;
	uint8_t pkt[64];

	bell(&b, AF_INET6);
	b.t.vertype[5] = 0x31;
	b.t.field[5] = 100;
	b.t.nquiet = 1;
	adv(pkt, 0, 0x31, 5, 100, 100);
	/* Cut short, it is dropped by the bell: the receive socket has it, to count it. */
	assert_int_equal(bpf_run(vrrp_bell_prog(&b.t, b.family, prog), pkt, 2, 1), 0);
	assert_int_equal(bpf_run(vrrp_bell_prog(&b.t, b.family, prog), pkt, 5, 1), 0);
}

static void test_note_opens_only_when_unsafe(void **state)
{
	struct vrrp_bell b = {.fd = -1, .family = AF_INET};
	struct vrrp_rx_quiet q3 = {.version = 3, .interval = 100};
	struct vrrp_rx_quiet q3b = {.version = 3, .interval = 200};
	struct vrrp_rx_quiet v2odd = {.version = 2, .interval = 150};

	/* Becoming quiet can wait for the commit. */
	assert_false(vrrp_bell_note(&b, 5, &q3));
	assert_true(b.dirty);
	assert_int_equal(b.want.nquiet, 1);
	assert_int_equal(b.want.vertype[5], 0x31);
	assert_int_equal(b.want.field[5], 100);
	/* As if committed: now a change of what is quiet is unsafe until the bell opens. */
	b.att = b.want;
	b.dirty = false;
	assert_false(vrrp_bell_note(&b, 5, &q3));
	assert_false(b.dirty);
	assert_true(vrrp_bell_note(&b, 5, &q3b));
	assert_true(vrrp_bell_note(&b, 5, NULL));
	assert_int_equal(b.want.nquiet, 0);
	/* Without a socket the kernel refuses: the attached table is emptied all the same. */
	assert_true(vrrp_bell_open(&b) < 0);
	assert_int_equal(b.att.nquiet, 0);
	assert_int_equal(b.att.vertype[5], 0);
	assert_false(vrrp_bell_note(&b, 6, &q3));
	assert_true(vrrp_bell_commit(&b) < 0);
	assert_false(b.dirty);
	assert_int_equal(b.att.vertype[6], 0);
	/* A v2 interval that is not whole seconds is carried by no advertisement: not quiet. */
	assert_false(vrrp_bell_note(&b, 7, &v2odd));
	assert_int_equal(b.want.vertype[7], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_is_mute),
		cmocka_unit_test(test_ipv4_and_ipv6_offsets),
		cmocka_unit_test(test_without_sample),
		cmocka_unit_test(test_every_vrid_quiet),
		cmocka_unit_test(test_short_datagram_waits),
		cmocka_unit_test(test_note_opens_only_when_unsafe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

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

static uint32_t verdict(struct vrrp_bell *b, int ihl, uint8_t vertype, uint8_t vrid, uint8_t prio,
			uint16_t field, uint32_t random)
{
	uint8_t pkt[64];
	size_t plen = adv(pkt, ihl, vertype, vrid, prio, field);

	return bpf_run(vrrp_bell_prog(b, prog), pkt, plen, random);
}

static void bell(struct vrrp_bell *b, int family)
{
	memset(b, 0, sizeof(*b));
	b->fd = -1;
	b->family = family;
}

/* vrrp_bell_set() without a socket: only the table, as it would attach it. */
static void quiet(struct vrrp_bell *b, uint8_t vrid, uint8_t version, uint16_t interval)
{
	struct vrrp_rx_quiet q = {.version = version, .interval = interval};

	/* No socket, so the attach fails and the bell falls back to passing all: rebuild. */
	b->vertype[vrid] = 0;
	vrrp_bell_set(b, vrid, &q);
}

static void test_empty_passes_all(void **state)
{
	struct vrrp_bell b;

	bell(&b, AF_INET);
	assert_int_equal(vrrp_bell_prog(&b, prog), 1);
	assert_int_equal(verdict(&b, 5, 0x31, 5, 100, 100, 1), PASS);
}

static void run_family(int family, int ihl)
{
	struct vrrp_bell b;

	bell(&b, family);
	b.vertype[5] = 0x31;
	b.field[5] = 100;
	b.vertype[9] = 0x21;
	b.field[9] = 1;
	b.nquiet = 2;
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
	struct vrrp_bell b;

	vrrp_bell_sample = 0;
	bell(&b, AF_INET);
	b.vertype[5] = 0x31;
	b.field[5] = 100;
	b.nquiet = 1;
	assert_int_equal(verdict(&b, 5, 0x31, 5, 100, 100, 0), 0);
	assert_int_equal(verdict(&b, 5, 0x31, 5, 0, 100, 0), PASS);
	vrrp_bell_sample = VRRP_BELL_SAMPLE;
}

static void test_every_vrid_quiet(void **state)
{
	struct vrrp_bell b;
	size_t len;

	bell(&b, AF_INET);
	for (unsigned int v = 1; v < 256; v++) {
		b.vertype[v] = v % 2 ? 0x31 : 0x21;
		b.field[v] = v % 2 ? v : v % 7;
	}
	b.nquiet = 255;
	len = vrrp_bell_prog(&b, prog);
	assert_true(len <= VRRP_BELL_PROG_MAX);
	assert_true(len <= BPF_MAXINSNS);
	for (unsigned int v = 1; v < 256; v++) {
		assert_int_equal(verdict(&b, 5, b.vertype[v], v, 200, b.field[v], 1), 0);
		assert_int_equal(verdict(&b, 5, b.vertype[v], v, 200, b.field[v] + 1, 1), PASS);
	}
	assert_int_equal(verdict(&b, 5, 0x31, 0, 200, 0, 1), PASS);
}

static void test_short_datagram_waits(void **state)
{
	struct vrrp_bell b;
	uint8_t pkt[64];

	bell(&b, AF_INET6);
	b.vertype[5] = 0x31;
	b.field[5] = 100;
	b.nquiet = 1;
	adv(pkt, 0, 0x31, 5, 100, 100);
	/* Cut short, it is dropped by the bell: the receive socket has it, to count it. */
	assert_int_equal(bpf_run(vrrp_bell_prog(&b, prog), pkt, 2, 1), 0);
	assert_int_equal(bpf_run(vrrp_bell_prog(&b, prog), pkt, 5, 1), 0);
}

static void test_set_wire_forms(void **state)
{
	struct vrrp_bell b;
	struct vrrp_rx_quiet q3 = {.version = 3, .interval = 4095};
	struct vrrp_rx_quiet v2odd = {.version = 2, .interval = 150};

	bell(&b, AF_INET);
	/* Without a socket the attach fails: the table is emptied, so the bell passes all. */
	assert_true(vrrp_bell_set(&b, 5, &q3) < 0);
	assert_int_equal(b.nquiet, 0);
	assert_int_equal(b.vertype[5], 0);
	quiet(&b, 5, 3, 4095);
	assert_int_equal(b.nquiet, 0);
	/* A v2 interval that is not whole seconds is carried by no advertisement: not quiet. */
	assert_int_equal(vrrp_bell_set(&b, 6, &v2odd), 0);
	assert_int_equal(b.vertype[6], 0);
	assert_int_equal(vrrp_bell_set(&b, 6, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_passes_all),
		cmocka_unit_test(test_ipv4_and_ipv6_offsets),
		cmocka_unit_test(test_without_sample),
		cmocka_unit_test(test_every_vrid_quiet),
		cmocka_unit_test(test_short_datagram_waits),
		cmocka_unit_test(test_set_wire_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

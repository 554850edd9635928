// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rx_replay: feed captured VRRP advertisements through the pure part of our receive path, for
 * instruction counting under callgrind (bench/run.py runs it).
 *
 *   rx_replay FILE.pcap N [VRS]
 *
 * Reads the IPv4 VRRP frames of an Ethernet pcap, registers VRS virtual routers (VRID 1..VRS,
 * default 255) on one interface as Backups (VRRPv3, priority 100, preempt), then processes N
 * datagrams, cycling through the capture. Per datagram, replay_one() runs the daemon's own
 * receive decision: the socket adapter's vrrp_ipv4_strip(), then vrrp_rx_classify() with the
 * daemon's instance lookup (VRID demux, codec, per-instance checks), then one vrrp_fsm_step()
 * (RX_ADVERT). Not included: the recvmsg() system call, the event loop, counters, logging and
 * arming the timer the step asks for.
 * Run it with --toggle-collect=replay_all: the cost is then replay_all() alone.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/privs.h"

#include "vrrp.h"
#include "vrrp_exec.h"
#include "vrrp_fsm.h"
#include "vrrp_packet.h"
#include "vrrp_rx.h"

/* vrrp_main.c is not in libvrrp.a; the library refers to its privileges. */
struct zebra_privs_t vrrp_privs;

struct frame {
	uint8_t *ip;
	size_t len;
};

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* IPv4 protocol-112 frames of an Ethernet pcap (microsecond or nanosecond format). */
static size_t load_pcap(const char *path, struct frame **out)
{
	FILE *f = fopen(path, "rb");
	uint8_t gh[24], rh[16], buf[65536];
	struct frame *fr = NULL;
	size_t n = 0;
	uint32_t magic;
	bool swap;

	if (!f || fread(gh, 1, sizeof(gh), f) != sizeof(gh)) {
		fprintf(stderr, "rx_replay: cannot read %s\n", path);
		exit(2);
	}
	memcpy(&magic, gh, 4);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	if (!swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
		fprintf(stderr, "rx_replay: %s is not a pcap file\n", path);
		exit(2);
	}
	if (rd32(gh + 20, swap) != 1) {
		fprintf(stderr, "rx_replay: %s: link type is not Ethernet\n", path);
		exit(2);
	}
	while (fread(rh, 1, sizeof(rh), f) == sizeof(rh)) {
		uint32_t caplen = rd32(rh + 8, swap);

		if (caplen > sizeof(buf) || fread(buf, 1, caplen, f) != caplen)
			break;
		if (caplen < 14 + 20 || buf[12] != 0x08 || buf[13] != 0x00 || buf[14 + 9] != 112)
			continue;
		fr = realloc(fr, (n + 1) * sizeof(*fr));
		fr[n].len = caplen - 14;
		fr[n].ip = malloc(fr[n].len);
		memcpy(fr[n].ip, buf + 14, fr[n].len);
		n++;
	}
	fclose(f);
	*out = fr;
	return n;
}

static __attribute__((noinline)) int replay_one(struct interface *ifp, const uint8_t *buf,
						size_t len, uint64_t now)
{
	struct vrrp_rx_where where = {.parent = ifp, .afi = VRRP_AFI_V4};
	struct vrrp_rx_meta meta = {};
	static struct vrrp_rx_result res;
	struct vrrp_fsm_out out;
	struct vrrp_af *af;
	const uint8_t *msg;
	size_t mlen;
	enum vrrp_drop ip_drop;

	/* What the socket adapter does with an IPv4 datagram, then the daemon's own decision. */
	ip_drop = vrrp_ipv4_strip(buf, len, &meta, &msg, &mlen);
	vrrp_rx_classify(&vrrp_af_ipv4, msg, mlen, &meta, ip_drop, vrrp_exec_rx_target, &where,
			 &res);
	if (res.verdict != VRRP_RX_ACCEPT)
		return 1;
	af = res.target.instance;
	vrrp_fsm_step(&af->fcfg, &af->fsm, VRRP_EV_RX_ADVERT, &res.rx, now, &out);
	af->fsm = out.next;
	return 0;
}

static __attribute__((noinline)) unsigned long
replay_all(struct interface *ifp, const struct frame *fr, size_t nfr, unsigned long n)
{
	unsigned long drops = 0;
	uint64_t now = 1000000000ULL;

	for (unsigned long i = 0; i < n; i++) {
		drops += replay_one(ifp, fr[i % nfr].ip, fr[i % nfr].len, now);
		now += 10000; /* 10 ms per packet */
	}
	return drops;
}

int main(int argc, char **argv)
{
	struct frame *fr;
	struct interface *ifp;
	unsigned long n, drops;
	unsigned int nvrs;
	size_t nfr;
	struct ipaddr vip = {.ipa_type = IPADDR_V4}, own = {.ipa_type = IPADDR_V4};

	if (argc < 3) {
		fprintf(stderr, "usage: rx_replay FILE.pcap N [VRS]\n");
		return 2;
	}
	nfr = load_pcap(argv[1], &fr);
	n = strtoul(argv[2], NULL, 10);
	nvrs = argc > 3 ? (unsigned int)strtoul(argv[3], NULL, 10) : 255;
	if (!nfr || !n || !nvrs || nvrs > 255) {
		fprintf(stderr, "rx_replay: no VRRP frames in %s, or bad N / VRS\n", argv[1]);
		return 2;
	}

	inet_pton(AF_INET, "10.255.255.253", &vip.ipaddr_v4);
	inet_pton(AF_INET, "10.255.255.254", &own.ipaddr_v4);
	vrrp_init();
	ifp = calloc(1, sizeof(*ifp));
	strlcpy(ifp->name, "eth1", sizeof(ifp->name));
	ifp->ifindex = 2;
	for (unsigned int v = 1; v <= nvrs; v++) {
		struct vrrp_vr *vr = vrrp_vr_create(ifp, v);
		struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
		struct vrrp_fsm_out out;

		/* One virtual address, so the instance claims its VRID; our own source is any
		 * address that is not the sender's. */
		vrrp_vr_set_addrs(af, &vip, 1);
		af->src = own;
		af->fcfg = (struct vrrp_fsm_config){
			.version = 3, .priority = 100, .preempt = true, .adver_interval = 1};
		vrrp_fsm_init(&af->fcfg, &af->fsm);
		vrrp_fsm_step(&af->fcfg, &af->fsm, VRRP_EV_STARTUP, NULL, 1, &out);
		af->fsm = out.next;
	}

	drops = replay_all(ifp, fr, nfr, n);
	printf("frames %zu packets %lu dropped %lu vrs %u\n", nfr, n, drops, nvrs);
	return drops == n;
}

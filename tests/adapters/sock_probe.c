// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock_probe: drives the real socket adapters (vrrpd/vrrp_sock.c, vrrpd/vrrp_announce.c) on the
 * running kernel, for tests/integration/test_sock.py. It is linked against libvrrp.a and libfrr
 * like the daemon and runs as root inside a test namespace.
 *
 * The command line is a script of commands run in order; each prints one result line:
 *
 *   ref 4|6 IF                   take a receive reference      -> "ref 4 eth0 0"
 *   unref 4|6 IF                 drop it                       -> "unref 4 eth0"
 *   send 4|6 IF SRC VRID PRIO ADDR[,ADDR...]
 *                                build a VRRPv3 advertisement with the codec (IPv4 checksum
 *                                with the pseudo-header) and vrrp_sock_send() it (the
 *                                lower device, if IF has one, as the macvlan's parent)
 *                                                              -> "send 4 mv4 0"
 *   sendip 4|6 IF SRC VRID PRIO ADDR[,ADDR...]
 *                                the same with IF's MAC unknown, so the adapter takes the
 *                                IP socket path even for IPv4 multicast -> "sendip 4 mv4 0"
 *   garp IF VMAC VIP             vrrp_garp_send()              -> "garp mv4 0"
 *   una IF VMAC VIP              vrrp_una_send()               -> "una mv6 0"
 *   recv N SECONDS               run the event loop until N datagrams arrived or SECONDS passed;
 *                                one line per datagram, then   -> "recv-done K"
 *     rx family=6 if=eth0 len=28 src=fe80::1 dst=ff02::12 ttl=255 vrid=5 prio=100 drop=none
 *   ready                        print "ready" (a sync point for the caller)
 *   wait                         read one line from stdin (the caller changes the network)
 *   sleep SECONDS
 *   churn                        from now on the receive callback drops its socket's last
 *                                reference and takes a new one for every datagram, as the engine
 *                                may when a packet changes its state (the read handler must
 *                                survive losing its socket mid-burst)
 *   ages                         from now on each rx line is followed by "rx-age US", how
 *                                long before its delivery the kernel queued the datagram
 *                                ("rx-age none": the socket gave no arrival time)
 *   debug                        turn on the sock, arp and ndisc debug logs (libfrr prints
 *                                the logs of auxiliary programs on stdout)
 *   lazy                         before any ref: the protocol's epoll set and timers, read by
 *                                a task of the probe's loop, as the daemon reads them, so
 *                                receive sockets get a doorbell -> "lazy"
 *   nosample                     doorbell filters built from now on ring for no quiet datagram
 *                                at random                     -> "nosample"
 *   quiet 4|6 IF VRID VER INTERVAL|off
 *                                vrrp_sock_rx_quiet()          -> "quiet 4 eth0 5"; what
 *                                becomes quiet is filtered VRRP_BELL_SETTLE_US later, while
 *                                the loop runs (recv)
 *   drain                        vrrp_sock_rx_drain(): rx lines, then -> "drain-done K"
 *   wakeups                      -> "wakeups N", the protocol's wake-ups so far
 *
 * IF is an interface name, resolved again by every command, or "@N" for a raw ifindex that is
 * never refreshed (to test a vanished interface). Results are 0 or -errno. Any malformed command
 * exits with status 2; everything else exits 0, so the caller judges the printed results.
 *
 * With --frr-privs as the first argument the probe drops privileges exactly as vrrpd does (user
 * frr, CAP_NET_RAW and CAP_NET_ADMIN permitted but not effective), so every operation that needs
 * a capability outside frr_with_privs() fails with EPERM.
 */
#include <zebra.h>

#include <dirent.h>
#include <net/if.h>

#include "lib/debug.h"
#include "lib/if.h"
#include "lib/log.h"
#include "lib/prefix.h"
#include "lib/privs.h"
#include "lib/thread.h"
#include "lib/zlog.h"

#include "vrrp_announce.h"
#include "vrrp_debug.h"
#include "vrrp_loop.h"
#include "vrrp_packet.h"
#include "vrrp_rx.h"
#include "vrrp_rxbell.h"
#include "vrrp_sock.h"
#include "vrrp_timer.h"

/*
 * vrrp_main.c is not linked. Without --frr-privs this struct stays empty, which libfrr treats as
 * "null" privileges: frr_with_privs() then changes nothing and the probe keeps root's powers.
 */
struct zebra_privs_t vrrp_privs;

static zebra_capabilities_t probe_caps[] = {
	ZCAP_NET_RAW,
	ZCAP_NET_ADMIN,
};

static struct thread_master *master;

/* The interfaces named on the command line; the adapters key on the pointer. */
#define MAX_IFS 16
static struct interface ifs[MAX_IFS];
static unsigned int nifs;

static unsigned int rx_count, rx_want;
static bool recv_stop, churn, ages;

static void __attribute__((noreturn)) usage(const char *why)
{
	fprintf(stderr,
		"sock_probe: %s (see the comment at the top of tests/adapters/sock_probe.c)\n",
		why);
	exit(2);
}

/* The lower device of a stacked interface (a macvlan's parent), as zebra reports it. */
static ifindex_t link_of(const char *name, ifindex_t ifindex)
{
	char path[64];
	FILE *f;
	int link = 0;

	snprintf(path, sizeof(path), "/sys/class/net/%s/iflink", name);
	f = fopen(path, "r");
	if (!f)
		return IFINDEX_INTERNAL;
	if (fscanf(f, "%d", &link) != 1)
		link = 0;
	fclose(f);
	return link > 0 && link != ifindex ? link : IFINDEX_INTERNAL;
}

/* The interface's MAC, as zebra reports it; none for a name sysfs does not know. */
static void hw_addr_of(struct interface *ifp)
{
	char path[64];
	unsigned int b[ETH_ALEN];
	FILE *f;
	int n;

	ifp->hw_addr_len = 0;
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifp->name);
	f = fopen(path, "r");
	if (!f)
		return;
	n = fscanf(f, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]);
	fclose(f);
	if (n != ETH_ALEN)
		return;
	for (int i = 0; i < ETH_ALEN; i++)
		ifp->hw_addr[i] = b[i];
	ifp->hw_addr_len = ETH_ALEN;
}

static struct interface *ifp_get(const char *name)
{
	struct interface *ifp = NULL;

	for (unsigned int i = 0; i < nifs; i++)
		if (!strcmp(ifs[i].name, name))
			ifp = &ifs[i];
	if (!ifp) {
		if (nifs == MAX_IFS || strlen(name) >= sizeof(ifp->name))
			usage("too many or too long interface names");
		ifp = &ifs[nifs++];
		strlcpy(ifp->name, name, sizeof(ifp->name));
	}
	if (name[0] == '@')
		ifp->ifindex = atoi(name + 1);
	else
		ifp->ifindex = if_nametoindex(name);
	ifp->link_ifindex = link_of(name, ifp->ifindex);
	hw_addr_of(ifp);
	return ifp;
}

/*
 * The lower device of a macvlan or VLAN (sysfs links it as lower_NAME), or NULL: a veth's
 * iflink names its peer in another namespace, so iflink alone cannot tell.
 */
static struct interface *lower_of(const char *name)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	char lower[INTERFACE_NAMSIZ] = "";

	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	d = opendir(path);
	if (!d)
		return NULL;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "lower_", 6))
			strlcpy(lower, de->d_name + 6, sizeof(lower));
	closedir(d);
	return lower[0] ? ifp_get(lower) : NULL;
}

static int family_arg(const char *s)
{
	if (!strcmp(s, "4"))
		return AF_INET;
	if (!strcmp(s, "6"))
		return AF_INET6;
	usage("family must be 4 or 6");
}

static unsigned long num_arg(const char *s, unsigned long max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > max)
		usage("bad number");
	return v;
}

static void print_rc(const char *prefix, int rc)
{
	if (rc)
		printf("%s %d (%s)\n", prefix, rc, safe_strerror(-rc));
	else
		printf("%s 0\n", prefix);
}

static void rx_cb(struct interface *parent, int family, const uint8_t *msg, size_t len,
		  const struct vrrp_rx_meta *meta, enum vrrp_drop ip_drop)
{
	const struct vrrp_af_ops *af = family == AF_INET ? &vrrp_af_ipv4 : &vrrp_af_ipv6;
	struct vrrp_rx_meta m = *meta;
	enum vrrp_drop drop = ip_drop;
	static struct vrrp_pkt pkt;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	/* The socket hands both families over as the message and its metadata. */
	memset(&pkt, 0, sizeof(pkt));
	if (drop == VRRP_DROP_NONE)
		drop = vrrp_pkt_parse(af, msg, len, &m, true, &pkt);
	inet_ntop(family, m.src.bytes, src, sizeof(src));
	inet_ntop(family, m.dst.bytes, dst, sizeof(dst));
	printf("rx family=%d if=%s len=%zu src=%s dst=%s ttl=%u vrid=%u prio=%u drop=%s\n",
	       family == AF_INET ? 4 : 6, parent->name, len, src, dst, m.ttl, pkt.vrid,
	       pkt.priority, vrrp_drop_name(drop));
	if (ages && meta->arrival_us)
		printf("rx-age %" PRIu64 "\n", vrrp_now_us() - meta->arrival_us);
	else if (ages)
		printf("rx-age none\n");
	if (churn) {
		vrrp_sock_rx_unref(parent, family);
		print_rc("churn-ref", vrrp_sock_rx_ref(parent, family));
	}
	if (++rx_count >= rx_want)
		recv_stop = true;
}

static void recv_timeout(struct thread *t)
{
	recv_stop = true;
}

static void cmd_recv(unsigned long n, unsigned long secs)
{
	struct thread *timer = NULL;
	struct thread thr;

	rx_count = 0;
	rx_want = n;
	recv_stop = n == 0;
	thread_add_timer(master, recv_timeout, NULL, secs, &timer);
	while (!recv_stop && thread_fetch(master, &thr))
		thread_call(&thr);
	THREAD_OFF(timer);
	printf("recv-done %u\n", rx_count);
}

static int parse_addr(int family, const char *s, union vrrp_addr *a)
{
	memset(a, 0, sizeof(*a));
	return inet_pton(family, s, a) == 1 ? 0 : -1;
}

static void cmd_send(bool ip_path, int family, const char *ifname, const char *src_s,
		     const char *vrid, const char *prio, const char *addrs)
{
	struct interface *ifp;
	const struct vrrp_af_ops *af = family == AF_INET ? &vrrp_af_ipv4 : &vrrp_af_ipv6;
	static struct vrrp_pkt pkt;
	struct vrrp_rx_meta meta = {};
	uint8_t buf[VRRP_PKT_MAX_LEN];
	char list[1024], *tok, *save = NULL, prefix[64];
	size_t len;

	memset(&pkt, 0, sizeof(pkt));
	pkt.af = af;
	pkt.version = 3;
	pkt.type = VRRP_TYPE_ADVERTISEMENT;
	pkt.vrid = num_arg(vrid, 255);
	pkt.priority = num_arg(prio, 255);
	pkt.adver_int = 100;
	if (parse_addr(family, src_s, &meta.src))
		usage("bad source address");
	strlcpy(list, addrs, sizeof(list));
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		union vrrp_addr a;

		if (pkt.naddr == VRRP_MAX_ADDRS || parse_addr(family, tok, &a))
			usage("bad address list");
		memcpy(pkt.addr.bytes + pkt.naddr++ * af->addrlen, a.bytes, af->addrlen);
	}
	len = vrrp_pkt_build(&pkt, &meta, true, buf, sizeof(buf));
	if (!len)
		usage("the codec refused to build this advertisement");
	snprintf(prefix, sizeof(prefix), "%s %c %s", ip_path ? "sendip" : "send",
		 family == AF_INET ? '4' : '6', ifname);
	ifp = ifp_get(ifname);
	/* Without a MAC the adapter cannot build the frame and takes the IP socket path. */
	if (ip_path)
		ifp->hw_addr_len = 0;
	print_rc(prefix,
		 vrrp_sock_send(family, ifp, lower_of(ifname), &meta.src, NULL, buf, len, true));
}

static void cmd_announce(bool v6, const char *ifname, const char *mac_s, const char *vip_s)
{
	struct ethaddr mac;
	union vrrp_addr vip;
	char prefix[64];
	int rc;

	if (!prefix_str2mac(mac_s, &mac))
		usage("bad MAC address");
	if (parse_addr(v6 ? AF_INET6 : AF_INET, vip_s, &vip))
		usage("bad virtual address");
	if (v6)
		rc = vrrp_una_send(ifp_get(ifname), &mac, &vip.v6);
	else
		rc = vrrp_garp_send(ifp_get(ifname), &mac, vip.v4);
	snprintf(prefix, sizeof(prefix), "%s %s", v6 ? "una" : "garp", ifname);
	print_rc(prefix, rc);
}

/* The doorbell's commands; the index after the command, or 0 if argv[i] is none of them. */
static int cmd_lazy(int i, int argc, char **argv)
{
	const char *cmd = argv[i];

	if (!strcmp(cmd, "lazy")) {
		vrrp_loop_init(master, true);
		vrrp_loop_start_here(master);
		/* The doorbell compiles what may wait on a protocol timer. */
		vrrp_timer_init(master);
		printf("lazy\n");
		return i + 1;
	}
	if (!strcmp(cmd, "nosample")) {
		vrrp_bell_sample = 0;
		printf("nosample\n");
		return i + 1;
	}
	if (!strcmp(cmd, "drain")) {
		rx_count = 0;
		vrrp_sock_rx_drain();
		printf("drain-done %u\n", rx_count);
		return i + 1;
	}
	if (!strcmp(cmd, "wakeups")) {
		printf("wakeups %lu\n", vrrp_loop_wakeups());
		return i + 1;
	}
	if (!strcmp(cmd, "quiet")) {
		struct vrrp_rx_quiet q = {};
		bool off;

		if (i + 4 >= argc)
			usage("missing arguments");
		off = !strcmp(argv[i + 4], "off");
		if (!off) {
			if (i + 5 >= argc)
				usage("missing arguments");
			q.version = num_arg(argv[i + 4], 3);
			q.interval = num_arg(argv[i + 5], 4095);
		}
		vrrp_sock_rx_quiet(ifp_get(argv[i + 2]), family_arg(argv[i + 1]),
				   num_arg(argv[i + 3], 255), off ? NULL : &q);
		printf("quiet %s %s %s\n", argv[i + 1], argv[i + 2], argv[i + 3]);
		return i + (off ? 5 : 6);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	zlog_aux_init("sock_probe: ", LOG_DEBUG);
	if (argc > 1 && !strcmp(argv[1], "--frr-privs")) {
		vrrp_privs.user = FRR_USER;
		vrrp_privs.group = FRR_GROUP;
		vrrp_privs.caps_p = probe_caps;
		vrrp_privs.cap_num_p = array_size(probe_caps);
		i++;
	}
	zprivs_preinit(&vrrp_privs);
	zprivs_init(&vrrp_privs);
	master = thread_master_create("sock_probe");
	vrrp_sock_init(master, rx_cb);

#define NEED(n)                                                                                   \
	do {                                                                                      \
		if (i + (n) >= argc)                                                              \
			usage("missing arguments");                                               \
	} while (0)

	while (i < argc) {
		const char *cmd = argv[i];

		if (!strcmp(cmd, "ref") || !strcmp(cmd, "unref")) {
			char prefix[64];

			NEED(2);
			snprintf(prefix, sizeof(prefix), "%s %s %s", cmd, argv[i + 1],
				 argv[i + 2]);
			if (cmd[0] == 'r')
				print_rc(prefix, vrrp_sock_rx_ref(ifp_get(argv[i + 2]),
								  family_arg(argv[i + 1])));
			else {
				vrrp_sock_rx_unref(ifp_get(argv[i + 2]), family_arg(argv[i + 1]));
				printf("%s\n", prefix);
			}
			i += 3;
		} else if (!strcmp(cmd, "send") || !strcmp(cmd, "sendip")) {
			NEED(6);
			cmd_send(cmd[4] == 'i', family_arg(argv[i + 1]), argv[i + 2], argv[i + 3],
				 argv[i + 4], argv[i + 5], argv[i + 6]);
			i += 7;
		} else if (!strcmp(cmd, "garp") || !strcmp(cmd, "una")) {
			NEED(3);
			cmd_announce(cmd[0] == 'u', argv[i + 1], argv[i + 2], argv[i + 3]);
			i += 4;
		} else if (!strcmp(cmd, "recv")) {
			NEED(2);
			cmd_recv(num_arg(argv[i + 1], 1000000), num_arg(argv[i + 2], 3600));
			i += 3;
		} else if (!strcmp(cmd, "ready")) {
			printf("ready\n");
			i += 1;
		} else if (!strcmp(cmd, "wait")) {
			char line[256];

			if (!fgets(line, sizeof(line), stdin))
				usage("stdin closed while waiting");
			i += 1;
		} else if (!strcmp(cmd, "sleep")) {
			NEED(1);
			sleep(num_arg(argv[i + 1], 3600));
			i += 2;
		} else if (!strcmp(cmd, "ages")) {
			ages = true;
			i += 1;
		} else if (!strcmp(cmd, "churn")) {
			churn = true;
			i += 1;
		} else if (!strcmp(cmd, "debug")) {
			DEBUG_MODE_SET(&vrrp_dbg_sock, DEBUG_MODE_ALL, true);
			DEBUG_MODE_SET(&vrrp_dbg_arp, DEBUG_MODE_ALL, true);
			DEBUG_MODE_SET(&vrrp_dbg_ndisc, DEBUG_MODE_ALL, true);
			i += 1;
		} else if (!(i = cmd_lazy(i, argc, argv))) {
			usage("unknown command");
		}
	}

	vrrp_announce_fini();
	vrrp_sock_fini();
	thread_master_free(master);
	return 0;
}

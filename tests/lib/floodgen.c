// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floodgen: the one high-rate frame sender of the tests (tests/lib/vrrptest/flood.py drives
 * it). It puts prepared Ethernet frames on an interface with AF_PACKET at a steady rate that
 * Python cannot hold on a loaded machine, so a test can flood a LAN with hostile traffic.
 *
 *   floodgen IFNAME RATE SECONDS FRAMEFILE [TAG]
 *
 * FRAMEFILE holds the cycle to send: frames of 14..65535 bytes, each preceded by its length
 * as two bytes, big-endian. The frames are sent in that order, over and over, RATE frames a
 * second for SECONDS seconds; frame k is due at start + k / RATE (absolute deadlines, so a
 * late wake-up is caught up at once and the average rate holds). Since the frames are
 * written verbatim, a test chooses every byte: the source MAC (a virtual MAC), the TTL, the
 * VRID, fragments, or any malformed payload. TAG (e.g. the namespace name) is ignored: it
 * lets the lab's stray-process safety net find the process.
 *
 * Protocol on stdin/stdout: prints {"ready": true} once the socket is set up, waits for one
 * line on stdin, sends, then prints one JSON line:
 *   {"sent": frames the kernel accepted, "cycle": frames in the cycle, "seconds": elapsed,
 *    "retries": partial or refused sendmmsg calls retried, "max_late_ms": worst lateness}
 * Frame j of the cycle was thus sent sent / cycle times, once more when j < sent % cycle.
 * Exits 0, or 1 with a message on stderr.
 */
/* sendmmsg() and struct mmsghdr are GNU extensions. */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Frames handed to the kernel per system call at most. */
#define BATCH 64
#define NSEC 1000000000LL

struct frame {
	unsigned char *data;
	size_t len;
};

static void die(const char *what)
{
	fprintf(stderr, "floodgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

static void sleep_until(int64_t t)
{
	struct timespec ts = {.tv_sec = t / NSEC, .tv_nsec = t % NSEC};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static size_t load_frames(const char *path, struct frame **out)
{
	FILE *f = fopen(path, "rb");
	struct frame *fr = NULL;
	unsigned char hdr[2];
	size_t n = 0;

	if (!f)
		die(path);
	while (fread(hdr, 1, 2, f) == 2) {
		size_t len = (size_t)hdr[0] << 8 | hdr[1];

		fr = realloc(fr, (n + 1) * sizeof(*fr));
		if (!fr || len < ETH_HLEN)
			die("bad frame file");
		fr[n].len = len;
		fr[n].data = malloc(len);
		if (!fr[n].data || fread(fr[n].data, 1, len, f) != len)
			die("short frame file");
		n++;
	}
	fclose(f);
	*out = fr;
	return n;
}

static int open_socket(const char *ifname)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	int sndbuf = 4 << 20;

	/* Protocol 0: the socket sends but never receives, so reading costs nothing. */
	if (fd < 0)
		die("socket");
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		die(ifname);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind");
	/* Room for bursts after a late wake-up; FORCE needs CAP_NET_ADMIN, plain may do. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	return fd;
}

struct run {
	uint64_t sent, total, retries;
	int64_t max_late;
};

/* Send frames [r->sent, upto) of the endless cycle, retrying what the kernel refuses. */
static void send_due(int fd, const struct frame *fr, size_t nfr, struct run *r, uint64_t upto)
{
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];

	while (r->sent < upto) {
		unsigned int n = upto - r->sent > BATCH ? BATCH : (unsigned int)(upto - r->sent);
		int k;

		memset(msgs, 0, sizeof(msgs));
		for (unsigned int i = 0; i < n; i++) {
			const struct frame *f = &fr[(r->sent + i) % nfr];

			iov[i] = (struct iovec){.iov_base = f->data, .iov_len = f->len};
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		k = sendmmsg(fd, msgs, n, 0);
		if (k < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			die("sendmmsg");
		if (k > 0)
			r->sent += (unsigned int)k;
		if (k < (int)n) {
			/* The kernel is out of buffers: give it a moment rather than spin. */
			r->retries++;
			sleep_until(now_ns() + 100000);
		}
	}
}

int main(int argc, char **argv)
{
	struct run r = {};
	struct frame *fr;
	size_t nfr;
	double rate, secs;
	int64_t start, end;
	uint64_t per_wake;
	char line[64];
	int fd;

	if (argc < 5) {
		fprintf(stderr, "usage: floodgen IFNAME RATE SECONDS FRAMEFILE [TAG]\n");
		return 1;
	}
	rate = atof(argv[2]);
	secs = atof(argv[3]);
	nfr = load_frames(argv[4], &fr);
	if (rate <= 0 || secs <= 0 || !nfr) {
		fprintf(stderr, "floodgen: bad RATE, SECONDS or empty FRAMEFILE\n");
		return 1;
	}
	fd = open_socket(argv[1]);
	r.total = (uint64_t)(rate * secs + 0.5);
	/* Wake about once a millisecond: a sleep per frame would cost more than the sending. */
	per_wake = (uint64_t)(rate / 1000.0);
	if (per_wake < 1)
		per_wake = 1;

	printf("{\"ready\": true}\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;

	start = now_ns();
	while (r.sent < r.total) {
		int64_t now = now_ns();
		uint64_t due = (uint64_t)((double)(now - start) * rate / NSEC) + 1;
		uint64_t next;
		int64_t late;

		if (due > r.total)
			due = r.total;
		/* How far behind its deadline the oldest unsent frame is. */
		late = now - start - (int64_t)((double)r.sent * NSEC / rate);
		if (late > r.max_late)
			r.max_late = late;
		send_due(fd, fr, nfr, &r, due);
		next = r.sent + per_wake - 1;
		if (next >= r.total)
			next = r.total - 1;
		sleep_until(start + (int64_t)((double)next * NSEC / rate));
	}
	end = now_ns();
	printf("{\"sent\": %llu, \"cycle\": %zu, \"seconds\": %.6f, \"retries\": %llu, "
	       "\"max_late_ms\": %.3f}\n",
	       (unsigned long long)r.sent, nfr, (double)(end - start) / NSEC,
	       (unsigned long long)r.retries, (double)r.max_late / 1e6);
	close(fd);
	return 0;
}

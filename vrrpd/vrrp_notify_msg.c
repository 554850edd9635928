// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notification formats and the daemon-notifier message codec (see vrrp_notify_msg.h).
 */
#include <zebra.h>

#include "lib/ipaddr.h"

#include "vrrp_exec.h"
#include "vrrp_notify_msg.h"

const char *vrrp_notify_state_str(enum vrrp_notify_state s)
{
	static const char *const words[VRRP_NOTIFY_STATE_MAX] = {
		[VRRP_NOTIFY_MASTER] = "MASTER",
		[VRRP_NOTIFY_BACKUP] = "BACKUP",
		[VRRP_NOTIFY_FAULT] = "FAULT",
		[VRRP_NOTIFY_STOP] = "STOP",
	};

	return (unsigned int)s < VRRP_NOTIFY_STATE_MAX ? words[s] : "{UNKNOWN}";
}

enum vrrp_notify_state vrrp_notify_state_map(enum vrrp_state new_state,
					     const struct vrrp_notify_why *why)
{
	if (new_state == VRRP_STATE_MASTER)
		return VRRP_NOTIFY_MASTER;
	if (new_state == VRRP_STATE_BACKUP)
		return VRRP_NOTIFY_BACKUP;
	if (why->daemon_stopping || why->removed || why->shutdown || why->no_addresses ||
	    why->family_disabled || why->version_change)
		return VRRP_NOTIFY_STOP;
	return VRRP_NOTIFY_FAULT;
}

void vrrp_notify_name(const char *ifname, uint8_t vrid, bool v6, char *buf, size_t len)
{
	snprintf(buf, len, "%s-%u-%s", ifname, vrid, v6 ? "v6" : "v4");
}

size_t vrrp_notify_fifo_line(const char *name, const char *state, unsigned int prio, char *buf,
			     size_t len)
{
	int n = snprintf(buf, len, "INSTANCE \"%s\" %s %u\n", name, state, prio);

	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

void vrrp_notify_argv(const char *script, const char *name, const char *state, unsigned int prio,
		      char *prio_buf, size_t prio_len, const char *argv[6])
{
	snprintf(prio_buf, prio_len, "%u", prio);
	argv[0] = script;
	argv[1] = "INSTANCE";
	argv[2] = name;
	argv[3] = state;
	argv[4] = prio_buf;
	argv[5] = NULL;
}

/* Append "NAME=value\0"; false once buf is full. */
static bool vrrp_env_add(char *buf, size_t len, size_t *off, const char *name, const char *fmt,
			 ...) __attribute__((format(printf, 5, 6)));

static bool vrrp_env_add(char *buf, size_t len, size_t *off, const char *name, const char *fmt,
			 ...)
{
	va_list ap;
	int n, v;

	if (*off >= len)
		return false;
	n = snprintf(buf + *off, len - *off, "VRRP_%s=", name);
	if (n < 0 || (size_t)n >= len - *off)
		return false;
	va_start(ap, fmt);
	v = vsnprintf(buf + *off + n, len - *off - n, fmt, ap);
	va_end(ap);
	if (v < 0 || (size_t)(n + v) >= len - *off)
		return false;
	*off += n + v + 1;
	return true;
}

static const char *vrrp_env_addr(const struct ipaddr *a, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!IS_IPADDR_NONE(a))
		ipaddr2str(a, buf, len);
	return buf;
}

/* ISO 8601 in UTC with microseconds: "2026-12-01T03:12:44.123456Z". */
static const char *vrrp_env_time(const struct timeval *tv, char *buf, size_t len)
{
	struct tm tm;
	time_t t = tv->tv_sec;
	size_t n;

	buf[0] = '\0';
	if (!gmtime_r(&t, &tm))
		return buf;
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n)
		snprintf(buf + n, len - n, ".%06ldZ", (long)tv->tv_usec);
	return buf;
}

size_t vrrp_notify_env(const struct vrrp_state_event *e, const char *name, const char *state,
		       uint32_t seq, char *buf, size_t len)
{
	char m[INET6_ADDRSTRLEN], pm[INET6_ADDRSTRLEN], when[48];
	bool mk = !IS_IPADDR_NONE(&e->master), pk = !IS_IPADDR_NONE(&e->prev_master);
	size_t off = 0;
	bool ok;

	ok = vrrp_env_add(buf, len, &off, "NAME", "%s", name) &&
	     vrrp_env_add(buf, len, &off, "STATE", "%s", state) &&
	     vrrp_env_add(buf, len, &off, "INTERFACE", "%s", e->ifname) &&
	     vrrp_env_add(buf, len, &off, "VRID", "%u", e->vrid) &&
	     vrrp_env_add(buf, len, &off, "FAMILY", "%s", e->afi == VRRP_AFI_V6 ? "v6" : "v4") &&
	     vrrp_env_add(buf, len, &off, "OLD_STATE", "%s", vrrp_state_str(e->old_state)) &&
	     vrrp_env_add(buf, len, &off, "NEW_STATE", "%s", vrrp_state_str(e->new_state)) &&
	     vrrp_env_add(buf, len, &off, "EVENT", "%s", vrrp_event_str(e->event)) &&
	     vrrp_env_add(buf, len, &off, "REASON", "%s", vrrp_reason_str(e->reason)) &&
	     vrrp_env_add(buf, len, &off, "WHY", "%s", e->why ? e->why : "") &&
	     vrrp_env_add(buf, len, &off, "PRIORITY", "%u", e->priority) &&
	     vrrp_env_add(buf, len, &off, "MASTER", "%s",
			  vrrp_env_addr(&e->master, m, sizeof(m))) &&
	     vrrp_env_add(buf, len, &off, "MASTER_PRIORITY", "%.0u",
			  mk ? e->master_priority : 0) &&
	     vrrp_env_add(buf, len, &off, "PREVIOUS_MASTER", "%s",
			  vrrp_env_addr(&e->prev_master, pm, sizeof(pm))) &&
	     vrrp_env_add(buf, len, &off, "PREVIOUS_MASTER_PRIORITY", "%.0u",
			  pk ? e->prev_master_priority : 0) &&
	     vrrp_env_add(buf, len, &off, "TIME", "%s",
			  vrrp_env_time(&e->when, when, sizeof(when))) &&
	     vrrp_env_add(buf, len, &off, "SEQUENCE", "%u", seq);
	return ok ? off : 0;
}

bool vrrp_notify_env_ok(const char *s)
{
	const char *p = s + 5;

	if (strncmp(s, "VRRP_", 5) || *p == '=')
		return false;
	for (; *p && *p != '='; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return *p == '=';
}

/* The codec. */

#define VRRP_NMSG_MAGIC0 'V'
#define VRRP_NMSG_MAGIC1 'N'
#define VRRP_NMSG_VERSION 1
#define VRRP_NMSG_HDR 8
#define VRRP_NMSG_REC 4

enum vrrp_nmsg_tag {
	/* Numbers: 4 bytes, big-endian. */
	VRRP_NTAG_SEQ = 1,
	VRRP_NTAG_VRID,
	VRRP_NTAG_PRIORITY,
	VRRP_NTAG_TIMEOUT,
	VRRP_NTAG_OUTCOME,
	VRRP_NTAG_CODE,
	VRRP_NTAG_DURATION,
	VRRP_NTAG_LOST,
	/* Strings, without their NUL. */
	VRRP_NTAG_IFNAME = 16,
	VRRP_NTAG_NAME,
	VRRP_NTAG_STATE,
	VRRP_NTAG_SCRIPT,
	VRRP_NTAG_USER,
	VRRP_NTAG_FIFO,
	VRRP_NTAG_TEXT,
	/* NUL-separated VRRP_*=value strings, each with its NUL. */
	VRRP_NTAG_ENV,
};

/* Where each tag lives in struct vrrp_nmsg. */
static uint32_t *vrrp_nmsg_num(struct vrrp_nmsg *m, unsigned int tag)
{
	switch (tag) {
	case VRRP_NTAG_SEQ:
		return &m->seq;
	case VRRP_NTAG_VRID:
		return &m->vrid;
	case VRRP_NTAG_PRIORITY:
		return &m->priority;
	case VRRP_NTAG_TIMEOUT:
		return &m->timeout;
	case VRRP_NTAG_OUTCOME:
		return &m->outcome;
	case VRRP_NTAG_CODE:
		return &m->code;
	case VRRP_NTAG_DURATION:
		return &m->duration;
	case VRRP_NTAG_LOST:
		return &m->lost;
	}
	return NULL;
}

static char *vrrp_nmsg_str(struct vrrp_nmsg *m, unsigned int tag, size_t *size)
{
	switch (tag) {
	case VRRP_NTAG_IFNAME:
		*size = sizeof(m->ifname);
		return m->ifname;
	case VRRP_NTAG_NAME:
		*size = sizeof(m->name);
		return m->name;
	case VRRP_NTAG_STATE:
		*size = sizeof(m->state);
		return m->state;
	case VRRP_NTAG_SCRIPT:
		*size = sizeof(m->script);
		return m->script;
	case VRRP_NTAG_USER:
		*size = sizeof(m->user);
		return m->user;
	case VRRP_NTAG_FIFO:
		*size = sizeof(m->fifo);
		return m->fifo;
	case VRRP_NTAG_TEXT:
		*size = sizeof(m->text);
		return m->text;
	}
	return NULL;
}

static void vrrp_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t vrrp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* One record; false if it does not fit. */
static bool vrrp_nmsg_put(uint8_t *buf, size_t len, size_t *off, unsigned int tag, const void *val,
			  size_t vlen)
{
	if (vlen > UINT16_MAX || *off + VRRP_NMSG_REC + vlen > len)
		return false;
	buf[*off] = tag;
	buf[*off + 1] = 0;
	buf[*off + 2] = vlen >> 8;
	buf[*off + 3] = vlen & 0xff;
	memcpy(buf + *off + VRRP_NMSG_REC, val, vlen);
	*off += VRRP_NMSG_REC + vlen;
	return true;
}

size_t vrrp_nmsg_encode(const struct vrrp_nmsg *m, uint8_t *buf, size_t len)
{
	struct vrrp_nmsg *mm = (struct vrrp_nmsg *)m;
	size_t off = VRRP_NMSG_HDR, size;
	uint8_t num[4];

	if (len < VRRP_NMSG_HDR)
		return 0;
	for (unsigned int tag = VRRP_NTAG_SEQ; tag <= VRRP_NTAG_LOST; tag++) {
		uint32_t v = *vrrp_nmsg_num(mm, tag);

		vrrp_put32(num, v);
		if (v && !vrrp_nmsg_put(buf, len, &off, tag, num, sizeof(num)))
			return 0;
	}
	for (unsigned int tag = VRRP_NTAG_IFNAME; tag <= VRRP_NTAG_TEXT; tag++) {
		const char *s = vrrp_nmsg_str(mm, tag, &size);
		size_t sl = strnlen(s, size);

		if (sl == size || (sl && !vrrp_nmsg_put(buf, len, &off, tag, s, sl)))
			return 0;
	}
	if (m->env_len && !vrrp_nmsg_put(buf, len, &off, VRRP_NTAG_ENV, m->env, m->env_len))
		return 0;
	buf[0] = VRRP_NMSG_MAGIC0;
	buf[1] = VRRP_NMSG_MAGIC1;
	buf[2] = VRRP_NMSG_VERSION;
	buf[3] = m->type;
	vrrp_put32(buf + 4, off);
	return off;
}

/* The environment record: complete NUL-terminated entries, each a VRRP_* assignment. */
static int vrrp_nmsg_env(struct vrrp_nmsg *m, const uint8_t *v, size_t vlen)
{
	unsigned int n = 0;

	if (vlen > sizeof(m->env) || (vlen && v[vlen - 1] != '\0'))
		return -1;
	memcpy(m->env, v, vlen);
	m->env_len = vlen;
	for (size_t off = 0; off < vlen; off += strlen(m->env + off) + 1)
		if (++n > VRRP_NOTIFY_ENV_COUNT || !vrrp_notify_env_ok(m->env + off))
			return -1;
	return 0;
}

static int vrrp_nmsg_field(struct vrrp_nmsg *m, unsigned int tag, const uint8_t *v, size_t vlen)
{
	uint32_t *num = vrrp_nmsg_num(m, tag);
	size_t size;
	char *s;

	if (num) {
		if (vlen != 4)
			return -1;
		*num = vrrp_get32(v);
		return 0;
	}
	if (tag == VRRP_NTAG_ENV)
		return vrrp_nmsg_env(m, v, vlen);
	s = vrrp_nmsg_str(m, tag, &size);
	if (!s)
		return 0; /* a newer peer's field: skipped */
	if (vlen >= size || memchr(v, '\0', vlen))
		return -1;
	memcpy(s, v, vlen);
	s[vlen] = '\0';
	return 0;
}

int vrrp_nmsg_decode(const uint8_t *buf, size_t len, struct vrrp_nmsg *m)
{
	size_t off = VRRP_NMSG_HDR;

	memset(m, 0, sizeof(*m));
	if (len < VRRP_NMSG_HDR || buf[0] != VRRP_NMSG_MAGIC0 || buf[1] != VRRP_NMSG_MAGIC1 ||
	    buf[2] != VRRP_NMSG_VERSION || vrrp_get32(buf + 4) != len)
		return -1;
	m->type = buf[3];
	while (off < len) {
		size_t vlen;

		if (len - off < VRRP_NMSG_REC)
			return -1;
		vlen = (size_t)buf[off + 2] << 8 | buf[off + 3];
		if (len - off - VRRP_NMSG_REC < vlen)
			return -1;
		if (vrrp_nmsg_field(m, buf[off], buf + off + VRRP_NMSG_REC, vlen))
			return -1;
		off += VRRP_NMSG_REC + vlen;
	}
	return 0;
}

void vrrp_notify_first_lines(const char *text, size_t tlen, unsigned int lines, char *buf,
			     size_t len)
{
	size_t o = 0;

	if (!len)
		return;
	for (size_t i = 0; i < tlen && o + 1 < len; i++) {
		char c = text[i];

		if (c == '\n') {
			/* Several lines on one log line; a separator that does not fit ends it. */
			if (!--lines || o + 3 + 1 >= len)
				break;
			if (o) {
				memcpy(buf + o, " | ", 3);
				o += 3;
			}
			continue;
		}
		buf[o++] = (c == '\t' || (c >= 0x20 && c != 0x7f) || (c & 0x80)) ? c : '?';
	}
	/* No separator after the last line. */
	while (o >= 3 && !memcmp(buf + o - 3, " | ", 3))
		o -= 3;
	buf[o] = '\0';
}

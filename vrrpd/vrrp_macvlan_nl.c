// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The macvlan adapter's netlink session: one NETLINK_ROUTE socket opened on first use, the
 * mapping of libnl's and the kernel's errors to errno, the one log line of a failed request,
 * and the link requests every operation is built from. vrrp_macvlan.c holds the operations.
 */
#include <zebra.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>

#include "lib/log.h"
#include "lib/privs.h"

#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_macvlan.h"
#include "vrrp_macvlan_nl.h"
#include "vrrp_privs.h"

struct nl_sock *mvl_sk;
/*
 * The errno of the kernel's last error reply on mvl_sk. libnl folds errnos into its own codes
 * and loses some (EADDRINUSE becomes NLE_EXIST), so the error callback keeps the original.
 */
int mvl_syserr;
/* libnl's text for the last failure that did not come from the kernel, for the log. */
static const char *mvl_nl_detail;

static int mvl_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	mvl_syserr = e->error < 0 ? -e->error : e->error;
	return NL_STOP;
}

/* Open the socket on first use, and again after a failure closed it. */
static int mvl_sock_open(void)
{
	struct nl_sock *sk;
	int err;

	if (mvl_sk)
		return 0;
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	err = nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, mvl_err_cb, NULL);
	if (err >= 0)
		err = nl_connect(sk, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(sk);
		mvl_nl_detail = nl_geterror(err);
		return err == -NLE_NOMEM ? -ENOMEM : -EIO;
	}
	mvl_sk = sk;
	return 0;
}

void vrrp_macvlan_fini(void)
{
	if (mvl_sk)
		nl_socket_free(mvl_sk);
	mvl_sk = NULL;
}

/* Start a request: open the socket and forget the previous request's error. */
int mvl_begin(void)
{
	mvl_syserr = 0;
	mvl_nl_detail = NULL;
	return mvl_sock_open();
}

int mvl_nlerr2errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_EXIST:
		return EEXIST;
	case NLE_NOADDR:
		return EADDRNOTAVAIL;
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_NODEV:
		return ENODEV;
	case NLE_INTR:
		return EINTR;
	case NLE_AGAIN:
	case NLE_DUMP_INTR:
		return EAGAIN;
	case NLE_BAD_SOCK:
		return EBADF;
	case NLE_INVAL:
		return EINVAL;
	case NLE_RANGE:
		return ERANGE;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_PERM:
		return EPERM;
	case NLE_AF_NOSUPPORT:
		return EAFNOSUPPORT;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_BUSY:
		return EBUSY;
	case NLE_MSGSIZE:
	case NLE_MSG_TRUNC:
	case NLE_MSG_OVERFLOW:
		return EMSGSIZE;
	case NLE_PROTO_MISMATCH:
		return EPROTONOSUPPORT;
	default:
		return EIO;
	}
}

/*
 * Turn a libnl result into 0 or -errno. After a failure the kernel did not answer for (a
 * sequence mismatch, a truncated or interrupted dump, ...) unread replies may be left on the
 * socket, so it is closed; the next request opens a fresh one.
 */
int mvl_end(int nlerr)
{
	if (nlerr >= 0)
		return 0;
	if (mvl_syserr)
		return -mvl_syserr;
	/* rtnl_link_get_kernel() keeps the kernel's errno to itself; these two are answers. */
	if (nlerr != -NLE_NODEV && nlerr != -NLE_OBJ_NOTFOUND) {
		mvl_nl_detail = nl_geterror(nlerr);
		vrrp_macvlan_fini();
	}
	return -mvl_nlerr2errno(nlerr);
}

/* The interface's name for the log; the kernel's, or "ifindex N" once it is gone. */
const char *mvl_ifname(ifindex_t ifindex, char *buf, size_t len)
{
	char name[IF_NAMESIZE];

	if (ifindex > 0 && if_indextoname(ifindex, name))
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "ifindex %d", ifindex);
	return buf;
}

/* The one log line of a failed operation: "cannot <op> macvlan <name>: <error>". */
void mvl_log(const char *op, const char *name, const char *extra, int rc)
{
	if (mvl_nl_detail)
		flog_err(EC_VRRP_MACVLAN, "cannot %s macvlan %s%s: %s (libnl: %s)", op, name,
			 extra ? extra : "", safe_strerror(-rc), mvl_nl_detail);
	else
		flog_err(EC_VRRP_MACVLAN, "cannot %s macvlan %s%s: %s", op, name,
			 extra ? extra : "", safe_strerror(-rc));
	/* Said once; a later failure before the next request must not repeat it. */
	mvl_nl_detail = NULL;
}

/* An ifindex argument the kernel would misread (0 selects by name) is refused up front. */
int mvl_check_ifindex(const char *op, ifindex_t ifindex)
{
	if (ifindex > 0)
		return 0;
	flog_err(EC_VRRP_MACVLAN, "cannot %s macvlan ifindex %d: invalid ifindex", op, ifindex);
	return -EINVAL;
}

/* The kernel's current view of one link, looked up by ifindex, or by name if ifindex is 0. */
int mvl_link_get(ifindex_t ifindex, const char *name, struct rtnl_link **out)
{
	int rc;

	*out = NULL;
	rc = mvl_begin();
	if (rc)
		return rc;
	rc = mvl_end(rtnl_link_get_kernel(mvl_sk, ifindex, ifindex ? NULL : name, out));
	if (!rc && !*out)
		rc = -ENODEV;
	if (rc && *out) {
		rtnl_link_put(*out);
		*out = NULL;
	}
	return rc;
}

/* Apply the attributes set in changes to the link ifindex (RTM_NEWLINK, or RTM_SETLINK). */
int mvl_link_change(ifindex_t ifindex, struct rtnl_link *changes)
{
	struct rtnl_link *orig;
	int rc, err = 0;

	rc = mvl_begin();
	if (rc)
		return rc;
	orig = rtnl_link_alloc();
	if (!orig)
		return -ENOMEM;
	rtnl_link_set_ifindex(orig, ifindex);
	frr_with_privs (&vrrp_privs) {
		err = rtnl_link_change(mvl_sk, orig, changes, 0);
	}
	rtnl_link_put(orig);
	return mvl_end(err);
}

int mvl_link_delete(ifindex_t ifindex)
{
	struct rtnl_link *link;
	int rc, err = 0;

	rc = mvl_begin();
	if (rc)
		return rc;
	link = rtnl_link_alloc();
	if (!link)
		return -ENOMEM;
	rtnl_link_set_ifindex(link, ifindex);
	frr_with_privs (&vrrp_privs) {
		err = rtnl_link_delete(mvl_sk, link);
	}
	rtnl_link_put(link);
	return mvl_end(err);
}

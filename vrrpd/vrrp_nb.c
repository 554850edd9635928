// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The northbound tables: which callback serves which YANG node. Nothing else lives here.
 */
#include <zebra.h>

#include "lib/northbound.h"

#include "vrrp_nb.h"

#define GROUP "/frr-interface:lib/interface/frr-vrrpd:vrrp/vrrp-group"

/* State nodes exist under both v4 and v6; one getter serves both families. */
#define VRRP_AF_STATE(af, announce)                                                               \
	{.xpath = GROUP "/" af "/current-priority",                                               \
	 .cbs = {.get_elem = vrrp_nb_current_priority_get_elem}},                                 \
		{.xpath = GROUP "/" af "/vrrp-interface",                                         \
		 .cbs = {.get_elem = vrrp_nb_vrrp_interface_get_elem}},                           \
		{.xpath = GROUP "/" af "/source-address",                                         \
		 .cbs = {.get_elem = vrrp_nb_source_address_get_elem}},                           \
		{.xpath = GROUP "/" af "/state", .cbs = {.get_elem = vrrp_nb_state_get_elem}},    \
		{.xpath = GROUP "/" af "/master-advertisement-interval",                          \
		 .cbs = {.get_elem = vrrp_nb_master_adver_interval_get_elem}},                    \
		{.xpath = GROUP "/" af "/skew-time",                                              \
		 .cbs = {.get_elem = vrrp_nb_skew_time_get_elem}},                                \
		{.xpath = GROUP "/" af "/counter/state-transition",                               \
		 .cbs = {.get_elem = vrrp_nb_transitions_get_elem}},                              \
		{.xpath = GROUP "/" af "/counter/tx/advertisement",                               \
		 .cbs = {.get_elem = vrrp_nb_adver_tx_get_elem}},                                 \
		{.xpath = GROUP "/" af "/counter/tx/" announce,                                   \
		 .cbs = {.get_elem = vrrp_nb_announce_tx_get_elem}},                              \
	{                                                                                         \
		.xpath = GROUP "/" af "/counter/rx/advertisement",                                \
		.cbs = {.get_elem = vrrp_nb_adver_rx_get_elem }                                   \
	}

/* vrrpd-ext's tracker lists (RFC 8347 names) and the leaves both have. */
#define TRACK_IF GROUP "/vrrpd-ext:track/interfaces/interface"
#define TRACK_NET GROUP "/vrrpd-ext:track/networks/network"
#define VRRP_TRACK_LEAVES(list)                                                                   \
	{.xpath = list "/priority-decrement",                                                     \
	 .cbs = {.modify = vrrp_nb_leaf_modify, .destroy = vrrp_nb_leaf_destroy}},                \
		{.xpath = list "/state", .cbs = {.get_elem = vrrp_nb_track_state_get_elem}},      \
	{                                                                                         \
		.xpath = list "/last-change",                                                     \
		.cbs = {.get_elem = vrrp_nb_track_last_change_get_elem }                          \
	}

/* vrrpd-ext's announcement policy: per router without defaults (absent: the global default). */
#define GARP GROUP "/vrrpd-ext:gratuitous-arp/"
#define GARP_DEFAULTS "/vrrpd-ext:vrrp/defaults/gratuitous-arp/"
#define VRRP_GARP_LEAVES(leaf)                                                                    \
	{.xpath = GARP leaf,                                                                      \
	 .cbs = {.modify = vrrp_nb_leaf_modify,                                                   \
		 .destroy = vrrp_nb_leaf_destroy,                                                 \
		 .cli_show = vrrp_cli_show_garp}},                                                \
	{                                                                                         \
		.xpath = GARP_DEFAULTS leaf,                                                      \
		.cbs = {.modify = vrrp_nb_global_modify,                                          \
			.cli_show = vrrp_cli_show_default_garp }                                  \
	}

/* A notify script (vrrp_nb_notify.c), global or a router's own: path, timeout and user. */
#define VRRP_NOTIFY_SCRIPT(script)                                                                \
	{.xpath = script,                                                                         \
	 .cbs = {.create = vrrp_nb_notify_create,                                                 \
		 .destroy = vrrp_nb_notify_destroy,                                               \
		 .cli_show = vrrp_cli_show_notify_script}},                                       \
		{.xpath = script "/path", .cbs = {.modify = vrrp_nb_notify_path_modify}},         \
		{.xpath = script "/timeout",                                                      \
		 .cbs = {.modify = vrrp_nb_notify_modify, .destroy = vrrp_nb_notify_destroy}},    \
	{                                                                                         \
		.xpath = script "/user",                                                          \
		.cbs = {.modify = vrrp_nb_notify_user_modify,                                     \
			.destroy = vrrp_nb_notify_destroy }                                       \
	}

/* vrrpd-ext's per-peer counters and the old-checksum counter of one family. */
#define VRRP_PEER_STATE(af, next, lookup)                                                         \
	{.xpath = GROUP "/" af "/vrrpd-ext:unicast-peers/peer",                                   \
	 .cbs = {.get_next = next, .get_keys = vrrp_nb_peer_get_keys, .lookup_entry = lookup}},   \
		{.xpath = GROUP "/" af "/vrrpd-ext:unicast-peers/peer/address",                   \
		 .cbs = {.get_elem = vrrp_nb_peer_address_get_elem}},                             \
		{.xpath = GROUP "/" af "/vrrpd-ext:unicast-peers/peer/advertisement-rcvd",        \
		 .cbs = {.get_elem = vrrp_nb_peer_adver_rx_get_elem}},                            \
	{                                                                                         \
		.xpath = GROUP "/" af "/vrrpd-ext:checksum-group-pkts-rcvd",                      \
		.cbs = {.get_elem = vrrp_nb_cksum_group_get_elem }                                \
	}

/* clang-format off */
const struct frr_yang_module_info frr_vrrpd_info = {
	.name = "frr-vrrpd",
	.nodes = {
		{
			.xpath = GROUP,
			.cbs = {
				.create = vrrp_nb_group_create,
				.destroy = vrrp_nb_group_destroy,
				.apply_finish = vrrp_nb_group_apply_finish,
				.get_next = vrrp_nb_group_get_next,
				.get_keys = vrrp_nb_group_get_keys,
				.lookup_entry = vrrp_nb_group_lookup_entry,
				.cli_show = vrrp_cli_show_group,
				.cli_show_end = vrrp_cli_show_group_end,
			},
		},
		{ .xpath = GROUP "/version", .cbs = { .modify = vrrp_nb_leaf_modify } },
		{
			.xpath = GROUP "/priority",
			.cbs = { .modify = vrrp_nb_leaf_modify, .cli_show = vrrp_cli_show_priority },
		},
		{
			.xpath = GROUP "/preempt",
			.cbs = { .modify = vrrp_nb_leaf_modify, .cli_show = vrrp_cli_show_preempt },
		},
		{ .xpath = GROUP "/accept-mode", .cbs = { .modify = vrrp_nb_leaf_modify } },
		{
			.xpath = GROUP "/advertisement-interval",
			.cbs = {
				.modify = vrrp_nb_leaf_modify,
				.cli_show = vrrp_cli_show_adver_interval,
			},
		},
		{
			.xpath = GROUP "/shutdown",
			.cbs = { .modify = vrrp_nb_leaf_modify, .cli_show = vrrp_cli_show_shutdown },
		},
		{
			.xpath = GROUP "/v4/virtual-address",
			.cbs = {
				.create = vrrp_nb_vaddr_create,
				.destroy = vrrp_nb_vaddr_destroy,
				.cli_show = vrrp_cli_show_vaddr,
			},
		},
		VRRP_AF_STATE("v4", "gratuitous-arp"),
		{
			.xpath = GROUP "/v6/virtual-address",
			.cbs = {
				.create = vrrp_nb_vaddr_create,
				.destroy = vrrp_nb_vaddr_destroy,
				.cli_show = vrrp_cli_show_vaddr,
			},
		},
		VRRP_AF_STATE("v6", "neighbor-advertisement"),
		{ .xpath = NULL },
	},
};

const struct frr_yang_module_info vrrpd_ext_info = {
	.name = "vrrpd-ext",
	.nodes = {
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/bad-ip-header", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/bad-ip-header", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/bad-ttl", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/bad-ttl", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/truncated", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/truncated", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/bad-version", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/bad-version", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/bad-type", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/bad-type", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/zero-addr-count", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/zero-addr-count", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/bad-length", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/bad-length", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/bad-checksum", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/bad-checksum", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/bad-interval", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/bad-interval", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/bad-auth-type", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/bad-auth-type", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/first-addr-not-link-local", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/first-addr-not-link-local", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/unknown-vrid", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/unknown-vrid", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/version-mismatch", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/version-mismatch", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/interval-mismatch", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/interval-mismatch", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/queue-overflow", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/queue-overflow", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/not-peer", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/not-peer", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:rx-drops/unexpected-unicast", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:rx-drops/unexpected-unicast", .cbs = { .get_elem = vrrp_nb_rx_drop_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:priority-zero-pkts-rcvd", .cbs = { .get_elem = vrrp_nb_prio0_rx_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:priority-zero-pkts-rcvd", .cbs = { .get_elem = vrrp_nb_prio0_rx_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:priority-zero-pkts-sent", .cbs = { .get_elem = vrrp_nb_prio0_tx_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:priority-zero-pkts-sent", .cbs = { .get_elem = vrrp_nb_prio0_tx_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:last-event", .cbs = { .get_elem = vrrp_nb_last_event_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:last-event", .cbs = { .get_elem = vrrp_nb_last_event_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:last-transition", .cbs = { .get_elem = vrrp_nb_last_transition_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:last-transition", .cbs = { .get_elem = vrrp_nb_last_transition_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:resumes", .cbs = { .get_elem = vrrp_nb_resumes_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:resumes", .cbs = { .get_elem = vrrp_nb_resumes_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:last-adv-source", .cbs = { .get_elem = vrrp_nb_last_adv_source_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:last-adv-source", .cbs = { .get_elem = vrrp_nb_last_adv_source_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:last-adv-priority", .cbs = { .get_elem = vrrp_nb_last_adv_priority_get_elem } },
		{ .xpath = GROUP "/v6/vrrpd-ext:last-adv-priority", .cbs = { .get_elem = vrrp_nb_last_adv_priority_get_elem } },
		{
			.xpath = GROUP "/vrrpd-ext:checksum-with-ipv4-pseudoheader",
			.cbs = {
				.modify = vrrp_nb_leaf_modify,
				.cli_show = vrrp_cli_show_checksum,
			},
		},
		{
			.xpath = GROUP "/vrrpd-ext:checksum-auto",
			.cbs = {
				.modify = vrrp_nb_leaf_modify,
				.cli_show = vrrp_cli_show_checksum_auto,
			},
		},
		{ .xpath = GROUP "/v4/vrrpd-ext:checksum-pseudoheader-pkts-rcvd", .cbs = { .get_elem = vrrp_nb_cksum_rx_get_elem } },
		{ .xpath = GROUP "/v4/vrrpd-ext:checksum-rfc9568-pkts-rcvd", .cbs = { .get_elem = vrrp_nb_cksum_rx_get_elem } },
		{
			.xpath = GROUP "/vrrpd-ext:macvlan-autocreate",
			.cbs = {
				.modify = vrrp_nb_leaf_modify,
				.cli_show = vrrp_cli_show_autocreate,
			},
		},
		{
			.xpath = GROUP "/vrrpd-ext:sync-group",
			.cbs = {
				.modify = vrrp_nb_leaf_modify,
				.destroy = vrrp_nb_leaf_destroy,
				.cli_show = vrrp_cli_show_sync_group,
			},
		},
		{
			.xpath = GROUP "/vrrpd-ext:preempt-hold-time",
			.cbs = {
				.modify = vrrp_nb_leaf_modify,
				.destroy = vrrp_nb_leaf_destroy,
				.cli_show = vrrp_cli_show_preempt_delay,
			},
		},
		{
			.xpath = TRACK_IF,
			.cbs = {
				.create = vrrp_nb_track_if_create,
				.destroy = vrrp_nb_track_destroy,
				.get_next = vrrp_nb_track_if_get_next,
				.get_keys = vrrp_nb_track_get_keys,
				.lookup_entry = vrrp_nb_track_if_lookup_entry,
				.cli_show = vrrp_cli_show_track,
			},
		},
		VRRP_TRACK_LEAVES(TRACK_IF),
		{
			.xpath = TRACK_NET,
			.cbs = {
				.create = vrrp_nb_track_route_create,
				.destroy = vrrp_nb_track_destroy,
				.get_next = vrrp_nb_track_net_get_next,
				.get_keys = vrrp_nb_track_get_keys,
				.lookup_entry = vrrp_nb_track_net_lookup_entry,
				.cli_show = vrrp_cli_show_track,
			},
		},
		VRRP_TRACK_LEAVES(TRACK_NET),
		VRRP_GARP_LEAVES("repeat"),
		VRRP_GARP_LEAVES("delay"),
		VRRP_GARP_LEAVES("refresh"),
		VRRP_NOTIFY_SCRIPT(GROUP "/vrrpd-ext:notify/script"),
		{ .xpath = GROUP "/vrrpd-ext:notify/counters/sent", .cbs = { .get_elem = vrrp_nb_notify_counter_get_elem } },
		{ .xpath = GROUP "/vrrpd-ext:notify/counters/dropped", .cbs = { .get_elem = vrrp_nb_notify_counter_get_elem } },
		{ .xpath = GROUP "/vrrpd-ext:notify/counters/fifo-lines-dropped", .cbs = { .get_elem = vrrp_nb_notify_counter_get_elem } },
		{ .xpath = GROUP "/vrrpd-ext:notify/counters/scripts-succeeded", .cbs = { .get_elem = vrrp_nb_notify_counter_get_elem } },
		{ .xpath = GROUP "/vrrpd-ext:notify/counters/scripts-failed", .cbs = { .get_elem = vrrp_nb_notify_counter_get_elem } },
		{
			.xpath = GROUP "/vrrpd-ext:unicast-peer",
			.cbs = {
				.create = vrrp_nb_peer_create,
				.destroy = vrrp_nb_peer_destroy,
			},
		},
		VRRP_PEER_STATE("v4", vrrp_nb_peer4_get_next, vrrp_nb_peer4_lookup_entry),
		VRRP_PEER_STATE("v6", vrrp_nb_peer6_get_next, vrrp_nb_peer6_lookup_entry),
		{
			.xpath = "/vrrpd-ext:vrrp",
			.cbs = { .apply_finish = vrrp_nb_global_apply_finish },
		},
		{
			.xpath = "/vrrpd-ext:vrrp/autoconfigure",
			.cbs = {
				.create = vrrp_nb_global_create,
				.destroy = vrrp_nb_global_destroy,
				.cli_show = vrrp_cli_show_autoconfigure,
			},
		},
		{
			.xpath = "/vrrpd-ext:vrrp/autoconfigure/version",
			.cbs = { .modify = vrrp_nb_global_modify },
		},
		{
			.xpath = "/vrrpd-ext:vrrp/startup-delay",
			.cbs = {
				.modify = vrrp_nb_global_modify,
				.destroy = vrrp_nb_global_destroy,
				.cli_show = vrrp_cli_show_startup_delay,
			},
		},
		{
			.xpath = "/vrrpd-ext:vrrp/graceful-restart",
			.cbs = {
				.modify = vrrp_nb_global_modify,
				.cli_show = vrrp_cli_show_graceful_restart,
			},
		},
		VRRP_NOTIFY_SCRIPT("/vrrpd-ext:vrrp/notify/script"),
		{
			.xpath = "/vrrpd-ext:vrrp/notify/fifo",
			.cbs = {
				.modify = vrrp_nb_notify_path_modify,
				.destroy = vrrp_nb_notify_destroy,
				.cli_show = vrrp_cli_show_notify_fifo,
			},
		},
		{
			.xpath = "/vrrpd-ext:vrrp/defaults/priority",
			.cbs = { .modify = vrrp_nb_global_modify, .cli_show = vrrp_cli_show_default },
		},
		{
			.xpath = "/vrrpd-ext:vrrp/defaults/advertisement-interval",
			.cbs = { .modify = vrrp_nb_global_modify, .cli_show = vrrp_cli_show_default },
		},
		{
			.xpath = "/vrrpd-ext:vrrp/defaults/preempt",
			.cbs = { .modify = vrrp_nb_global_modify, .cli_show = vrrp_cli_show_default },
		},
		{
			.xpath = "/vrrpd-ext:vrrp/defaults/shutdown",
			.cbs = { .modify = vrrp_nb_global_modify, .cli_show = vrrp_cli_show_default },
		},
		{
			.xpath = "/vrrpd-ext:vrrp/defaults/macvlan-autocreate",
			.cbs = { .modify = vrrp_nb_global_modify, .cli_show = vrrp_cli_show_default },
		},
		{
			.xpath = "/vrrpd-ext:vrrp/defaults/macvlan-autocreate-delay",
			.cbs = {
				.modify = vrrp_nb_global_modify,
				.destroy = vrrp_nb_global_destroy,
				.cli_show = vrrp_cli_show_default,
			},
		},
		{ .xpath = NULL },
	},
};
/* clang-format on */

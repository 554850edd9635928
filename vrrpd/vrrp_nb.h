// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Northbound callbacks of the frr-vrrpd and vrrpd-ext YANG modules: configuration callbacks in
 * vrrp_nb_config.c, state getters in vrrp_nb_state.c, running-config printers in vrrp_vty.c.
 */
#ifndef VRRP_NB_H
#define VRRP_NB_H

#include "lib/northbound.h"

extern const struct frr_yang_module_info frr_vrrpd_info;
extern const struct frr_yang_module_info vrrpd_ext_info;

#define VRRP_XPATH_GROUP "./frr-vrrpd:vrrp/vrrp-group[virtual-router-id='%ld']"
#define VRRP_XPATH_GLOBAL "/vrrpd-ext:vrrp"

/* Configuration: frr-vrrpd. */
int vrrp_nb_group_create(struct nb_cb_create_args *args);
int vrrp_nb_group_destroy(struct nb_cb_destroy_args *args);
void vrrp_nb_group_apply_finish(struct nb_cb_apply_finish_args *args);
int vrrp_nb_leaf_modify(struct nb_cb_modify_args *args);
int vrrp_nb_vaddr_create(struct nb_cb_create_args *args);
int vrrp_nb_vaddr_destroy(struct nb_cb_destroy_args *args);
/* Why an address cannot be a virtual address, or NULL if it can (also vrrp_cfgload.c). */
struct ipaddr;
const char *vrrp_vaddr_problem(const struct ipaddr *ip);
/* Which other router of an interface's vrrp container has address ip (0: none). */
uint8_t vrrp_vaddr_owner(const struct lyd_node *vrrp, const struct ipaddr *ip,
			 const struct lyd_node *self);

/* An interface's entry of the data tree: the running one, or else zebra's of that name. */
struct interface;
struct interface *vrrp_nb_ifp_of(const struct lyd_node *ifnode);

/* Configuration: vrrpd-ext. */
int vrrp_nb_leaf_destroy(struct nb_cb_destroy_args *args);
int vrrp_nb_track_if_create(struct nb_cb_create_args *args);
int vrrp_nb_track_route_create(struct nb_cb_create_args *args);
int vrrp_nb_track_destroy(struct nb_cb_destroy_args *args);
int vrrp_nb_peer_create(struct nb_cb_create_args *args);
int vrrp_nb_peer_destroy(struct nb_cb_destroy_args *args);
int vrrp_nb_global_create(struct nb_cb_create_args *args);
int vrrp_nb_global_destroy(struct nb_cb_destroy_args *args);
int vrrp_nb_global_modify(struct nb_cb_modify_args *args);
void vrrp_nb_global_apply_finish(struct nb_cb_apply_finish_args *args);

/* Configuration: notify scripts and FIFO (vrrp_nb_notify.c). */
int vrrp_nb_notify_create(struct nb_cb_create_args *args);
int vrrp_nb_notify_destroy(struct nb_cb_destroy_args *args);
int vrrp_nb_notify_modify(struct nb_cb_modify_args *args);
int vrrp_nb_notify_path_modify(struct nb_cb_modify_args *args);
int vrrp_nb_notify_user_modify(struct nb_cb_modify_args *args);
/* Whether an enqueued notify change (xpath, value) would fail validation (vrrp_cfgload.c). */
bool vrrp_nb_notify_risky(const char *xpath, const char *value);
struct vrrp_vr;
/* Called by the global and group apply_finish with /vrrpd-ext:vrrp and a vrrp-group. */
void vrrp_nb_notify_load_global(const struct lyd_node *vrrp);
void vrrp_nb_notify_load_vr(struct vrrp_vr *vr, const struct lyd_node *group);

/* State. */
const void *vrrp_nb_group_get_next(struct nb_cb_get_next_args *args);
int vrrp_nb_group_get_keys(struct nb_cb_get_keys_args *args);
const void *vrrp_nb_group_lookup_entry(struct nb_cb_lookup_entry_args *args);
struct yang_data *vrrp_nb_current_priority_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_vrrp_interface_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_source_address_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_state_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_master_adver_interval_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_skew_time_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_transitions_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_adver_tx_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_adver_rx_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_announce_tx_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_rx_drop_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_prio0_rx_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_prio0_tx_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_last_event_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_last_transition_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_resumes_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_cksum_rx_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_last_adv_source_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_last_adv_priority_get_elem(struct nb_cb_get_elem_args *args);
const void *vrrp_nb_track_if_get_next(struct nb_cb_get_next_args *args);
const void *vrrp_nb_track_net_get_next(struct nb_cb_get_next_args *args);
int vrrp_nb_track_get_keys(struct nb_cb_get_keys_args *args);
const void *vrrp_nb_track_if_lookup_entry(struct nb_cb_lookup_entry_args *args);
const void *vrrp_nb_track_net_lookup_entry(struct nb_cb_lookup_entry_args *args);
struct yang_data *vrrp_nb_track_state_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_track_last_change_get_elem(struct nb_cb_get_elem_args *args);
const void *vrrp_nb_peer4_get_next(struct nb_cb_get_next_args *args);
const void *vrrp_nb_peer6_get_next(struct nb_cb_get_next_args *args);
int vrrp_nb_peer_get_keys(struct nb_cb_get_keys_args *args);
const void *vrrp_nb_peer4_lookup_entry(struct nb_cb_lookup_entry_args *args);
const void *vrrp_nb_peer6_lookup_entry(struct nb_cb_lookup_entry_args *args);
struct yang_data *vrrp_nb_peer_address_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_peer_adver_rx_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_cksum_group_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *vrrp_nb_notify_counter_get_elem(struct nb_cb_get_elem_args *args);

/* Running-config printers (vrrp_vty.c). */
void vrrp_cli_show_group(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_priority(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_preempt(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_adver_interval(struct vty *vty, const struct lyd_node *dnode,
				  bool show_defaults);
void vrrp_cli_show_shutdown(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_checksum(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_checksum_auto(struct vty *vty, const struct lyd_node *dnode,
				 bool show_defaults);
void vrrp_cli_show_autocreate(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_track(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_group_end(struct vty *vty, const struct lyd_node *dnode);
void vrrp_cli_show_vaddr(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_autoconfigure(struct vty *vty, const struct lyd_node *dnode,
				 bool show_defaults);
void vrrp_cli_show_default(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_preempt_delay(struct vty *vty, const struct lyd_node *dnode,
				 bool show_defaults);
void vrrp_cli_show_sync_group(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_startup_delay(struct vty *vty, const struct lyd_node *dnode,
				 bool show_defaults);
void vrrp_cli_show_graceful_restart(struct vty *vty, const struct lyd_node *dnode,
				    bool show_defaults);
void vrrp_cli_show_garp(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_default_garp(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
void vrrp_cli_show_notify_script(struct vty *vty, const struct lyd_node *dnode,
				 bool show_defaults);
void vrrp_cli_show_notify_fifo(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);

#endif /* VRRP_NB_H */

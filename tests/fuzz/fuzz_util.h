// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the fuzz targets share: patching the right checksum into a fuzzer-made message, so
 * that the input reaches the code behind the checksum check as often as the fuzzer asks.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include "vrrp_packet.h"

static inline void fuzz_fix_cksum(const struct vrrp_af_ops *af, uint8_t *msg, size_t len,
				  const struct vrrp_rx_meta *meta, bool pseudo)
{
	uint16_t ck;

	if (len < VRRP_HDR_LEN)
		return;
	ck = vrrp_pkt_cksum(af, msg, len, meta, pseudo);
	msg[6] = (uint8_t)(ck >> 8);
	msg[7] = (uint8_t)ck;
}

#endif /* FUZZ_UTIL_H */

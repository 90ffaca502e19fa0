# Rekeying: two of our racoons in host-to-host transport mode (as 31) with
# `lifetime time 30 sec` in the sainfo. racoon installs the SAs with a hard lifetime of
# 30 s and a soft one of 24 s (80 %, the original's PFKEY_SOFT_LIFETIME_RATE); at the
# soft expiry the initiator negotiates a new pair, the kernel sends new packets on it,
# and at the hard expiry the old pair goes on both sides without taking the new one
# with it. A ping every 0.2 s for 75 s (two or three rekeys) must lose nothing, and the
# SPIs at the end are all new.

topo_pair

# spis HOST: the SPIs of the host's SAs, sorted, one a line.
spis() {
	on "$1" ip xfrm state | awk '$1 == "proto" && $3 == "spi" { print $4 }' | sort
}

transport_policies left 10.0.0.1 10.0.0.2
transport_policies right 10.0.0.2 10.0.0.1
psk_racoon_conf left 10.0.0.2 "rekey secret" sainfo="        lifetime time 30 sec;"
psk_racoon_conf right 10.0.0.1 "rekey secret" sainfo="        lifetime time 30 sec;"

for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	load_policies "$BACKEND" left right
	racoon_pair left 10.0.0.1 right 10.0.0.2 "$BACKEND"

	wait_for "a ping left -> right in transport mode" 60 on left ping -c 1 -W 1 10.0.0.2
	first=$(spis left)
	expect_eq "$BACKEND: two SAs before the rekeys" "$(wc -l <<<"$first")" 2
	log "$BACKEND: SPIs at the start: $(echo $first)"
	expect_contains "$BACKEND: soft 24 s, hard 30 s in the kernel" "$(on left ip -s xfrm state)" "expire add: soft 24(sec), hard 30(sec)"

	pings=$(on left ping -i 0.2 -c 375 -W 2 10.0.0.2 | tail -n 3)
	last=$(spis left)
	log "==== $BACKEND: ping"
	printf '%s\n' "$pings"
	log "$BACKEND: SPIs at the end: $(echo $last)"
	log "==== $BACKEND: racoon log, left"
	cat "$LOG1"
	log "==== $BACKEND: racoon log, right"
	cat "$LOG2"

	expect_contains "$BACKEND: no ping lost across the rekeys" "$pings" "375 packets transmitted, 375 received, 0% packet loss"
	[[ -n "$last" ]] || fail "$BACKEND: no SAs left after the rekeys"
	for s in $first; do
		grep -qx "$s" <<<"$last" && fail "$BACKEND: SPI $s of the first pair is still installed"
	done
	log "ok: $BACKEND: the first pair's SPIs are gone, new ones installed"
	# The two SADs are read one after the other, and a hard expiry may fall between the
	# reads (the ping ends about 30 s after a rekey); the sides must agree once it passed.
	same_spis() { [[ "$(spis left)" == "$(spis right)" ]]; }
	same_spis || sleep 3
	expect_eq "$BACKEND: right has the same SPIs as left" "$(spis right)" "$(spis left)"
	expect_contains "$BACKEND: left: soft expiry logged" "$(cat "$LOG1")" "IPsec-SA expired: ESP/Transport"
	rekeys=$(grep -c "IPsec-SA established: ESP/Transport 10.0.0.1->10.0.0.2" "$LOG1")
	((rekeys >= 3)) || fail "$BACKEND: expected at least two rekeys on left, saw $((rekeys - 1))"
	log "ok: $BACKEND: $((rekeys - 1)) rekeys"
	expect_eq "$BACKEND: right never initiated a quick mode" "$(grep -c 'initiate new phase 2' "$LOG2" || true)" 0
	expect_eq "$BACKEND: one ISAKMP-SA on left for all of them" "$(grep -c 'ISAKMP-SA established' "$LOG1")" 1

	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" "$RACOON2" || fail "$BACKEND: racoon did not exit cleanly on SIGTERM"
done

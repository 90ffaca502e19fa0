# Byte lifetimes: two of our racoons in host-to-host transport mode (as 31) with
# `lifetime byte 40 KB` in the sainfo. Quick mode carries SA Life Type kilobytes with
# duration 40; racoon installs every SA with a hard limit of 40960 bytes and a soft one
# of 32768 (80 %, as for time), seen in `setkey -D` and `ip -s xfrm state`. A stream of
# 600-byte pings (150 of them, ~94 KB each way) passes the soft limit twice: at each
# kernel soft EXPIRE on bytes the initiator negotiates a new pair before the hard limit,
# and no ping is lost. The pace leaves the rekey the last 8 KB, five seconds: in CI's
# emulated VM under load a quick mode has taken two (at 1000 bytes every 0.25 s the
# old SA reached its hard limit first and one ping was lost).

topo_pair

# spis HOST: the SPIs of the host's SAs, sorted, one a line.
spis() {
	on "$1" ip xfrm state | awk '$1 == "proto" && $3 == "spi" { print $4 }' | sort
}

transport_policies left 10.0.0.1 10.0.0.2
transport_policies right 10.0.0.2 10.0.0.1
psk_racoon_conf left 10.0.0.2 "bytes secret" sainfo="        lifetime byte 40 KB;"
psk_racoon_conf right 10.0.0.1 "bytes secret" sainfo="        lifetime byte 40 KB;"

for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	load_policies "$BACKEND" left right
	racoon_pair left 10.0.0.1 right 10.0.0.2 "$BACKEND"
	# -t: no warning about an unimplemented feature for `lifetime byte`.
	expect_not_contains "$BACKEND: racoon -t accepts lifetime byte quietly" \
		"$(on left "$LAB_BIN/racoon" -t -f "$(hostdir left)/etc/racoon.conf" 2>&1)" "not implemented"

	wait_for "a ping left -> right in transport mode" 60 on left ping -c 1 -W 1 10.0.0.2
	first=$(spis left)
	expect_eq "$BACKEND: two SAs before the pings" "$(wc -l <<<"$first")" 2
	sad=$(on left "$LAB_BIN/setkey" --backend "$BACKEND" -D)
	log "==== $BACKEND: setkey -D on left"
	printf '%s\n' "$sad"
	expect_contains "$BACKEND: setkey -D: byte limits" "$sad" "hard: 40960(bytes)	soft: 32768(bytes)"
	expect_eq "$BACKEND: setkey -D: both SAs limited" "$(grep -c 'hard: 40960(bytes)' <<<"$sad")" 2
	xs=$(on right ip -s xfrm state)
	expect_contains "$BACKEND: right's kernel: byte limits" "$xs" "limit: soft 32768(bytes), hard 40960(bytes)"
	expect_contains "$BACKEND: right's kernel: the hour still" "$xs" "expire add: soft 2880(sec), hard 3600(sec)"

	pings=$(on left ping -s 600 -i 0.4 -c 150 -W 2 10.0.0.2 | tail -n 3)
	last=$(spis left)
	log "==== $BACKEND: ping"
	printf '%s\n' "$pings"
	log "$BACKEND: SPIs at the start: $(echo $first); at the end: $(echo $last)"
	log "==== $BACKEND: racoon log, left"
	cat "$LOG1"
	log "==== $BACKEND: racoon log, right"
	cat "$LOG2"
	log "==== $BACKEND: ip -s xfrm state on left"
	on left ip -s xfrm state

	expect_contains "$BACKEND: no ping lost across the byte rekeys" "$pings" "150 packets transmitted, 150 received, 0% packet loss"
	expect_contains "$BACKEND: left: soft expiry logged" "$(cat "$LOG1")" "IPsec-SA expired: ESP/Transport"
	rekeys=$(grep -c "IPsec-SA established: ESP/Transport 10.0.0.1->10.0.0.2" "$LOG1")
	((rekeys >= 3)) || fail "$BACKEND: expected at least two byte rekeys on left, saw $((rekeys - 1))"
	log "ok: $BACKEND: $((rekeys - 1)) rekeys on bytes"
	# No SA ever carried more than its hard limit: the kernel counted, the pair moved on.
	over=$(on left ip -s xfrm state | awk '/lifetime current:/ { getline; if ($1 + 0 > 40960) print }')
	expect_eq "$BACKEND: no SA past 40960 bytes" "$over" ""
	# The pair in use at the end is a new one: its outbound SPI is not the first's.
	now_out=$(grep -o "IPsec-SA established: ESP/Transport 10.0.0.1->10.0.0.2 spi=[0-9]*" "$LOG1" | tail -n 1)
	first_out=$(grep -o "IPsec-SA established: ESP/Transport 10.0.0.1->10.0.0.2 spi=[0-9]*" "$LOG1" | head -n 1)
	[[ "$now_out" != "$first_out" ]] || fail "$BACKEND: still on the first outbound SA"

	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" || fail "$BACKEND: racoon on left did not exit cleanly"
	wait "$RACOON2" || fail "$BACKEND: racoon on right did not exit cleanly"
	on left ip xfrm state flush
	on right ip xfrm state flush
done

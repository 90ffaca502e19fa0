# Host-to-host transport mode between two of our racoons: left (10.0.0.1) and right
# (10.0.0.2) each load `spdadd A B any -P out ipsec esp/transport//require;` and its
# mirror with setkey, and run racoon with an address `remote` and `sainfo anonymous`.
# The policies cover everything between the hosts, IKE included, so racoon's sockets
# must bypass them (as the original's do). A ping comes up and crosses as ESP; both
# logs show "IPsec-SA established: ESP/Transport". Then SIGTERM to left's racoon only:
# it sends DELETE payloads, so right's racoon, still running, removes its SAs too.

topo_pair

transport_policies left 10.0.0.1 10.0.0.2
transport_policies right 10.0.0.2 10.0.0.1
psk_racoon_conf left 10.0.0.2 "transport secret" sainfo="        pfs_group modp1024;"
psk_racoon_conf right 10.0.0.1 "transport secret" sainfo="        pfs_group modp1024;"

for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	load_policies "$BACKEND" left right
	racoon_pair left 10.0.0.1 right 10.0.0.2 "$BACKEND"

	capture left to-right wire "host 10.0.0.1 and host 10.0.0.2"
	wait_for "a ping left -> right in transport mode" 60 on left ping -c 1 -W 1 10.0.0.2
	on left ping -c 3 -i 0.3 -W 2 10.0.0.2 >/dev/null || fail "pings after the SAs came up were lost"
	wire=$(capture_text wire)

	log "==== $BACKEND: racoon log, left"
	cat "$LOG1"
	log "==== $BACKEND: racoon log, right"
	cat "$LOG2"
	sad=$(on left "$LAB_BIN/setkey" --backend "$BACKEND" -D)
	log "==== $BACKEND: setkey -D on left"
	printf '%s\n' "$sad"

	expect_contains "$BACKEND: IKE on the wire" "$wire" "10.0.0.1.500 > 10.0.0.2.500"
	expect_contains "$BACKEND: ESP on the wire" "$wire" "10.0.0.1 > 10.0.0.2: ESP"
	expect_contains "$BACKEND: ESP back on the wire" "$wire" "10.0.0.2 > 10.0.0.1: ESP"
	expect_not_contains "$BACKEND: no clear ICMP" "$wire" "ICMP echo"
	for f in "$LOG1" "$LOG2"; do
		expect_contains "$BACKEND: $f: phase 1" "$(cat "$f")" "ISAKMP-SA established 10.0.0."
		expect_contains "$BACKEND: $f: phase 2 inbound" "$(cat "$f")" "IPsec-SA established: ESP/Transport"
	done
	expect_contains "$BACKEND: left: outbound SA" "$(cat "$LOG1")" "IPsec-SA established: ESP/Transport 10.0.0.1->10.0.0.2 spi="
	expect_contains "$BACKEND: left: inbound SA" "$(cat "$LOG1")" "IPsec-SA established: ESP/Transport 10.0.0.2->10.0.0.1 spi="
	expect_contains "$BACKEND: left SAD: outbound ESP SA" "$sad" "10.0.0.1 10.0.0.2 
	esp mode=transport"
	expect_contains "$BACKEND: left SAD: inbound ESP SA" "$sad" "10.0.0.2 10.0.0.1 
	esp mode=transport"
	expect_eq "$BACKEND: left SAD: exactly the two ESP SAs" "$(grep -c 'esp mode=transport' <<<"$sad")" 2
	expect_eq "$BACKEND: right SAD: two SAs" "$(on right ip xfrm state | grep -c '^src ')" 2

	# SIGTERM to left only: its DELETEs make right's racoon drop the pair and the
	# ISAKMP-SA, while right's racoon keeps running.
	kill -TERM "$RACOON1"
	wait "$RACOON1" || fail "$BACKEND: racoon on left did not exit cleanly on SIGTERM"
	expect_eq "$BACKEND: left SAD empty after SIGTERM" "$(on left ip xfrm state)" ""
	wait_for "right's SAD emptied by left's DELETEs" 10 test -z "$(on right ip xfrm state)"
	kill -0 "$RACOON2" 2>/dev/null || fail "$BACKEND: racoon on right is not running any more"
	log "==== $BACKEND: racoon log, left, after SIGTERM"
	tail -n 6 "$LOG1"
	log "==== $BACKEND: racoon log, right, after left's SIGTERM"
	tail -n 4 "$LOG2"
	expect_contains "$BACKEND: left: caught signal" "$(cat "$LOG1")" "INFO: caught signal 15"
	expect_contains "$BACKEND: left: shutdown" "$(cat "$LOG1")" "shutdown"
	expect_contains "$BACKEND: left: ISAKMP-SA deleted" "$(cat "$LOG1")" "ISAKMP-SA deleted 10.0.0.1[500]-10.0.0.2[500]"
	expect_contains "$BACKEND: right: IPsec-SA purged" "$(cat "$LOG2")" "purged IPsec-SA proto_id=ESP spi="
	expect_contains "$BACKEND: right: ISAKMP-SA purged" "$(cat "$LOG2")" "ISAKMP-SA deleted 10.0.0.2[500]-10.0.0.1[500]"
	expect_eq "$BACKEND: right SAD empty, its racoon still running" "$(on right ip xfrm state)" ""

	kill -TERM "$RACOON2"
	wait "$RACOON2" || fail "$BACKEND: racoon on right did not exit cleanly on SIGTERM"
done

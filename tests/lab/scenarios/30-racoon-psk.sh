# The KAME HOWTO 4.3.1 (racoon with pre-shared keys) as shown: the policy-only setkey
# file on each gateway (mirrored on gw2), racoon.conf from the seed with the psk file
# in the host's etc/, two of our racoons started with `racoon -F -f`. A ping from lan1
# to lan2 triggers the ACQUIRE; the racoons negotiate main mode and quick mode, install
# the SAs, and the ping crosses as ESP between the gateways. Both logs show the
# seed's lines and `setkey -D` on gw1 the two ESP SAs.

topo_kame_gateways

for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	kame_policies "$BACKEND"

	kame_racoon_conf gw1 192.168.2.100 172.16.1.0/24 172.16.2.0/24 192.168.2.100 "simple psk"
	kame_racoon_conf gw2 192.168.1.100 172.16.2.0/24 172.16.1.0/24 192.168.1.100 "simple psk"
	racoon_pair gw1 192.168.1.100 gw2 192.168.2.100 "$BACKEND"

	capture inet to-gw1 wire "host 192.168.1.100 and host 192.168.2.100"
	# The first pings only trigger the ACQUIRE; the tunnel is up once one gets through.
	wait_for "a ping lan1 -> lan2 through the negotiated tunnel" 60 \
		on lan1 ping -c 1 -W 1 172.16.2.10
	on lan1 ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "pings after the tunnel came up were lost"
	wire=$(capture_text wire)

	log "==== $BACKEND: racoon log, gw1"
	cat "$LOG1"
	log "==== $BACKEND: racoon log, gw2"
	cat "$LOG2"
	log "==== $BACKEND: setkey -D on gw1"
	sad=$(on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -D)
	printf '%s\n' "$sad"
	log "==== $BACKEND: the wire between the gateways (ESP lines)"
	grep ESP <<<"$wire" | head -n 6 || true

	expect_contains "$BACKEND: IKE on the wire" "$wire" "192.168.1.100.500 > 192.168.2.100.500"
	expect_contains "$BACKEND: ESP on the wire" "$wire" "192.168.1.100 > 192.168.2.100: ESP"
	expect_contains "$BACKEND: ESP back on the wire" "$wire" "192.168.2.100 > 192.168.1.100: ESP"
	expect_not_contains "$BACKEND: no clear ICMP between the gateways" "$wire" "ICMP echo"
	for f in "$LOG1" "$LOG2"; do
		expect_contains "$BACKEND: $f: phase 1" "$(cat "$f")" "ISAKMP-SA established"
		expect_contains "$BACKEND: $f: phase 2" "$(cat "$f")" "IPsec-SA established: ESP/Tunnel"
	done
	# setkey -D prints "SRC DST " (with the original's trailing blank), then the SA.
	expect_contains "$BACKEND: gw1 SAD: outbound ESP SA" "$sad" "192.168.1.100 192.168.2.100 
	esp mode=tunnel"
	expect_contains "$BACKEND: gw1 SAD: inbound ESP SA" "$sad" "192.168.2.100 192.168.1.100 
	esp mode=tunnel"
	expect_eq "$BACKEND: gw1 SAD: exactly the two ESP SAs" "$(grep -c 'esp mode=tunnel' <<<"$sad")" 2

	# SIGTERM: racoon removes the SAs it installed and exits.
	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" "$RACOON2" || fail "$BACKEND: racoon did not exit cleanly on SIGTERM"
	expect_eq "$BACKEND: gw1 SAD empty after racoon's SIGTERM" "$(on gw1 ip xfrm state)" ""
	expect_eq "$BACKEND: gw2 SAD empty after racoon's SIGTERM" "$(on gw2 ip xfrm state)" ""

done

# Aggressive mode with FQDN identities: the KAME HOWTO 4.3.1 layout of 30-racoon-psk,
# but each racoon.conf says `exchange_mode aggressive;`, names itself with
# `my_identifier fqdn "gwN.example.org";` and insists on the peer's name
# (`peers_identifier` + `verify_identifier on`), and psk.txt holds the key under the
# peer's FQDN only (no address line, so only the lookup by the received ID finds it).
# A ping from lan1 to lan2 triggers the ACQUIRE; the racoons negotiate aggressive mode
# and quick mode, and the ping crosses as ESP. Both logs show the aggressive-mode
# lines; the wire shows the aggressive exchange.

topo_kame_gateways

# racoon_conf HOST PEER LOCAL-LAN PEER-LAN MY-FQDN PEER-FQDN
racoon_conf() {
	kame_racoon_conf "$1" "$2" "$3" "$4" "$6" "an aggressive secret" \
		-e "s#exchange_mode main;#exchange_mode aggressive;\n\tmy_identifier fqdn \"$5\";\n\tpeers_identifier fqdn \"$6\";\n\tverify_identifier on;#"
}

for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	kame_policies "$BACKEND"

	racoon_conf gw1 192.168.2.100 172.16.1.0/24 172.16.2.0/24 gw1.example.org gw2.example.org
	racoon_conf gw2 192.168.1.100 172.16.2.0/24 172.16.1.0/24 gw2.example.org gw1.example.org
	log "==== racoon.conf on gw1"
	cat "$(hostdir gw1)/etc/racoon.conf"
	racoon_pair gw1 192.168.1.100 gw2 192.168.2.100 "$BACKEND"

	capture inet to-gw1 wire "host 192.168.1.100 and host 192.168.2.100"
	wait_for "a ping lan1 -> lan2 through the negotiated tunnel" 60 \
		on lan1 ping -c 1 -W 1 172.16.2.10
	on lan1 ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "pings after the tunnel came up were lost"
	wire=$(capture_text wire)

	log "==== $BACKEND: racoon log, gw1"
	cat "$LOG1"
	log "==== $BACKEND: racoon log, gw2"
	cat "$LOG2"
	log "==== $BACKEND: the wire between the gateways (IKE and the first ESP lines)"
	grep -E 'isakmp|ESP' <<<"$wire" | head -n 10 || true

	expect_contains "$BACKEND: aggressive exchange from gw1" "$wire" "192.168.1.100.500 > 192.168.2.100.500: isakmp: phase 1 I agg"
	expect_contains "$BACKEND: aggressive answer from gw2" "$wire" "192.168.2.100.500 > 192.168.1.100.500: isakmp: phase 1 R agg"
	expect_not_contains "$BACKEND: no main mode" "$wire" "phase 1 I ident"
	expect_contains "$BACKEND: ESP on the wire" "$wire" "192.168.1.100 > 192.168.2.100: ESP"
	expect_contains "$BACKEND: ESP back on the wire" "$wire" "192.168.2.100 > 192.168.1.100: ESP"
	expect_not_contains "$BACKEND: no clear ICMP between the gateways" "$wire" "ICMP echo"
	log1=$(cat "$LOG1") log2=$(cat "$LOG2")
	expect_contains "$BACKEND: gw1 initiates" "$log1" "initiate new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
	expect_contains "$BACKEND: gw2 responds" "$log2" "respond new phase 1 negotiation: 192.168.2.100[500]<=>192.168.1.100[500]"
	for l in "$log1" "$log2"; do
		expect_contains "$BACKEND: aggressive mode" "$l" "begin Aggressive mode."
		expect_contains "$BACKEND: phase 1" "$l" "ISAKMP-SA established"
		expect_contains "$BACKEND: phase 2" "$l" "IPsec-SA established: ESP/Tunnel"
		expect_not_contains "$BACKEND: key found by the FQDN" "$l" "pskey"
		expect_not_contains "$BACKEND: the peer's ID is the expected one" "$l" "No ID match."
	done
	sad=$(on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -D)
	expect_eq "$BACKEND: gw1 SAD: exactly the two ESP SAs" "$(grep -c 'esp mode=tunnel' <<<"$sad")" 2

	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" "$RACOON2" || fail "$BACKEND: racoon did not exit cleanly on SIGTERM"
	expect_eq "$BACKEND: gw1 SAD empty after racoon's SIGTERM" "$(on gw1 ip xfrm state)" ""
	expect_eq "$BACKEND: gw2 SAD empty after racoon's SIGTERM" "$(on gw2 ip xfrm state)" ""
done

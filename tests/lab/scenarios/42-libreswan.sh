# Our racoon against Libreswan's pluto (Debian's 4.10, built with IKEv1): IKEv1 main
# mode with a pre-shared key, the KAME HOWTO's gateway layout. gw1 runs our racoon over
# the seed's policy-only setkey file; gw2 runs pluto (`ikev2=no`, `auto=route`), from
# the copy scripts/setup unpacked, with its own NSS database.
#   round 1: a ping from lan1 makes racoon initiate; pluto responds.
#   pluto takes the connection down: its deletes make racoon remove its SAs.
#   round 2: a ping from lan2 makes pluto initiate; racoon responds.
# Each round: the ping crosses, the wire shows ESP and no clear ICMP, racoon logs the
# original's lines and pluto reports both SAs established.

LSW=$LAB_ROOT/tests/lab/libreswan
PSK='interop psk 42'
topo_kame_gateways

racoon_gw1 "$LAB_ROOT/tests/lab/strongswan/racoon-main.conf" 192.168.2.100 "$PSK" \
	REMOTE=192.168.2.100 LOCAL_TS=172.16.1.0/24 REMOTE_TS=172.16.2.0/24
dir2=$(hostdir gw2)
lab_template "$LSW/ipsec.conf" "$dir2/etc/ipsec.conf" "DIR=$dir2" \
	LOCAL=192.168.2.100 REMOTE=192.168.1.100 LOCAL_TS=172.16.2.0/24 REMOTE_TS=172.16.1.0/24
lab_template "$LSW/ipsec.secrets" "$dir2/etc/ipsec.secrets" LOCAL=192.168.2.100 REMOTE=192.168.1.100 "PSK=$PSK"
pluto_start gw2
PLUTO_LOG=$dir2/log/pluto.log
# Debian's build still has IKEv1: pluto accepts the ikev2=no connection.
expect_contains "pluto accepted the IKEv1 connection" "$(cat "$PLUTO_LOG")" '"lab": added IKEv1 connection'
expect_not_contains "pluto did not refuse IKEv1" "$(cat "$PLUTO_LOG")" "does not allow IKEv1"
# auto=route: pluto's trap policy makes a ping from lan2 raise an ACQUIRE.
if ! wait_for_quiet 30 eval 'on gw2 ip xfrm policy | grep "src 172.16.2.0/24 dst 172.16.1.0/24" >/dev/null'; then
	log "no trap policy yet; whack --route:"
	whack_on gw2 --name lab --route || true
fi
grep -F '"lab"' "$PLUTO_LOG" || true
on gw2 ip xfrm policy | grep -A3 "src 172.16" || fail "pluto installed no policy for the tunnel on gw2"

# pluto_round NAME FROM TO: peer_round, then pluto's view of it.
pluto_round() {
	local r=$1 status
	peer_round "$@"
	status=$(whack_on gw2 --status | grep -E '^[0-9]+ #[0-9]+:') || true
	log "==== $r: pluto's states on gw2"
	printf '%s\n' "$status"
	expect_contains "$r: pluto: IKE SA established" "$status" "(IKE SA established)"
	expect_contains "$r: pluto: IPsec SA established" "$status" "(IPsec SA established)"
	expect_contains "$r: pluto: ESP tunnel to racoon" "$status" "tun.0@192.168.1.100 tun.0@192.168.2.100"
}

log "---- round 1: racoon initiates (ping from lan1)"
pluto_round "round 1" lan1 172.16.2.10
expect_contains "round 1: racoon initiated" "$ROUND_LOG" "initiate new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
expect_contains "round 1: main mode" "$ROUND_LOG" "begin Identity Protection mode."

log "---- pluto takes the connection down"
peer_mark
whack_on gw2 --name lab --terminate || fail "whack --terminate failed"
wait_for "racoon removed its SAs after pluto's deletes" 20 sad_empty gw1
wait_for "gw2 SAD empty after the terminate" 10 sad_empty gw2
peer_log
# auto=route: the trap policy must be back (or stay) so that lan2's ping triggers pluto.
whack_on gw2 --name lab --route >/dev/null 2>&1 || true

log "---- round 2: pluto initiates (ping from lan2)"
pluto_round "round 2" lan2 172.16.1.10
expect_contains "round 2: racoon responded" "$ROUND_LOG" "respond new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
expect_not_contains "round 2: racoon did not initiate" "$ROUND_LOG" "initiate new phase 1 negotiation"

kill -TERM "$RACOON_PID"
wait "$RACOON_PID" || fail "racoon did not exit cleanly on SIGTERM"
expect_eq "gw1 SAD empty after racoon's SIGTERM" "$(on gw1 ip xfrm state)" ""
log "==== pluto's log on gw2 (without its start-up self tests)"
grep -v -E '^.{20,30}: +(Encrypting|Decrypting|RFC|CAVP|NIST|testing)|: testing ' "$PLUTO_LOG" || true

# Our racoon against strongSwan's charon in IKEv1 aggressive mode with a pre-shared key
# and FQDN identities (strongSwan's rw-psk-aggressive, as a tunnel between the KAME
# LANs). racoon on gw1 says `my_identifier fqdn "gw1.example.org"` and insists on
# `peers_identifier fqdn "gw2.example.org"` (verify_identifier on); its psk.txt holds
# the key under the FQDN only, so only the lookup by the received ID finds it. charon
# on gw2 uses the mirror identities (aggressive = yes).
#   round 1: a ping from lan1 makes racoon initiate; charon responds.
#   charon terminates; its deletes make racoon remove its SAs.
#   round 2: a ping from lan2 makes charon initiate; racoon responds.
# Each round: aggressive mode on the wire, ping crosses as ESP, racoon logs the
# original's lines, charon lists the SA with the FQDN identities.

SWAN=$LAB_ROOT/tests/lab/strongswan
PSK='interop aggressive psk 41'
topo_kame_gateways

racoon_gw1 "$SWAN/racoon-aggressive.conf" gw2.example.org "$PSK" \
	REMOTE=192.168.2.100 MY_ID=gw1.example.org PEER_ID=gw2.example.org \
	LOCAL_TS=172.16.1.0/24 REMOTE_TS=172.16.2.0/24
lab_template "$SWAN/net2net.conf" "$(hostdir gw2)/etc/swanctl.conf" AGGRESSIVE=yes \
	LOCAL=192.168.2.100 REMOTE=192.168.1.100 LOCAL_ID=gw2.example.org REMOTE_ID=gw1.example.org \
	LOCAL_TS=172.16.2.0/24 REMOTE_TS=172.16.1.0/24 "PSK=$PSK" \
	IKE=aes128-sha256-modp2048 ESP=aes128-sha1-modp2048
charon_start gw2
swanctl_on gw2 --load-all --file "$(hostdir gw2)/etc/swanctl.conf" >"$(hostdir gw2)/log/swanctl-load.log" 2>&1 ||
	fail "swanctl could not load gw2's connection"

# charon_round NAME FROM TO: peer_round, then aggressive mode and charon's view.
charon_round() {
	local r=$1
	peer_round "$@"
	local sas
	sas=$(swanctl_on gw2 --list-sas 2>/dev/null)
	log "==== $r: swanctl --list-sas on gw2"
	printf '%s\n' "$sas"
	expect_contains "$r: racoon: aggressive mode" "$ROUND_LOG" "begin Aggressive mode."
	expect_not_contains "$r: racoon: the peer's ID is the expected one" "$ROUND_LOG" "No ID match."
	expect_contains "$r: charon: IKEv1 SA established" "$sas" "ESTABLISHED, IKEv1"
	expect_contains "$r: charon: our FQDN" "$sas" "local  'gw2.example.org' @ 192.168.2.100[500]"
	expect_contains "$r: charon: racoon's FQDN" "$sas" "remote 'gw1.example.org' @ 192.168.1.100[500]"
	expect_contains "$r: charon: CHILD_SA installed" "$sas" "INSTALLED, TUNNEL, ESP:AES_CBC-128/HMAC_SHA1_96/MODP_2048"
	expect_contains "$r: charon: aggressive mode" "$(cat "$(hostdir gw2)/log/charon.log")" "Aggressive Mode"
}

log "---- round 1: racoon initiates (ping from lan1)"
charon_round "round 1" lan1 172.16.2.10
expect_contains "round 1: racoon initiated" "$ROUND_LOG" "initiate new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"

log "---- charon terminates the connection"
peer_mark
swanctl_on gw2 --terminate --ike lab >/dev/null 2>&1 || fail "swanctl --terminate failed"
wait_for "racoon removed its SAs after charon's deletes" 20 sad_empty gw1
expect_eq "gw2 SAD empty after the terminate" "$(on gw2 ip xfrm state)" ""
peer_log

log "---- round 2: charon initiates (ping from lan2)"
charon_round "round 2" lan2 172.16.1.10
expect_contains "round 2: racoon responded" "$ROUND_LOG" "respond new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
expect_not_contains "round 2: racoon did not initiate" "$ROUND_LOG" "initiate new phase 1 negotiation"

kill -TERM "$RACOON_PID"
wait "$RACOON_PID" || fail "racoon did not exit cleanly on SIGTERM"
expect_eq "gw1 SAD empty after racoon's SIGTERM" "$(on gw1 ip xfrm state)" ""
log "==== charon's log on gw2"
cat "$(hostdir gw2)/log/charon.log"

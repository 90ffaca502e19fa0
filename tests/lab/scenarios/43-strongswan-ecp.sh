# Our racoon against strongSwan's charon with the elliptic-curve groups of RFC 5903:
# IKEv1 main mode with a pre-shared key over ECP group 19 (racoon's `dh_group ecp256`,
# charon's ecp256) and quick mode with PFS over ECP group 20 (`pfs_group ecp384`), in
# the KAME HOWTO's gateway layout.
#   round 1: a ping from lan1 makes racoon initiate; charon responds.
#   charon terminates; round 2: a ping from lan2 makes charon initiate; racoon responds.
# Each round: the ping crosses over ESP, racoon logs the original's lines, and charon
# lists the IKE SA with ECP_256 and the CHILD_SA with ECP_384.

SWAN=$LAB_ROOT/tests/lab/strongswan
PSK='interop psk 43'
topo_kame_gateways

racoon_gw1 "$SWAN/racoon-ecp.conf" 192.168.2.100 "$PSK" \
	REMOTE=192.168.2.100 LOCAL_TS=172.16.1.0/24 REMOTE_TS=172.16.2.0/24
lab_template "$SWAN/net2net.conf" "$(hostdir gw2)/etc/swanctl.conf" AGGRESSIVE=no \
	LOCAL=192.168.2.100 REMOTE=192.168.1.100 LOCAL_ID=192.168.2.100 REMOTE_ID=192.168.1.100 \
	LOCAL_TS=172.16.2.0/24 REMOTE_TS=172.16.1.0/24 "PSK=$PSK" \
	IKE=aes128-sha256-ecp256 ESP=aes128-sha1-ecp384
[[ -e /usr/lib/ipsec/plugins/libstrongswan-openssl.so ]] ||
	fail "charon's openssl plugin, which has the ECP groups, is missing: install libstrongswan-standard-plugins (scripts/setup)"
CHARON_TEMPLATE=$SWAN/strongswan-ecp.conf charon_start gw2
swanctl_on gw2 --load-all --file "$(hostdir gw2)/etc/swanctl.conf" >"$(hostdir gw2)/log/swanctl-load.log" 2>&1 ||
	fail "swanctl could not load gw2's connection"

# ecp_round NAME FROM TO: peer_round, then charon's view of the groups.
ecp_round() {
	peer_round "$@"
	local sas
	sas=$(swanctl_on gw2 --list-sas 2>/dev/null)
	log "==== $1: swanctl --list-sas on gw2"
	printf '%s\n' "$sas"
	expect_contains "$1: charon: IKEv1 SA established" "$sas" "ESTABLISHED, IKEv1"
	expect_contains "$1: charon: IKE SA over ECP group 19" "$sas" "AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256"
	expect_contains "$1: charon: CHILD_SA installed" "$sas" "INSTALLED, TUNNEL"
	expect_contains "$1: charon: PFS over ECP group 20" "$sas" "ESP:AES_CBC-128/HMAC_SHA1_96/ECP_384"
}

log "---- round 1: racoon initiates (ping from lan1)"
ecp_round "round 1" lan1 172.16.2.10
expect_contains "round 1: racoon initiated" "$ROUND_LOG" "initiate new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
expect_contains "round 1: main mode" "$ROUND_LOG" "begin Identity Protection mode."

log "---- charon terminates the connection"
swanctl_on gw2 --terminate --ike lab >/dev/null 2>&1 || fail "swanctl --terminate failed"
wait_for "racoon removed its SAs after charon's deletes" 20 sad_empty gw1

log "---- round 2: charon initiates (ping from lan2)"
ecp_round "round 2" lan2 172.16.1.10
expect_contains "round 2: racoon responded" "$ROUND_LOG" "respond new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
expect_not_contains "round 2: racoon did not initiate" "$ROUND_LOG" "initiate new phase 1 negotiation"

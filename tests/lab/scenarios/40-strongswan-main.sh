# Our racoon against strongSwan's charon: IKEv1 main mode with a pre-shared key, the
# KAME HOWTO's gateway layout. gw1 runs our racoon over the seed's policy-only setkey
# file; gw2 runs charon with a swanctl connection (version 1, start_action=trap).
#   round 1: a ping from lan1 makes racoon initiate; charon responds.
#   charon terminates: its delete payloads must make racoon remove its SAs too.
#   round 2: a ping from lan2 makes charon initiate; racoon responds.
#   round 3: charon rekeys the CHILD_SA (quick mode under the same ISAKMP-SA) and
#            deletes the old one: racoon keeps exactly the new pair.
#   round 4: charon reauthenticates (a new main mode); traffic carries on.
#   round 5: charon offers several suites, first ones racoon lacks; racoon picks
#            AES-128/HMAC-SHA-256 and installs RFC 4868's 128-bit truncation.
#   rounds 6, 7: charon's default 3960 s phase-2 lifetime, then no PFS: racoon refuses
#            with the original's log line and NO-PROPOSAL-CHOSEN, which charon reads.
#   round 8: AES-GCM-16 with a 256-bit key (key and salt from KEYMAT), each side
#            initiating.
# Each round: the ping crosses, the wire shows ESP and no clear ICMP, racoon logs the
# original's lines and charon lists the SAs as established and installed.

SWAN=$LAB_ROOT/tests/lab/strongswan
PSK='interop psk 40'
topo_kame_gateways

racoon_gw1 "$SWAN/racoon-main.conf" 192.168.2.100 "$PSK" \
	REMOTE=192.168.2.100 LOCAL_TS=172.16.1.0/24 REMOTE_TS=172.16.2.0/24
lab_template "$SWAN/net2net.conf" "$(hostdir gw2)/etc/swanctl.conf" AGGRESSIVE=no \
	LOCAL=192.168.2.100 REMOTE=192.168.1.100 LOCAL_ID=192.168.2.100 REMOTE_ID=192.168.1.100 \
	LOCAL_TS=172.16.2.0/24 REMOTE_TS=172.16.1.0/24 "PSK=$PSK" \
	IKE=aes128-sha256-modp2048 ESP=aes128-sha1-modp2048
charon_start gw2
swanctl_on gw2 --load-all --file "$(hostdir gw2)/etc/swanctl.conf" >"$(hostdir gw2)/log/swanctl-load.log" 2>&1 ||
	fail "swanctl could not load gw2's connection"

# charon_round NAME FROM TO: peer_round, then charon's view of it.
charon_round() {
	peer_round "$@"
	local sas
	sas=$(swanctl_on gw2 --list-sas 2>/dev/null)
	log "==== $1: swanctl --list-sas on gw2"
	printf '%s\n' "$sas"
	expect_contains "$1: charon: IKEv1 SA established" "$sas" "ESTABLISHED, IKEv1"
	expect_contains "$1: charon: CHILD_SA installed" "$sas" "INSTALLED, TUNNEL"
	expect_contains "$1: charon: negotiated ESP" "$sas" "ESP:AES_CBC-128/HMAC_SHA1_96/MODP_2048"
}

log "---- round 1: racoon initiates (ping from lan1)"
charon_round "round 1" lan1 172.16.2.10
expect_contains "round 1: racoon initiated" "$ROUND_LOG" "initiate new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
expect_contains "round 1: main mode" "$ROUND_LOG" "begin Identity Protection mode."

log "---- charon terminates the connection"
peer_mark
swanctl_on gw2 --terminate --ike lab >/dev/null 2>&1 || fail "swanctl --terminate failed"
wait_for "racoon removed its SAs after charon's deletes" 20 sad_empty gw1
expect_eq "gw2 SAD empty after the terminate" "$(on gw2 ip xfrm state)" ""
peer_log
expect_contains "racoon honoured charon's ISAKMP delete" "$(peer_log)" "ISAKMP-SA deleted 192.168.1.100[500]-192.168.2.100[500]"

log "---- round 2: charon initiates (ping from lan2)"
charon_round "round 2" lan2 172.16.1.10
expect_contains "round 2: racoon responded" "$ROUND_LOG" "respond new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
expect_not_contains "round 2: racoon did not initiate" "$ROUND_LOG" "initiate new phase 1 negotiation"

log "---- round 3: charon rekeys the CHILD_SA"
old=$(esp_spis gw1)
peer_mark
swanctl_on gw2 --rekey --child lan >/dev/null 2>&1 || fail "swanctl --rekey --child failed"
wait_for "racoon installed the rekeyed SAs" 20 peer_log_has "IPsec-SA established: ESP/Tunnel 192.168.1.100->192.168.2.100"
# charon deletes the old pair 5 s after the rekey (delete_rekeyed): racoon must drop
# exactly those.
wait_for "the old SAs deleted on gw1" 30 esp_count gw1 2
new=$(esp_spis gw1)
log "SPIs on gw1 before: $(echo $old), after: $(echo $new)"
[[ -z $(comm -12 <(echo "$old") <(echo "$new")) ]] || fail "round 3: an old SPI survived the rekey"
expect_eq "round 3: gw1 and gw2 hold the same SAs" "$new" "$(esp_spis gw2)"
on lan2 ping -c 3 -i 0.3 -W 2 172.16.1.10 >/dev/null || fail "round 3: pings after the CHILD_SA rekey were lost"
expect_not_contains "round 3: no new phase 1" "$(peer_log)" "phase 1 negotiation"
log "ok: round 3: ping crosses on the rekeyed SAs"

log "---- round 4: charon reauthenticates (an IKEv1 IKE rekey is a new main mode)"
peer_mark
swanctl_on gw2 --rekey --ike lab >/dev/null 2>&1 || fail "swanctl --rekey --ike failed"
wait_for "racoon established the new ISAKMP-SA" 20 peer_log_has "ISAKMP-SA established"
# charon 5.9 keeps the old IKE_SA (state REKEYING) and its CHILD_SA: traffic carries on.
wait_for "charon lists the new IKE_SA established" 20 \
	eval 'swanctl_on gw2 --list-sas 2>/dev/null | grep "lab: #3, ESTABLISHED, IKEv1" >/dev/null'
on lan2 ping -c 3 -i 0.3 -W 2 172.16.1.10 >/dev/null || fail "round 4: pings after the reauthentication were lost"
on lan1 ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "round 4: pings from lan1 after the reauthentication were lost"
peer_log
swanctl_on gw2 --list-sas 2>/dev/null
log "ok: round 4: ping crosses after the reauthentication"

# reload_charon IKE ESP [SED]: charon's connection with these proposals (SED edits the
# generated swanctl.conf further), after terminating what is up.
reload_charon() {
	local f
	f=$(hostdir gw2)/etc/swanctl.conf
	swanctl_on gw2 --terminate --ike lab >/dev/null 2>&1 || true
	wait_for "no SAs left on gw1" 20 sad_empty gw1
	lab_template "$SWAN/net2net.conf" "$f" AGGRESSIVE=no \
		LOCAL=192.168.2.100 REMOTE=192.168.1.100 LOCAL_ID=192.168.2.100 REMOTE_ID=192.168.1.100 \
		LOCAL_TS=172.16.2.0/24 REMOTE_TS=172.16.1.0/24 "PSK=$PSK" "IKE=$1" "ESP=$2"
	[[ -z ${3:-} ]] || sed -i -e "$3" "$f"
	swanctl_on gw2 --load-conns --file "$f" >>"$(hostdir gw2)/log/swanctl-load.log" 2>&1 ||
		fail "swanctl could not reload gw2's connection"
}

# refused NAME RACOON-LINE: charon initiates (swanctl --initiate); phase 1 comes up,
# racoon refuses the quick mode with RACOON-LINE and NO-PROPOSAL-CHOSEN, which charon
# must read; no SA is installed on either side.
refused() {
	local r=$1 why=$2 clog
	clog=$(hostdir gw2)/log/charon.log
	local cmark=$(($(wc -l <"$clog") + 1))
	peer_mark
	# Initiated by hand: after a refusal the kernel keeps the ACQUIRE's larval state
	# for a while, and a second ping would raise no new ACQUIRE.
	swanctl_on gw2 --initiate --child lan --timeout 20 >/dev/null 2>&1 || true
	wait_for "$r: racoon refused the quick mode" 30 peer_log_has "$why"
	wait_for "$r: charon read racoon's NO-PROPOSAL-CHOSEN" 30 \
		eval 'tail -n "+$cmark" "$clog" | grep "received NO_PROPOSAL_CHOSEN error notify" >/dev/null'
	peer_log
	tail -n "+$cmark" "$clog" | grep -E "NO_PROPOSAL|QUICK_MODE|no acceptable" || true
	# The kernel's larval SA of the ACQUIRE (SPI 0) is not an SA anyone installed.
	expect_eq "$r: no SA on gw1" "$(esp_spis gw1 | grep -vx 0x00000000)" ""
	expect_eq "$r: no SA on gw2" "$(esp_spis gw2 | grep -vx 0x00000000)" ""
}

log "---- round 5: charon offers several suites, some racoon lacks; racoon picks"
# charon's first IKE and ESP proposals are not in racoon.conf (AES-256/SHA-512/modp4096,
# AES-GCM); the next ESP one is AES-128 with HMAC-SHA-256, which racoon's sainfo lists
# second: it must be installed with RFC 4868's 128-bit truncation or no ping crosses.
reload_charon aes256-sha512-modp4096,aes128-sha256-modp2048 \
	aes256gcm16-modp2048,aes128-sha256-modp2048,aes128-sha1-modp2048
peer_round "round 5" lan2 172.16.1.10
sas=$(swanctl_on gw2 --list-sas 2>/dev/null)
printf '%s\n' "$sas"
expect_contains "round 5: IKE proposal 2 chosen" "$sas" "AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"
expect_contains "round 5: ESP proposal 2 chosen" "$sas" "ESP:AES_CBC-128/HMAC_SHA2_256_128/MODP_2048"
expect_contains "round 5: gw1 uses 128-bit HMAC-SHA-256 truncation" "$(on gw1 ip xfrm state)" "auth-trunc hmac(sha256)"
expect_eq "round 5: both gw1 SAs truncate HMAC-SHA-256 to 128 bits" \
	"$(on gw1 ip xfrm state | grep -c 'auth-trunc hmac(sha256) 0x[0-9a-f]* .*128$')" 2

log "---- round 6: charon's default CHILD_SA lifetime (3960 s) against racoon's strict check"
reload_charon aes128-sha256-modp2048 aes128-sha1-modp2048 's/life_time = 3600s/life_time = 3960s/; s/rekey_time = 3000s/rekey_time = 3600s/'
refused "round 6" "long lifetime proposed: my:3600 peer:3960"

log "---- round 7: charon without PFS against racoon's pfs_group modp2048"
reload_charon aes128-sha256-modp2048 aes128-sha1
refused "round 7" "pfs group mismatched: my:14 peer:0"

log "---- round 8: AES-GCM (RFC 4106) in quick mode, each side initiating"
# racoon.conf gains aes_gcm_16 256 with non_auth (SIGHUP); charon offers only
# aes256gcm16. Both must draw the same key and 4-byte salt from KEYMAT, or no ping
# crosses.
conf=$(hostdir gw1)/etc/racoon.conf
sed -i -e '/^sainfo/,/^}/ s/encryption_algorithm aes 128;$/encryption_algorithm aes_gcm_16 256;/' \
	-e 's/authentication_algorithm hmac_sha1, hmac_sha256;/authentication_algorithm non_auth;/' "$conf"
peer_mark
kill -HUP "$RACOON_PID"
# racoon logs a successful reload only with -d; a failed one always.
sleep 2
! peer_log_has "config reload failed" || fail "round 8: racoon could not reload racoon.conf: $(peer_log)"
reload_charon aes128-sha256-modp2048 aes256gcm16-modp2048
for from in lan2:172.16.1.10 lan1:172.16.2.10; do
	peer_round "round 8 from ${from%%:*}" "${from%%:*}" "${from#*:}"
	expect_contains "round 8 from ${from%%:*}: charon: AES-GCM" "$(swanctl_on gw2 --list-sas 2>/dev/null)" "ESP:AES_GCM_16-256/MODP_2048"
	expect_eq "round 8 from ${from%%:*}: gw1 holds two rfc4106 SAs with 256-bit keys and salt" \
		"$(on gw1 ip xfrm state | grep -c 'aead rfc4106(gcm(aes)) 0x[0-9a-f]\{72\} 128$')" 2
	swanctl_on gw2 --terminate --ike lab >/dev/null 2>&1 || true
	wait_for "no SAs left on gw1" 20 sad_empty gw1
done

kill -TERM "$RACOON_PID"
wait "$RACOON_PID" || fail "racoon did not exit cleanly on SIGTERM"
expect_eq "gw1 SAD empty after racoon's SIGTERM" "$(on gw1 ip xfrm state)" ""
log "==== charon's log on gw2"
cat "$(hostdir gw2)/log/charon.log"

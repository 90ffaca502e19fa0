# Our racoon against strongSwan's charon: IKEv1 main mode with a pre-shared key, the
# KAME HOWTO's gateway layout. gw1 runs our racoon over setkey's policy-only file; gw2
# runs charon with a swanctl connection (version 1, start_action=trap). Round 1: a
# ping from lan1 makes racoon initiate, charon responds. Then charon tears the SAs
# down (its deletes must make racoon remove its SAs too). Round 2: a ping from lan2
# makes charon initiate, racoon responds. Each round: the ping crosses, the wire
# between the gateways shows ESP and no clear ICMP, racoon logs the original's lines
# and charon lists the SAs as established and installed.

SEEDS=$LAB_ROOT/tests/seeds
SWAN=$LAB_ROOT/tests/lab/strongswan
PSK='interop psk 40'
topo_kame_gateways

# gw1: our racoon with the seed's policy-only setkey file.
on gw1 "$LAB_BIN/setkey" -f "$SEEDS/kame-racoon-policies-192.168.1.100.conf"
etc1=$(hostdir gw1)/etc
printf '192.168.2.100\t%s\n' "$PSK" >"$etc1/psk.txt"
chmod 600 "$etc1/psk.txt"
lab_template "$SWAN/racoon-main.conf" "$etc1/racoon.conf" "PSKFILE=$etc1/psk.txt" \
	REMOTE=192.168.2.100 LOCAL_TS=172.16.1.0/24 REMOTE_TS=172.16.2.0/24
on gw1 "$LAB_BIN/racoon" -t -f "$etc1/racoon.conf" || fail "racoon -t rejects gw1's racoon.conf"
LOG1=$(hostdir gw1)/log/racoon.log
spawn gw1 racoon-stdout "$LAB_BIN/racoon" -F -f "$etc1/racoon.conf" -l "$LOG1"
RACOON=${LAB_PIDS[-1]}

# gw2: charon with the mirror-image connection.
lab_template "$SWAN/net2net-main.conf" "$(hostdir gw2)/etc/swanctl.conf" \
	LOCAL=192.168.2.100 REMOTE=192.168.1.100 LOCAL_TS=172.16.2.0/24 REMOTE_TS=172.16.1.0/24 "PSK=$PSK"
charon_start gw2
swanctl_on gw2 --load-all --file "$(hostdir gw2)/etc/swanctl.conf" >"$(hostdir gw2)/log/swanctl-load.log" 2>&1 ||
	fail "swanctl could not load gw2's connection"
CHARON_LOG=$(hostdir gw2)/log/charon.log

# The kernel's first SADB_REGISTER probes every algorithm: a minute or two in the VM.
wait_for "racoon on gw1 listening" 200 grep -q "192.168.1.100\[500\] used as isakmp port" "$LOG1"

# round ROUND FROM-HOST TO-ADDR: ping until the tunnel carries it, then check the wire
# and both daemons' views.
# racoon's log from line $MARK on: what this round wrote.
round_log() { tail -n "+$MARK" "$LOG1"; }
# round_has TEXT: this round's racoon log contains TEXT (a fixed string).
round_has() { round_log | grep -qF "$1"; }
round() {
	local r=$1 from=$2 to=$3 wire sas rlog
	MARK=$(($(wc -l <"$LOG1") + 1))
	capture inet to-gw1 "wire$r" "host 192.168.1.100 and host 192.168.2.100"
	wait_for "round $r: a ping $from -> $to through the negotiated tunnel" 60 \
		on "$from" ping -c 1 -W 1 "$to"
	on "$from" ping -c 3 -i 0.3 -W 2 "$to" >/dev/null || fail "round $r: pings after the tunnel came up were lost"
	wire=$(capture_text "wire$r")
	sas=$(swanctl_on gw2 --list-sas 2>/dev/null)
	rlog=$(round_log)
	log "==== round $r: racoon log, gw1"
	printf '%s\n' "$rlog"
	log "==== round $r: swanctl --list-sas on gw2"
	printf '%s\n' "$sas"
	log "==== round $r: the wire between the gateways"
	printf '%s\n' "$wire" | head -n 20

	expect_contains "round $r: IKE on the wire" "$wire" "192.168.1.100.500 > 192.168.2.100.500"
	expect_contains "round $r: ESP on the wire" "$wire" "192.168.1.100 > 192.168.2.100: ESP"
	expect_contains "round $r: ESP back on the wire" "$wire" "192.168.2.100 > 192.168.1.100: ESP"
	expect_not_contains "round $r: no clear ICMP between the gateways" "$wire" "ICMP echo"
	expect_contains "round $r: racoon: phase 1" "$rlog" "ISAKMP-SA established 192.168.1.100[500]-192.168.2.100[500]"
	expect_contains "round $r: racoon: phase 2 out" "$rlog" "IPsec-SA established: ESP/Tunnel 192.168.1.100->192.168.2.100"
	expect_contains "round $r: racoon: phase 2 in" "$rlog" "IPsec-SA established: ESP/Tunnel 192.168.2.100->192.168.1.100"
	expect_contains "round $r: charon: IKEv1 SA established" "$sas" "ESTABLISHED, IKEv1"
	expect_contains "round $r: charon: CHILD_SA installed" "$sas" "INSTALLED, TUNNEL"
	expect_contains "round $r: charon: negotiated ESP" "$sas" "ESP:AES_CBC-128/HMAC_SHA1_96/MODP_2048"
	expect_eq "round $r: gw1 has the two ESP SAs" "$(on gw1 ip xfrm state | grep -c '^	proto esp')" 2
}

log "---- round 1: racoon initiates (ping from lan1)"
round 1 lan1 172.16.2.10
expect_contains "round 1: racoon initiated" "$(round_log)" "initiate new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"

# charon tears the tunnel down; racoon must honour its delete payloads.
swanctl_on gw2 --terminate --ike lab >/dev/null 2>&1 || fail "swanctl --terminate failed"
wait_for "racoon removed its SAs after charon's deletes" 20 test -z "$(on gw1 ip xfrm state)"
expect_eq "gw2 SAD empty after the terminate" "$(on gw2 ip xfrm state)" ""
log "==== racoon's log of charon's deletes"
round_log | grep -v "established"
expect_contains "racoon honoured charon's ISAKMP delete" "$(round_log)" "ISAKMP-SA deleted 192.168.1.100[500]-192.168.2.100[500]"

log "---- round 2: charon initiates (ping from lan2)"
round 2 lan2 172.16.1.10
expect_contains "round 2: racoon responded" "$(round_log)" "respond new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
expect_not_contains "round 2: racoon did not initiate" "$(round_log)" "initiate new phase 1 negotiation"

# Rekeys under charon's control, as they happen an hour into a tunnel's life.
# spis HOST: the ESP SPIs in HOST's SAD, sorted.
spis() { on "$1" ip xfrm state | awk '$1 == "proto" && $2 == "esp" { print $4 }' | sort; }
log "---- round 3: charon rekeys the CHILD_SA (quick mode under the same ISAKMP-SA)"
old=$(spis gw1)
MARK=$(($(wc -l <"$LOG1") + 1))
swanctl_on gw2 --rekey --child lan >/dev/null 2>&1 || fail "swanctl --rekey --child failed"
wait_for "racoon installed the rekeyed SAs" 20 round_has "IPsec-SA established: ESP/Tunnel 192.168.1.100->192.168.2.100"
# charon deletes the old pair 5 s after the rekey: racoon must drop exactly those.
wait_for "the old SAs deleted on gw1" 30 test "$(spis gw1 | wc -l)" = 2
new=$(spis gw1)
log "SPIs on gw1 before: $(echo $old), after: $(echo $new)"
[[ -z $(comm -12 <(echo "$old") <(echo "$new")) ]] || fail "round 3: an old SPI survived the rekey"
expect_eq "round 3: gw1 and gw2 hold the same SAs" "$new" "$(spis gw2)"
on lan2 ping -c 3 -i 0.3 -W 2 172.16.1.10 >/dev/null || fail "round 3: pings after the CHILD_SA rekey were lost"
expect_not_contains "round 3: no new phase 1" "$(round_log)" "phase 1 negotiation"
log "ok: round 3: ping crosses on the rekeyed SAs"

log "---- round 4: charon reauthenticates (an IKEv1 IKE rekey is a new main mode)"
MARK=$(($(wc -l <"$LOG1") + 1))
swanctl_on gw2 --rekey --ike lab >/dev/null 2>&1 || fail "swanctl --rekey --ike failed"
wait_for "racoon established the new ISAKMP-SA" 20 round_has "ISAKMP-SA established"
# charon 5.9 keeps the old IKE_SA (state REKEYING) and its CHILD_SA: traffic carries on.
wait_for "charon lists the new IKE_SA established" 20 \
	eval 'swanctl_on gw2 --list-sas 2>/dev/null | grep -q "lab: #3, ESTABLISHED, IKEv1"'
on lan2 ping -c 3 -i 0.3 -W 2 172.16.1.10 >/dev/null || fail "round 4: pings after the reauthentication were lost"
on lan1 ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "round 4: pings from lan1 after the reauthentication were lost"
log "==== round 4: racoon log, gw1"
round_log
log "==== round 4: swanctl --list-sas on gw2"
swanctl_on gw2 --list-sas 2>/dev/null
log "ok: round 4: ping crosses after the reauthentication"

kill -TERM "$RACOON"
wait "$RACOON" || fail "racoon did not exit cleanly on SIGTERM"
expect_eq "gw1 SAD empty after racoon's SIGTERM" "$(on gw1 ip xfrm state)" ""
log "==== charon's log on gw2"
cat "$CHARON_LOG"

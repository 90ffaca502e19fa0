# IKE fragmentation (racoon.conf's `ike_frag force`). Phase 1 uses modp4096 and 256-byte
# nonces, so main mode's messages 3 and 4 are longer than racoon's 552-byte fragment
# size and must cross as fragment payloads (ISAKMP payload 132).
#   part 1: our racoon on gw1 against strongSwan's charon on gw2 with IKEv1
#           fragmentation forced (swanctl `fragmentation = force`, fragment_size 576):
#           round 1 racoon initiates, round 2 charon initiates. Each way the wire shows
#           fragments from both sides, charon logs reassembling ours, and the ping
#           crosses as ESP.
#   part 2: two of our racoons with `ike_frag force`, on each kernel backend.

SWAN=$LAB_ROOT/tests/lab/strongswan
PSK='interop psk 45'
topo_kame_gateways

# fragments_seen NAME CAPTURE: the capture (after capture_text) holds ISAKMP messages
# whose first payload is a fragment (next payload 132, the UDP payload's 17th byte) in
# both directions, and no main-mode datagram from gw1 longer than racoon's 552 bytes
# (quick mode is not fragmented: only phase-1 messages are).
fragments_seen() {
	local r=$1 file n1 n2 long
	eval "file=\$LAB_CAP_${2//-/_}_FILE"
	n1=$(tcpdump -n -r "$file" 'src host 192.168.1.100 and udp port 500 and udp[24] = 132' 2>/dev/null | wc -l)
	n2=$(tcpdump -n -r "$file" 'src host 192.168.2.100 and udp port 500 and udp[24] = 132' 2>/dev/null | wc -l)
	long=$(tcpdump -n -r "$file" 'src host 192.168.1.100 and udp port 500 and udp[26] = 2 and udp[4:2] > 560' 2>/dev/null | wc -l)
	log "==== $r: $n1 fragment messages from gw1, $n2 from gw2; the ISAKMP packets, verbose"
	tcpdump -n -v -r "$file" 'udp port 500' 2>/dev/null | head -n 30 || true
	((n1 >= 2)) || fail "$r: no fragment payloads from gw1 on the wire"
	((n2 >= 2)) || fail "$r: no fragment payloads from gw2 on the wire"
	expect_eq "$r: no main-mode datagram from gw1 longer than 552 bytes" "$long" 0
	log "ok: $r: fragment payloads both ways"
}

log "---- part 1: racoon against charon, fragmentation forced on both"
racoon_gw1 "$SWAN/racoon-ikefrag.conf" 192.168.2.100 "$PSK" \
	REMOTE=192.168.2.100 LOCAL_TS=172.16.1.0/24 REMOTE_TS=172.16.2.0/24
swanconf=$(hostdir gw2)/etc/swanctl.conf
lab_template "$SWAN/net2net.conf" "$swanconf" AGGRESSIVE=no \
	LOCAL=192.168.2.100 REMOTE=192.168.1.100 LOCAL_ID=192.168.2.100 REMOTE_ID=192.168.1.100 \
	LOCAL_TS=172.16.2.0/24 REMOTE_TS=172.16.1.0/24 "PSK=$PSK" \
	IKE=aes128-sha256-modp4096 ESP=aes128-sha1-modp2048
sed -i -e 's/^\(\t*\)version = 1$/&\n\1fragmentation = force/' "$swanconf"
grep -q 'fragmentation = force' "$swanconf" || fail "could not force fragmentation in swanctl.conf"
# charon's fragments: at most 576-byte IP datagrams (its default, 1280, would not cut
# a 600-byte message 4).
CHARON_TEMPLATE=$(hostdir gw2)/etc/strongswan-ikefrag.conf.in
sed -e 's/^charon {$/&\n\tfragment_size = 576/' "$SWAN/strongswan.conf" >"$CHARON_TEMPLATE"
charon_start gw2
swanctl_on gw2 --load-all --file "$swanconf" >"$(hostdir gw2)/log/swanctl-load.log" 2>&1 ||
	fail "swanctl could not load gw2's connection"
clog=$(hostdir gw2)/log/charon.log

for round in "round 1:lan1:172.16.2.10" "round 2:lan2:172.16.1.10"; do
	IFS=: read -r r from to <<<"$round"
	log "---- $r: ping from $from"
	cmark=$(($(wc -l <"$clog") + 1))
	peer_round "$r" "$from" "$to"
	fragments_seen "$r" "wire${r//[^a-zA-Z0-9]/}"
	sas=$(swanctl_on gw2 --list-sas 2>/dev/null)
	printf '%s\n' "$sas"
	expect_contains "$r: charon: IKEv1 SA established" "$sas" "ESTABLISHED, IKEv1"
	expect_contains "$r: charon: CHILD_SA installed" "$sas" "INSTALLED, TUNNEL"
	expect_contains "$r: charon: modp4096 phase 1" "$sas" "MODP_4096"
	clines=$(tail -n "+$cmark" "$clog")
	log "==== $r: charon's fragment lines"
	grep -i fragment <<<"$clines" | head -n 12 || true
	expect_contains "$r: charon reassembled racoon's fragments" "$clines" "received fragment #"
	if [[ $r == "round 2"* ]]; then
		expect_contains "$r: racoon read charon's FRAGMENTATION vendor ID" "$ROUND_LOG" \
			"received broken Microsoft ID: FRAGMENTATION"
	fi
	swanctl_on gw2 --terminate --ike lab >/dev/null 2>&1 || fail "$r: swanctl --terminate failed"
	wait_for "$r: racoon removed its SAs after charon's deletes" 20 sad_empty gw1
done

kill -TERM "$RACOON_PID"
wait "$RACOON_PID" || fail "racoon did not exit cleanly on SIGTERM"
swanctl_on gw2 --unload-conn lab >/dev/null 2>&1 || true
charon_pid=$(cat /var/run/charon.pid 2>/dev/null || true)
[[ -z $charon_pid ]] || kill -TERM "$charon_pid" 2>/dev/null || true
wait_for "charon on gw2 exited" 30 eval '[[ -z $charon_pid ]] || ! kill -0 "$charon_pid" 2>/dev/null'
log "==== charon's log on gw2 (fragment lines)"
grep -i fragment "$clog" | head -n 40 || true

log "---- part 2: two of our racoons with ike_frag force"
for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	on gw1 ip xfrm state flush
	on gw2 ip xfrm state flush
	kame_policies "$BACKEND"
	frag=(-e 's/exchange_mode main;/&\n        ike_frag force;\n        nonce_size 256;/'
		-e 's/dh_group modp1024;/dh_group modp4096;/')
	kame_racoon_conf gw1 192.168.2.100 172.16.1.0/24 172.16.2.0/24 192.168.2.100 "frag psk" "${frag[@]}"
	kame_racoon_conf gw2 192.168.1.100 172.16.2.0/24 172.16.1.0/24 192.168.1.100 "frag psk" "${frag[@]}"
	grep -q 'ike_frag force' "$(hostdir gw1)/etc/racoon.conf" || fail "$BACKEND: ike_frag not in racoon.conf"
	racoon_pair gw1 192.168.1.100 gw2 192.168.2.100 "$BACKEND" "frag-$BACKEND"
	capture inet to-gw1 "wire$BACKEND" "host 192.168.1.100 and host 192.168.2.100"
	wait_for "$BACKEND: a ping lan1 -> lan2 through the negotiated tunnel" 60 \
		on lan1 ping -c 1 -W 1 172.16.2.10
	on lan1 ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "$BACKEND: pings after the tunnel came up were lost"
	wire=$(capture_text "wire$BACKEND")
	log "==== $BACKEND: racoon log, gw2"
	cat "$LOG2"
	fragments_seen "$BACKEND" "wire$BACKEND"
	expect_contains "$BACKEND: ESP on the wire" "$wire" "192.168.1.100 > 192.168.2.100: ESP"
	expect_contains "$BACKEND: ESP back on the wire" "$wire" "192.168.2.100 > 192.168.1.100: ESP"
	expect_not_contains "$BACKEND: no clear ICMP between the gateways" "$wire" "ICMP echo"
	expect_contains "$BACKEND: gw2 read gw1's FRAGMENTATION vendor ID" "$(cat "$LOG2")" \
		"received broken Microsoft ID: FRAGMENTATION"
	for f in "$LOG1" "$LOG2"; do
		expect_contains "$BACKEND: $f: phase 1" "$(cat "$f")" "ISAKMP-SA established"
		expect_contains "$BACKEND: $f: phase 2" "$(cat "$f")" "IPsec-SA established: ESP/Tunnel"
	done
	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" "$RACOON2" || fail "$BACKEND: racoon did not exit cleanly on SIGTERM"
done

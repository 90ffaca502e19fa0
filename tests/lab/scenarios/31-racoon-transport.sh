# Host-to-host transport mode between two of our racoons: left (10.0.0.1) and right
# (10.0.0.2) each load `spdadd A B any -P out ipsec esp/transport//require;` and its
# mirror with setkey, and run racoon with an address `remote` and `sainfo anonymous`.
# The policies cover everything between the hosts, IKE included, so racoon's sockets
# must bypass them (as the original's do). A ping comes up and crosses as ESP; both
# logs show "IPsec-SA established: ESP/Transport". Then SIGTERM to left's racoon only:
# it sends DELETE payloads, so right's racoon, still running, removes its SAs too.

topo_pair

# racoon_conf HOST PEER: racoon.conf and psk.txt for HOST.
racoon_conf() {
	local h=$1 peer=$2 etc
	etc=$(hostdir "$h")/etc
	printf '%s\ttransport secret\n' "$peer" >"$etc/psk.txt"
	chmod 600 "$etc/psk.txt"
	cat >"$etc/racoon.conf" <<EOF
path pre_shared_key "$etc/psk.txt";

remote $peer {
        exchange_mode main;
        proposal {
                encryption_algorithm aes;
                hash_algorithm sha1;
                authentication_method pre_shared_key;
                dh_group modp1024;
        }
}

sainfo anonymous {
        pfs_group modp1024;
        encryption_algorithm aes;
        authentication_algorithm hmac_sha1;
        compression_algorithm deflate;
}
EOF
}

# policies HOST ME PEER: the host-to-host transport policies, as setkey -f reads them.
policies() {
	local h=$1 me=$2 peer=$3
	cat >"$(hostdir "$h")/etc/policies.conf" <<EOF
flush;
spdflush;
spdadd $me $peer any -P out ipsec esp/transport//require;
spdadd $peer $me any -P in ipsec esp/transport//require;
EOF
}

policies left 10.0.0.1 10.0.0.2
policies right 10.0.0.2 10.0.0.1
racoon_conf left 10.0.0.2
racoon_conf right 10.0.0.1

backends=(xfrm)
[[ -e /proc/net/pfkey ]] && backends=(pfkey xfrm)
for BACKEND in "${backends[@]}"; do
	log "---- backend $BACKEND"
	for h in left right; do
		on "$h" "$LAB_BIN/setkey" --backend "$BACKEND" -f "$(hostdir "$h")/etc/policies.conf"
		on "$h" "$LAB_BIN/racoon" -t -f "$(hostdir "$h")/etc/racoon.conf" ||
			fail "racoon -t rejects $h's racoon.conf"
	done
	LOG1=$(hostdir left)/log/racoon-$BACKEND.log
	LOG2=$(hostdir right)/log/racoon-$BACKEND.log
	spawn left "racoon-left-$BACKEND" "$LAB_BIN/racoon" --backend "$BACKEND" -F -f "$(hostdir left)/etc/racoon.conf" -l "$LOG1"
	RACOON1=${LAB_PIDS[-1]}
	spawn right "racoon-right-$BACKEND" "$LAB_BIN/racoon" --backend "$BACKEND" -F -f "$(hostdir right)/etc/racoon.conf" -l "$LOG2"
	RACOON2=${LAB_PIDS[-1]}
	# The first PF_KEY REGISTER of a boot probes every algorithm (a minute or two).
	wait_for "racoon on left listening" 200 grep -q "10.0.0.1\[500\] used as isakmp port" "$LOG1"
	wait_for "racoon on right listening" 30 grep -q "10.0.0.2\[500\] used as isakmp port" "$LOG2"

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

# Dead peer detection (RFC 3706) between two of our racoons: left (10.0.0.1) and right
# (10.0.0.2) with host-to-host transport policies (as 31) and `dpd_delay 2; dpd_retry 1;
# dpd_maxfail 2;` in both remote sections, racoon run with -d. A ping brings the SAs up;
# both logs show the DPD vendor ID and the R-U-THERE / R-U-THERE-ACK flow both ways.
# Then right "reboots": its racoon gets SIGKILL and its SAs are flushed. Left's
# R-U-THEREs go unanswered, so within delay + retry * maxfail (4 s after the last ACK)
# left logs "DPD: remote (ISAKMP-SA spi=...) seems to be dead.", purges its SAs (gone
# from `ip xfrm state`) and racoonctl show-event reports the dead peer. Right's racoon
# is started again and a ping from left negotiates a new phase 1 and SA pair.

topo_pair

CTL=$LAB_BIN/racoonctl

# racoon_conf HOST PEER: racoon.conf (admin socket in HOST's directory, DPD checks) and
# psk.txt for HOST.
racoon_conf() {
	local h=$1 peer=$2 etc
	etc=$(hostdir "$h")/etc
	printf '%s\tdpd secret\n' "$peer" >"$etc/psk.txt"
	chmod 600 "$etc/psk.txt"
	cat >"$etc/racoon.conf" <<EOF
path pre_shared_key "$etc/psk.txt";
listen { adminsock "$(hostdir "$h")/racoon.sock"; }

remote $peer {
        exchange_mode main;
        dpd_delay 2;
        dpd_retry 1;
        dpd_maxfail 2;
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

# start_racoon HOST ADDR LOG: our racoon with -d in the foreground; its pid in RACOON.
start_racoon() {
	local h=$1 addr=$2 log=$3
	spawn "$h" "racoon-$h-${log##*/}" "$LAB_BIN/racoon" --backend "$BACKEND" -F -d \
		-f "$(hostdir "$h")/etc/racoon.conf" -l "$log"
	RACOON=${LAB_PIDS[-1]}
	# The first PF_KEY REGISTER of a boot probes every algorithm (a minute or two).
	wait_for "racoon on $h listening" 200 grep -qF "$addr[500] used as isakmp port" "$log"
}

# count TEXT FILE: how many lines of FILE contain TEXT.
count() { grep -cF -- "$1" "$2" || true; }
# at_least N TEXT FILE: FILE has N lines or more containing TEXT.
at_least() { (($(count "$2" "$3") >= $1)); }
# sad_is_empty HOST: HOST's kernel holds no SA.
sad_is_empty() { [[ -z $(on "$1" ip xfrm state) ]]; }

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
	LOG2B=$(hostdir right)/log/racoon-$BACKEND-restarted.log
	start_racoon left 10.0.0.1 "$LOG1"
	RACOON1=$RACOON
	start_racoon right 10.0.0.2 "$LOG2"
	RACOON2=$RACOON
	EVENTS=$(hostdir left)/log/show-event-$BACKEND.log
	spawn left "show-event-$BACKEND" "$CTL" -s "$(hostdir left)/racoon.sock" show-event
	EVENTS_PID=${LAB_PIDS[-1]}

	wait_for "a ping left -> right" 60 on left ping -c 1 -W 1 10.0.0.2
	for f in "$LOG1" "$LOG2"; do
		expect_contains "$BACKEND: $f: the peer's DPD vendor ID" "$(cat "$f")" "received Vendor ID: DPD"
		expect_contains "$BACKEND: $f: DPD in use" "$(cat "$f")" "remote supports DPD"
	done
	# Both sides probe every 2 s and answer each other.
	for f in "$LOG1" "$LOG2"; do
		wait_for "$BACKEND: $f: two ACKs received" 15 \
			at_least 2 "received an R-U-THERE-ACK" "$f"
		wait_for "$BACKEND: $f: two R-U-THERE answered" 15 \
			at_least 2 "received a valid R-U-THERE, ACK sent" "$f"
	done
	expect_contains "$BACKEND: left sends R-U-THERE" "$(cat "$LOG1")" "DEBUG: DPD R-U-There sent (0)"
	expect_contains "$BACKEND: right receives R-U-THERE" "$(cat "$LOG2")" "DEBUG: DPD R-U-There received"
	expect_contains "$BACKEND: left receives the ACK" "$(cat "$LOG1")" "DEBUG: DPD R-U-There-Ack received"
	expect_not_contains "$BACKEND: left: no wrong sequence number" "$(cat "$LOG1")" "Wrong DPD sequence number"
	expect_not_contains "$BACKEND: right: no wrong sequence number" "$(cat "$LOG2")" "Wrong DPD sequence number"
	expect_not_contains "$BACKEND: nobody dead yet" "$(cat "$LOG1" "$LOG2")" "seems to be dead"
	expect_eq "$BACKEND: left SAD: two SAs" "$(on left ip xfrm state | grep -c '^src ')" 2
	spd_before=$(policy_summary left)
	spi_before=$(on left ip xfrm state | awk '$1 == "proto" { print $4 }' | sort | tr '\n' ' ')
	index=$(grep -o 'ISAKMP-SA established 10.0.0.1\[500\]-10.0.0.2\[500\] spi:[0-9a-f:]*' "$LOG1" | head -n 1)
	index=${index##*spi:}
	[[ -n $index ]] || fail "$BACKEND: no ISAKMP-SA established line on left"

	# right reboots: racoon killed without a word, its kernel SAs gone.
	kill -KILL "$RACOON2"
	wait "$RACOON2" 2>/dev/null || true
	on right "$LAB_BIN/setkey" --backend "$BACKEND" -F
	killed=$SECONDS
	wait_for "$BACKEND: left declares right dead" 12 \
		grep -qF "DPD: remote (ISAKMP-SA spi=$index) seems to be dead." "$LOG1"
	took=$((SECONDS - killed))
	log "$BACKEND: dead peer detected ${took}s after the kill"
	((took <= 10)) || fail "$BACKEND: detection took ${took}s"
	wait_for "$BACKEND: left's SAD empty" 5 sad_is_empty left
	log "==== $BACKEND: racoon log, left, from the kill"
	grep -F -e "DPD" -e "purg" -e "ISAKMP-SA deleted" "$LOG1" | tail -n 12
	expect_contains "$BACKEND: left: DPD line at INFO" "$(cat "$LOG1")" \
		"INFO: DPD: remote (ISAKMP-SA spi=$index) seems to be dead."
	expect_contains "$BACKEND: left: purging" "$(cat "$LOG1")" "INFO: purging ISAKMP-SA spi=$index."
	for spi in $spi_before; do
		expect_contains "$BACKEND: left: purged SA $spi" "$(cat "$LOG1")" "INFO: purged IPsec-SA spi=$((spi))."
	done
	expect_contains "$BACKEND: left: purged" "$(cat "$LOG1")" "INFO: purged ISAKMP-SA spi=$index."
	expect_contains "$BACKEND: left: ISAKMP-SA deleted" "$(cat "$LOG1")" \
		"ISAKMP-SA deleted 10.0.0.1[500]-10.0.0.2[500] spi:$index"
	expect_eq "$BACKEND: left SAD empty" "$(on left ip xfrm state)" ""
	expect_eq "$BACKEND: left SPD kept" "$(policy_summary left)" "$spd_before"
	out=$(on left "$CTL" -s "$(hostdir left)/racoon.sock" show-sa isakmp)
	expect_not_contains "$BACKEND: no ISAKMP-SA left" "$out" "10.0.0.2.500"
	wait_for "$BACKEND: show-event reports the dead peer" 5 \
		grep -qF "Phase 1 error: dead peer detected : 10.0.0.1[500] -> 10.0.0.2[500]" "$EVENTS"
	expect_contains "$BACKEND: show-event: phase 1 deleted" "$(cat "$EVENTS")" \
		"Phase 1 deleted : 10.0.0.1[500] -> 10.0.0.2[500]"
	kill -0 "$RACOON1" 2>/dev/null || fail "$BACKEND: racoon on left is not running any more"

	# right is back: a ping from left negotiates afresh.
	start_racoon right 10.0.0.2 "$LOG2B"
	RACOON2=$RACOON
	wait_for "$BACKEND: a ping left -> right after right's restart" 60 on left ping -c 1 -W 1 10.0.0.2
	on left ping -c 3 -i 0.3 -W 2 10.0.0.2 >/dev/null || fail "$BACKEND: pings on the new SAs were lost"
	expect_eq "$BACKEND: left: two phase 1s" \
		"$(count "ISAKMP-SA established 10.0.0.1[500]-10.0.0.2[500]" "$LOG1")" 2
	expect_contains "$BACKEND: right (restarted): phase 1" "$(cat "$LOG2B")" \
		"ISAKMP-SA established 10.0.0.2[500]-10.0.0.1[500]"
	expect_eq "$BACKEND: left SAD: two new SAs" "$(on left ip xfrm state | grep -c '^src ')" 2
	spi_after=$(on left ip xfrm state | awk '$1 == "proto" { print $4 }' | sort | tr '\n' ' ')
	[[ $spi_after != "$spi_before" ]] || fail "$BACKEND: the old SPIs are back"

	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" || fail "$BACKEND: racoon on left did not exit cleanly on SIGTERM"
	wait "$RACOON2" || fail "$BACKEND: racoon on right did not exit cleanly on SIGTERM"
	kill "$EVENTS_PID" 2>/dev/null || true
	wait "$EVENTS_PID" 2>/dev/null || true
	for h in left right; do
		on "$h" "$LAB_BIN/setkey" --backend "$BACKEND" -F
		on "$h" "$LAB_BIN/setkey" --backend "$BACKEND" -FP
	done
done

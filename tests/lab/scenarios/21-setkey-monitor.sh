# setkey -x on both backends: a monitor started on `left` prints, in the original's
# kdebug_sadb() text, the SADB_ADD of an SA added with setkey -c, the SADB_X_SPDADD of
# an outbound policy with no SA, and the SADB_ACQUIRE the kernel sends when a ping hits
# that policy. Each message block starts with a `HH:MM:SS.uuuuuu ` line; -xx prints
# `SECONDS.uuuuuu `; -H adds the hex dump.
#
# Linux sends an ACQUIRE only while some key manager listens: a PF_KEY socket that
# registered, or an XFRM listener. A promiscuous PF_KEY socket is neither, so on the
# PF_KEY backend (as with the original setkey -x) `ip xfrm monitor acquire` stands in
# for racoon. The XFRM backend's monitor is such a listener itself.

topo_pair

# block LOG TYPE: the first message block (date line to empty line) of sadb_msg type
# TYPE in the monitor's log.
block() {
	awk -v t="type=$2 " 'BEGIN { RS = ""; ORS = "\n\n" } index($0, "sadb_msg{ version=2 " t) { print; exit }' "$1"
}

# last_block LOG TYPE: the last such block (on PF_KEY, the kernel's own notification
# rather than the request it answers).
last_block() {
	awk -v t="type=$2 " 'BEGIN { RS = "" } index($0, "sadb_msg{ version=2 " t) { b = $0 } END { print b }' "$1"
}

for BACKEND in $(lab_backends); do
	on left ip xfrm state flush
	on left ip xfrm policy flush
	mon=$(hostdir left)/log/monitor-$BACKEND.log
	for x in -x -xx; do
		spawn left "monitor-$BACKEND$x" "$LAB_BIN/setkey" --backend "$BACKEND" -H "$x"
	done
	spawn left "monitor-$BACKEND" "$LAB_BIN/setkey" --backend "$BACKEND" -x
	spawn left "km-$BACKEND" ip xfrm monitor acquire
	# The first date line (the echo of the promiscuous-mode request) says it listens.
	wait_for "$BACKEND: setkey -x started" 20 grep -q . "$mon"
	wait_for "$BACKEND: setkey -xx started" 20 grep -q . "$(hostdir left)/log/monitor-$BACKEND-xx.log"
	sleep 0.5

	on left "$LAB_BIN/setkey" --backend "$BACKEND" -c <<-'EOF' || fail "$BACKEND: setkey -c failed"
		add 10.0.0.2 10.0.0.1 esp 0x1001 -m transport -E aes-cbc 0x30313233343536373839303132333435 -A hmac-sha1 "abcdefghijklmnopqrst";
		spdadd 10.0.0.1/32 10.0.0.2/32 icmp -P out ipsec esp/transport//require;
	EOF
	on left ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 || true

	wait_for "$BACKEND: ADD in the monitor" 20 grep -q "^sadb_msg{ version=2 type=3 errno=0 satype=3$" "$mon"
	wait_for "$BACKEND: ACQUIRE in the monitor" 20 grep -q "^sadb_msg{ version=2 type=6 errno=0 satype=3$" "$mon"
	wait_for "$BACKEND: SPDADD in the monitor" 20 grep -q "^sadb_msg{ version=2 type=14 errno=0 satype=0$" "$mon"
	sleep 0.5
	# Stop this round's monitors (the last four spawned) before the next backend.
	kill "${LAB_PIDS[@]: -4}" 2>/dev/null || true
	wait "${LAB_PIDS[@]: -4}" 2>/dev/null || true

	text=$(cat "$mon")
	add=$(block "$mon" 3)
	acq=$(block "$mon" 6)
	log "$BACKEND: the ADD as setkey -x printed it:"
	printf '%s\n' "$add"
	log "$BACKEND: the last ADD as setkey -x printed it:"
	last_block "$mon" 3
	log "$BACKEND: the ACQUIRE as setkey -x printed it:"
	printf '%s\n' "$acq"

	[[ $(head -n 1 "$mon") =~ ^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6}\ $ ]] ||
		fail "$BACKEND: -x date line: '$(head -n 1 "$mon")'"
	log "ok: $BACKEND: -x date line"
	xx=$(hostdir left)/log/monitor-$BACKEND-xx.log
	[[ $(head -n 1 "$xx") =~ ^[0-9]{10}\.[0-9]{6}\ $ ]] ||
		fail "$BACKEND: -xx date line: '$(head -n 1 "$xx")'"
	log "ok: $BACKEND: -xx date line"
	expect_contains "$BACKEND: -H hex dump of the ADD" "$(cat "$xx")" "00000000: 02 03 00 03 "

	expect_contains "$BACKEND: ADD's SA" "$add" "sadb_sa{ spi=4097 replay=0 state=1
  auth=3 encrypt=12 flags=0x00000000 }"
	expect_contains "$BACKEND: ADD's source" "$add" "sockaddr{ len=16 family=2 port=0
 0a000002  }"
	expect_contains "$BACKEND: ADD's encryption key" "$add" "sadb_key{ bits=128 reserved=0
  key= 30313233 34353637 38393031 32333435 }"
	expect_contains "$BACKEND: ADD's SA2" "$add" "sadb_x_sa2{ mode=1 reqid=0"
	expect_contains "$BACKEND: ACQUIRE's destination" "$acq" "sadb_ext{ len=3 type=6 }
sadb_address{ proto=0 prefixlen=32 reserved=0x0000 }
sockaddr{ len=16 family=2 port=0
 0a000002  }"
	expect_contains "$BACKEND: ACQUIRE's policy" "$acq" "sadb_x_policy{ type=2 dir=2 id="
	expect_contains "$BACKEND: ACQUIRE's proposal" "$acq" "sadb_prop{ replay=32"
	expect_contains "$BACKEND: SPDADD's policy" "$text" " { len=16 proto=50 mode=1 level=2 reqid=0"
done

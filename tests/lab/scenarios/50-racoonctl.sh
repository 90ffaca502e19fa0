# racoonctl against our racoon (issue 5), on the KAME HOWTO 4.3.1 PSK tunnel of
# 30-racoon-psk: each gateway's racoon.conf gets `listen { adminsock "..."; }` in its
# own host directory. With no traffic at all, `establish-sa -w isakmp` and then
# `establish-sa -w esp` bring the tunnel up and report it; a ping then crosses at once.
# show-sa isakmp prints the original's table (and the -l form), show-sa esp the
# setkey -D text of the two ESP SAs; status prints text and schema-2.0 JSON;
# show-event (started first) prints phase1/phase2 up. flush-sa esp removes the SAs and
# the next ping negotiates anew; delete-sa of the phase 1 deletes it and its SAs and
# tells gw2, whose SAs go too; vpn-connect/vpn-disconnect do the same by gateway name;
# reload-config makes a changed sainfo (aes) apply to the next negotiation. Errors: no daemon, wrong socket, permission denied, bad
# selector. The socket is gone once racoon exits.

topo_kame_gateways
CTL=$LAB_BIN/racoonctl

racoon_conf() { # HOST PEER LOCAL-LAN PEER-LAN
	kame_racoon_conf "$1" "$2" "$3" "$4" "$2" "simple psk" \
		-e "1i listen { adminsock \"$(hostdir "$1")/racoon.sock\"; }"
}

BACKEND=xfrm
kame_policies "$BACKEND"
racoon_conf gw1 192.168.2.100 172.16.1.0/24 172.16.2.0/24
racoon_conf gw2 192.168.1.100 172.16.2.0/24 172.16.1.0/24
SOCK1=$(hostdir gw1)/racoon.sock
SOCK2=$(hostdir gw2)/racoon.sock

# No daemon yet.
out=$(on gw1 "$CTL" -s "$SOCK1" show-sa isakmp 2>&1) && fail "racoonctl without racoon succeeded"
expect_eq "no daemon: one clear line" "$out" \
	"racoonctl: cannot connect to racoon admin socket $SOCK1: No such file or directory (is racoon running?)"

racoon_pair gw1 192.168.1.100 gw2 192.168.2.100 "$BACKEND"
wait_for "gw1's admin socket" 10 test -S "$SOCK1"
expect_eq "admin socket mode 0600 root:root" "$(stat -c '%a %U:%G' "$SOCK1")" "600 root:root"

# Errors: wrong path, permission denied, a bad selector.
out=$(on gw1 "$CTL" -s "$(hostdir gw1)/nope.sock" ss isakmp 2>&1) && fail "wrong socket path accepted"
expect_contains "wrong socket path" "$out" "nope.sock: No such file or directory (is racoon running?)"
install -m 755 "$CTL" "$(hostdir gw1)/racoonctl"
chmod 755 "$(hostdir gw1)"
out=$(on gw1 setpriv --reuid=65534 --regid=65534 --clear-groups "$(hostdir gw1)/racoonctl" -s "$SOCK1" ss isakmp 2>&1) &&
	fail "an unprivileged user reached the root-only socket"
expect_contains "permission denied" "$out" "racoon.sock: Permission denied (is racoon running?)"
out=$(on gw1 "$CTL" -s "$SOCK1" es esp inet 172.16.1.0/24 2>&1) && fail "a bad selector was sent"
expect_eq "bad selector" "$out" "racoonctl: kmpstat: Invalid argument"

expect_eq "show-sa isakmp before anything: the header" \
	"$(on gw1 "$CTL" -s "$SOCK1" show-sa isakmp)" \
	"Destination            Cookies                           Created"

spawn gw1 show-event "$CTL" -s "$SOCK1" show-event
EVENTS=$(hostdir gw1)/log/show-event.log
capture inet to-gw1 wire "host 192.168.1.100 and host 192.168.2.100"

log "==== establish-sa -w isakmp, no traffic"
out=$(on gw1 "$CTL" -s "$SOCK1" establish-sa -w isakmp inet 192.168.1.100 192.168.2.100) ||
	fail "establish-sa -w isakmp failed: $out"
expect_eq "establish-sa -w isakmp reports the outcome" "$out" "VPN connexion established"
log "==== establish-sa -w esp"
out=$(on gw1 "$CTL" -s "$SOCK1" es -w esp inet 172.16.1.0/24 172.16.2.0/24 any) ||
	fail "establish-sa -w esp failed: $out"
expect_eq "establish-sa -w esp reports the outcome" "$out" \
	"Phase 2 established : 192.168.1.100[500] -> 192.168.2.100[500]"
log "$(date +%T) SAs on gw1 after establish-sa:"
on gw1 ip xfrm state | grep -E '^src|proto'
qm_before=$(grep -c "initiate new phase 2" "$LOG1")
wait_for "a ping through the tunnel establish-sa made" 30 on lan1 ping -c 1 -W 2 172.16.2.10
log "$(date +%T) ping through"
expect_eq "the ping used establish-sa's SAs (no new quick mode)" "$(grep -c "initiate new phase 2" "$LOG1")" "$qm_before"
expect_eq "gw1 has the two ESP SAs before any traffic asked" "$(on gw1 ip xfrm state | grep -c '^src')" 2
# Asking again: already there, exit 0 and nothing printed (EEXIST).
expect_eq "establish-sa isakmp again" "$(on gw1 "$CTL" -s "$SOCK1" es isakmp inet 192.168.1.100 192.168.2.100; echo "rc=$?")" "rc=0"

log "==== show-sa isakmp / -l / esp"
ss=$(on gw1 "$CTL" -s "$SOCK1" ss isakmp)
printf '%s\n' "$ss"
expect_eq "show-sa isakmp: header and one SA" "$(wc -l <<<"$ss")" 2
grep -qE '^192\.168\.2\.100\.500      [0-9a-f]{16}:[0-9a-f]{16} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} $' <<<"$ss" ||
	fail "show-sa isakmp row not in the original's format: $ss"
ssl=$(on gw1 "$CTL" -s "$SOCK1" -l ss isakmp)
printf '%s\n' "$ssl"
expect_contains "show-sa -l header" "$ssl" "Destination            Cookies                           ST S  V E Created             Phase2"
grep -qE '^192\.168\.2\.100\.500      [0-9a-f:]{33}  9 I 10 M [0-9-]{10} [0-9:]{8}      1 $' <<<"$ssl" ||
	fail "show-sa -l row: $ssl"
esp=$(on gw1 "$CTL" -s "$SOCK1" show-sa esp)
printf '%s\n' "$esp"
expect_eq "show-sa esp: two ESP SAs in setkey -D form" "$(grep -c '	esp mode=tunnel' <<<"$esp")" 2
expect_contains "show-sa esp: outbound block" "$esp" "192.168.1.100 192.168.2.100 
	esp mode=tunnel"
expect_eq "show-sa esp matches setkey -D line for line (times aside)" \
	"$(grep -v -e current: -e diff: <<<"$esp" | sed 's/sadb_seq=[0-9]*/sadb_seq=N/; s/pid=[0-9]*/pid=N/')" \
	"$(on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -D | grep -v -e current: -e diff: | sed 's/sadb_seq=[0-9]*/sadb_seq=N/; s/pid=[0-9]*/pid=N/')"

log "==== show-schedule"
sc=$(on gw1 "$CTL" -s "$SOCK1" show-schedule)
printf '%s\n' "$sc"
expect_eq "show-schedule header" "$(head -n 1 <<<"$sc")" "index    tick     xtime    created"
grep -qE '^[0-9]+ +[0-9]+ +[0-9]+ +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}$' <<<"$sc" ||
	fail "show-schedule lists no timer: $sc"
log "==== status"
st=$(on gw1 "$CTL" -s "$SOCK1" status -v)
printf '%s\n' "$st"
expect_contains "status: phase 1" "$st" "  state:          established"
expect_contains "status -v: phase 2" "$st" "  state:          established  protocol: ESP  mode: Tunnel"
js=$(on gw1 "$CTL" -s "$SOCK1" st -v -f json)
printf '%s\n' "$js"
expect_contains "status json: schema 2.0" "$js" '{"schema_version":"2.0","timestamp":"'
expect_contains "status json: ESP phase 2" "$js" '"protocol":"ESP","encmode":"Tunnel"'
# Validated against the schema file by a real JSON Schema (draft 2020-12) validator.
printf '%s\n' "$js" >"$(hostdir gw1)/status.json"
"$LAB_ROOT/target/lab-venv/bin/python" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator(schema).validate(doc)
assert len(doc["phase1"]) == 1 and len(doc["phase2"]) == 1, "one phase 1 and one phase 2 expected"
' "$LAB_ROOT/racoonctl/tests/fixtures/racoonctl-status.schema.json" "$(hostdir gw1)/status.json" ||
	fail "status -v -f json does not validate against racoonctl-status.schema.json"

log "==== flush-sa esp, then a ping negotiates anew"
on gw1 "$CTL" -s "$SOCK1" flush-sa esp || fail "flush-sa esp failed"
expect_eq "show-sa esp after flush" "$(on gw1 "$CTL" -s "$SOCK1" ss esp)" "No SAD entries."
expect_eq "gw1's kernel has no SAs after flush" "$(on gw1 ip xfrm state)" ""
wait_for "a ping after flush-sa esp (new quick mode)" 30 on lan1 ping -c 1 -W 1 172.16.2.10
expect_eq "gw1 has two new ESP SAs" "$(on gw1 ip xfrm state | grep -c '^src')" 2

log "==== delete-sa isakmp: gw2 is told and drops its SAs"
on gw1 "$CTL" -s "$SOCK1" delete-sa isakmp inet 192.168.1.100 192.168.2.100 || fail "delete-sa failed"
wait_for "gw2's SAs gone after the delete" 10 test -z "$(on gw2 ip xfrm state)"
expect_eq "gw1's SAs gone" "$(on gw1 ip xfrm state)" ""
expect_eq "show-sa isakmp empty on gw1" "$(on gw1 "$CTL" -s "$SOCK1" ss isakmp | wc -l)" 1
wait_for "gw2 purged its ISAKMP-SA" 10 grep -q "purging ISAKMP-SA" "$LOG2"
expect_eq "show-sa isakmp empty on gw2" "$(on gw2 "$CTL" -s "$SOCK2" ss isakmp | wc -l)" 1

log "==== vpn-connect / vpn-disconnect"
out=$(on gw1 "$CTL" -s "$SOCK1" vpn-connect 192.168.2.100) || fail "vpn-connect failed: $out"
expect_eq "vpn-connect" "$out" "VPN connexion established"
out=$(on gw1 "$CTL" -s "$SOCK1" vpn-disconnect 192.168.2.100) || fail "vpn-disconnect failed: $out"
expect_eq "vpn-disconnect" "$out" "Phase 1 deleted : 192.168.1.100[500] -> 192.168.2.100[500]"

log "==== reload-config picks up a changed sainfo (aes instead of 3des)"
for h in gw1 gw2; do
	sed -i '/^sainfo/,/}/ s/encryption_algorithm 3des;/encryption_algorithm aes;/' "$(hostdir "$h")/etc/racoon.conf"
done
on gw1 "$CTL" -s "$SOCK1" reload-config || fail "reload-config on gw1 failed"
on gw2 "$CTL" -s "$SOCK2" rc || fail "reload-config on gw2 failed"
out=$(on gw1 "$CTL" -s "$SOCK1" es -w isakmp inet 192.168.1.100 192.168.2.100) || fail "establish-sa after reload: $out"
out=$(on gw1 "$CTL" -s "$SOCK1" es -w esp inet 172.16.1.0/24 172.16.2.0/24 any) || fail "establish-sa esp after reload: $out"
expect_eq "gw1's new SAs use the reloaded sainfo's aes" "$(on gw1 ip xfrm state | grep -c 'enc cbc(aes)')" 2

wire=$(capture_text wire)
events=$(cat "$EVENTS")
log "==== show-event"
printf '%s\n' "$events"
expect_contains "show-event: phase 1 up" "$events" "Phase 1 established : 192.168.1.100[500] -> 192.168.2.100[500]"
expect_contains "show-event: phase 2 up" "$events" "Phase 2 established : 192.168.1.100[500] -> 192.168.2.100[500]"
expect_contains "show-event: phase 1 down" "$events" "Phase 1 deleted : 192.168.1.100[500] -> 192.168.2.100[500]"
expect_contains "IKE on the wire" "$wire" "192.168.1.100.500 > 192.168.2.100.500"
expect_contains "ESP on the wire" "$wire" "192.168.1.100 > 192.168.2.100: ESP"

log "==== racoon logs"
cat "$LOG1"
cat "$LOG2"
kill -TERM "$RACOON1" "$RACOON2"
wait "$RACOON1" "$RACOON2" || fail "racoon did not exit cleanly on SIGTERM"
expect_eq "admin socket removed on exit" "$(test -e "$SOCK1" && echo present)" ""
expect_contains "show-event heard racoon go" "$(cat "$EVENTS")" "Racoon terminated"

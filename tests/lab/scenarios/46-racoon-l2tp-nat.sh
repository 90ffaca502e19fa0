# An L2TP/IPsec server with its client behind a NAT (transport mode, NAT-T,
# generate_policy), the set-up of Windows, macOS, iOS and Android "L2TP/IPsec PSK" clients:
#
#   client 192.168.10.2 --- 192.168.10.1 router 203.0.113.1 --- 203.0.113.2 server
#
# The router masquerades the client. The client's policies ask for ESP in transport mode
# for its L2TP traffic (udp 1701 both ways) to the server; the server has no policy at
# all, only `remote anonymous { generate_policy on; passive on; nat_traversal on; }`.
# The client names its own private address in its quick-mode ID, but in transport mode
# the one IP header is the NAT's work: what the server's kernel decapsulates comes from
# 203.0.113.1, and its answers go there. So the generated policies must name the NAT's
# address, with udp 1701, or the answers leave unprotected (and the client drops them).
# A UDP echo on the server's port 1701 stands in for the L2TP daemon.

host client
host router
host server
link client 192.168.10.2/24 router 192.168.10.1/24
link router 203.0.113.1/24 server 203.0.113.2/24
on client ip route add default via 192.168.10.1
nat router server

etc_c=$(hostdir client)/etc etc_s=$(hostdir server)/etc
psk_racoon_conf client 203.0.113.2 "l2tp secret" remote="        nat_traversal on;"
psk_racoon_conf server 203.0.113.1 "l2tp secret" name=anonymous remote="        nat_traversal on;
        generate_policy on;
        passive on;"
cat >"$etc_c/policies.conf" <<'POL'
flush;
spdflush;
spdadd 192.168.10.2/32[1701] 203.0.113.2/32[1701] udp -P out ipsec esp/transport//require;
spdadd 203.0.113.2/32[1701] 192.168.10.2/32[1701] udp -P in ipsec esp/transport//require;
POL

# The L2TP stand-in: an echo on the server's 1701, and a client that sends from its own
# 1701 and prints the answer (the first datagram may go while the SAs are negotiated).
cat >"$etc_s/echo.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("203.0.113.2", 1701))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(b"echo " + data, peer)
PY
cat >"$etc_c/send.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.168.10.2", 1701))
s.settimeout(1)
try:
    s.sendto(sys.argv[1].encode(), ("203.0.113.2", 1701))
    print(s.recvfrom(2048)[0].decode())
except OSError as e:
    print("no answer:", e)
    sys.exit(1)
PY
spawn server l2tp-echo python3 "$etc_s/echo.py"
l2tp() { on client python3 "$etc_c/send.py" "$1"; }

# generated: the server's policies for the L2TP traffic, as ip xfrm prints them.
generated() { on server ip xfrm policy | grep -A3 '^src 203\.0\.113\.' || true; }
no_generated() { [[ -z "$(generated)" ]]; }

for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	on client "$LAB_BIN/setkey" --backend "$BACKEND" -f "$etc_c/policies.conf"
	on server "$LAB_BIN/setkey" --backend "$BACKEND" -c <<<$'flush;\nspdflush;'
	expect_eq "$BACKEND: the server starts with no policy" "$(generated)" ""
	LOGC=$(hostdir client)/log/racoon-$BACKEND.log
	LOGS=$(hostdir server)/log/racoon-$BACKEND.log
	spawn client "racoon-client-$BACKEND" "$LAB_BIN/racoon" --backend "$BACKEND" -F -f "$etc_c/racoon.conf" -l "$LOGC"
	RC=${LAB_PIDS[-1]}
	spawn server "racoon-server-$BACKEND" "$LAB_BIN/racoon" --backend "$BACKEND" -F -f "$etc_s/racoon.conf" -l "$LOGS"
	RS=${LAB_PIDS[-1]}
	# The first PF_KEY REGISTER of a boot probes every algorithm (a minute or two
	# in the VM without KVM).
	wait_for "racoon on the client listening on 4500" 200 grep -qF "192.168.10.2[4500] used for NAT-T" "$LOGC"
	wait_for "racoon on the server listening on 4500" 200 grep -qF "203.0.113.2[4500] used for NAT-T" "$LOGS"

	capture router "$(ifname server)" outside "udp or esp"
	wait_for "an L2TP datagram answered through the NAT" 60 l2tp first
	answer=$(l2tp "$BACKEND") || fail "$BACKEND: L2TP datagrams after the SAs came up were lost"
	wire=$(capture_text outside)
	spd=$(generated)
	sa=$(on server ip xfrm state)

	log "==== $BACKEND: racoon log, client"
	cat "$LOGC"
	log "==== $BACKEND: racoon log, server"
	cat "$LOGS"
	log "==== $BACKEND: ip xfrm policy on the server (generated)"
	printf '%s\n' "$spd"
	log "==== $BACKEND: the router's outside link"
	head -n 20 <<<"$wire"

	expect_eq "$BACKEND: the echo answered" "$answer" "echo $BACKEND"
	s=$(cat "$LOGS")
	expect_contains "$BACKEND: the server sees the client behind the NAT" "$s" "NAT detected: PEER"
	expect_contains "$BACKEND: policy generated for the NAT's address" "$s" \
		"INFO: no policy found, try to generate the policy : 203.0.113.1/32[1701] 203.0.113.2/32[1701] proto=udp dir=in"
	expect_contains "$BACKEND: inbound SA in transport mode" "$s" "IPsec-SA established: ESP/Transport 203.0.113.1->203.0.113.2 spi="
	expect_contains "$BACKEND: in policy, udp 1701 from the NAT" "$spd" "src 203.0.113.1/32 dst 203.0.113.2/32 proto udp sport 1701 dport 1701 
	dir in "
	expect_contains "$BACKEND: out policy, udp 1701 to the NAT" "$spd" "src 203.0.113.2/32 dst 203.0.113.1/32 proto udp sport 1701 dport 1701 
	dir out "
	expect_eq "$BACKEND: exactly in and out" "$(grep -c '^src 203\.0\.113\.' <<<"$spd")" 2
	expect_eq "$BACKEND: the server's two SAs are ESP in UDP" "$(grep -c 'encap type espinudp' <<<"$sa")" 2
	expect_contains "$BACKEND: ESP in UDP toward the server" "$wire" "> 203.0.113.2.4500: UDP-encap: ESP"
	expect_contains "$BACKEND: ESP in UDP back to the NAT" "$wire" "203.0.113.2.4500 > 203.0.113.1."
	expect_not_contains "$BACKEND: no clear L2TP either way" "$wire" "203.0.113.2.1701"
	expect_not_contains "$BACKEND: the client's own address never crosses" "$wire" "192.168.10.2"

	kill -TERM "$RC"
	wait "$RC" || fail "$BACKEND: racoon on the client did not exit cleanly on SIGTERM"
	wait_for "the generated policies removed with the SAs" 10 no_generated
	kill -TERM "$RS"
	wait "$RS" || fail "$BACKEND: racoon on the server did not exit cleanly on SIGTERM"
	expect_eq "$BACKEND: the server's SAD empty" "$(on server ip xfrm state)" ""
	# The router forgets the mappings, so the next backend starts afresh.
	on router nft flush ruleset
	nat router server
	on router conntrack -F 2>/dev/null || true
done

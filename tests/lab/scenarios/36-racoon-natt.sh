# NAT traversal (RFC 3947/3948): a road warrior behind a masquerading router.
#
#   client 192.168.10.2 --- 192.168.10.1 router 203.0.113.1 --- 203.0.113.2 gw 172.16.2.1 --- lan2 172.16.2.10
#
# The router rewrites everything the client sends toward the gateway to its own address
# (nftables masquerade); nobody routes 192.168.10.0/24 or 172.16.2.0/24 across it in the
# clear. Our racoon runs on the client and on the gateway with `nat_traversal on`. A ping
# from the client to lan2 starts main mode: both sides announce RFC 3947, the NAT-D
# payloads show the client behind a NAT, IKE floats to port 4500 and the SAs go in as ESP
# in UDP. Checked: the NAT-T lines of both logs, the ping, what crosses the router's
# outside link (only UDP 4500: ESP in UDP both ways, keepalives both ways, never
# the client's own address), the gateway's SAs (ESP in UDP to the router's address, with
# the ports as the NAT left them) and their packet counters growing. Then aggressive
# mode through the same NAT, strongSwan's charon as the gateway of our racoon, charon
# as the road warrior initiating to our racoon as the gateway, and the KAME HOWTO's
# NAT-T seeds (racoon.conf and policies) as shown on a gateway facing a NAT'd peer.

host client
host router
host gw
link client 192.168.10.2/24 router 192.168.10.1/24
link router 203.0.113.1/24 gw 203.0.113.2/24
on client ip route add default via 192.168.10.1
nat router gw
lan gw 172.16.2.1/24 lan2 172.16.2.10/24
# Without a route the gateway would not even look for the policy of its answers.
on gw ip route add 192.168.10.0/24 via 203.0.113.1

# natt_conf HOST PEER [HEAD]: HOST's racoon.conf (main mode, PSK, nat_traversal on,
# sainfo anonymous) and psk.txt with the key for PEER.
natt_conf() {
	psk_racoon_conf "$1" "$2" "natt secret" remote="        nat_traversal on;" head="${3:-}"
}

# Both sides send a keepalive every 2 s so that the capture sees some.
natt_conf client 203.0.113.2 'timer { natt_keepalive 2 sec; }'
# The gateway knows the client only as the NAT's address.
natt_conf gw 203.0.113.1 'timer { natt_keepalive 2 sec; }'

cat >"$(hostdir client)/etc/policies.conf" <<'POL'
flush;
spdflush;
spdadd 192.168.10.2/32 172.16.2.0/24 any -P out ipsec esp/tunnel/192.168.10.2-203.0.113.2/require;
spdadd 172.16.2.0/24 192.168.10.2/32 any -P in ipsec esp/tunnel/203.0.113.2-192.168.10.2/require;
POL
cat >"$(hostdir gw)/etc/policies.conf" <<'POL'
flush;
spdflush;
spdadd 172.16.2.0/24 192.168.10.2/32 any -P out ipsec esp/tunnel/203.0.113.2-203.0.113.1/require;
spdadd 192.168.10.2/32 172.16.2.0/24 any -P in ipsec esp/tunnel/203.0.113.1-203.0.113.2/require;
POL

for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	for h in client gw; do
		on "$h" "$LAB_BIN/setkey" --backend "$BACKEND" -f "$(hostdir "$h")/etc/policies.conf"
		on "$h" "$LAB_BIN/racoon" -t -f "$(hostdir "$h")/etc/racoon.conf" ||
			fail "racoon -t rejects $h's racoon.conf"
	done
	LOGC=$(hostdir client)/log/racoon-$BACKEND.log
	LOGG=$(hostdir gw)/log/racoon-$BACKEND.log
	spawn client "racoon-client-$BACKEND" "$LAB_BIN/racoon" --backend "$BACKEND" -F -f "$(hostdir client)/etc/racoon.conf" -l "$LOGC"
	RC=${LAB_PIDS[-1]}
	spawn gw "racoon-gw-$BACKEND" "$LAB_BIN/racoon" --backend "$BACKEND" -F -f "$(hostdir gw)/etc/racoon.conf" -l "$LOGG"
	RG=${LAB_PIDS[-1]}
	# The first PF_KEY REGISTER of a boot probes every algorithm (a minute or two
	# in the VM without KVM).
	wait_for "racoon on the client listening on 4500" 200 grep -qF "192.168.10.2[4500] used for NAT-T" "$LOGC"
	wait_for "racoon on the gateway listening on 4500" 200 grep -qF "203.0.113.2[4500] used for NAT-T" "$LOGG"

	capture router "$(ifname gw)" outside "udp or esp or icmp"
	wait_for "a ping client -> lan2 through the NAT" 60 on client ping -c 1 -W 1 172.16.2.10
	sa=$(on gw ip -s xfrm state)
	spi=$(awk '/^src 203.0.113.1 dst 203.0.113.2/ { getline; sub(/\(.*/, "", $4); print $4; exit }' <<<"$sa")
	[[ -n $spi ]] || fail "$BACKEND: no SA from the NAT's address on the gateway:
$sa"
	before=$(xfrm_packets gw "$spi")
	on client ping -c 5 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "$BACKEND: pings after the tunnel came up were lost"
	after=$(xfrm_packets gw "$spi")
	# Keepalives every 2 s: wait for two on the outside link.
	sleep 4.5
	wire=$(capture_text outside)

	log "==== $BACKEND: racoon log, client"
	cat "$LOGC"
	log "==== $BACKEND: racoon log, gateway"
	cat "$LOGG"
	log "==== $BACKEND: ip -s xfrm state on the gateway"
	printf '%s\n' "$sa"
	log "==== $BACKEND: the router's outside link"
	head -n 30 <<<"$wire"
	sad=$(on gw "$LAB_BIN/setkey" --backend "$BACKEND" -D)
	log "==== $BACKEND: setkey -D on the gateway"
	printf '%s\n' "$sad"

	c=$(cat "$LOGC") g=$(cat "$LOGG")
	for who in client gw; do
		[[ $who == client ]] && text=$c || text=$g
		expect_contains "$BACKEND: $who: version" "$text" "Selected NAT-T version: RFC 3947"
		expect_contains "$BACKEND: $who: NAT-D sent" "$text" "Adding remote and local NAT-D payloads."
		expect_contains "$BACKEND: $who: phase 2" "$text" "IPsec-SA established: ESP/Tunnel"
		expect_not_contains "$BACKEND: $who: NAT-T is no longer an unimplemented feature" "$text" "NAT traversal is not implemented"
	done
	expect_contains "$BACKEND: the client sees itself behind the NAT" "$c" "NAT detected: ME "
	expect_contains "$BACKEND: the gateway sees the client behind it" "$g" "NAT detected: PEER"
	expect_contains "$BACKEND: the client floats" "$c" "ISAKMP-SA established 192.168.10.2[4500]-203.0.113.2[4500]"
	expect_contains "$BACKEND: the gateway follows the NAT's ports" "$g" "NAT-T: ports changed to: 203.0.113.1["
	expect_contains "$BACKEND: the client keeps the mapping open" "$c" "KA list add: 192.168.10.2[4500]->203.0.113.2[4500]"

	expect_contains "$BACKEND: IKE on 500 first" "$wire" "203.0.113.1.500 > 203.0.113.2.500: isakmp"
	expect_contains "$BACKEND: IKE on 4500 after the float" "$wire" "> 203.0.113.2.4500: NONESP-encap: isakmp"
	expect_contains "$BACKEND: ESP in UDP toward the gateway" "$wire" "> 203.0.113.2.4500: UDP-encap: ESP"
	expect_contains "$BACKEND: ESP in UDP back to the NAT" "$wire" "203.0.113.2.4500 > 203.0.113.1."
	expect_contains "$BACKEND: keepalives from the client" "$wire" "> 203.0.113.2.4500: isakmp-nat-keep-alive"
	expect_contains "$BACKEND: keepalives from the gateway" "$(grep '^[0-9:.]* IP 203.0.113.2.4500 > 203.0.113.1' <<<"$wire")" "isakmp-nat-keep-alive"
	expect_not_contains "$BACKEND: no clear ICMP outside" "$wire" "ICMP echo"
	expect_not_contains "$BACKEND: no plain ESP toward the gateway" "$wire" "203.0.113.2: ESP("
	expect_not_contains "$BACKEND: no plain ESP back" "$wire" "203.0.113.1: ESP("
	expect_not_contains "$BACKEND: the client's own address never crosses" "$wire" "192.168.10.2"

	expect_contains "$BACKEND: gateway SA in from the NAT, ESP in UDP" "$sa" "encap type espinudp sport "
	expect_eq "$BACKEND: gateway holds two ESP-in-UDP SAs" "$(grep -c 'encap type espinudp' <<<"$sa")" 2
	expect_contains "$BACKEND: setkey -D names the NAT's address and ports" "$sad" "203.0.113.1["
	expect_contains "$BACKEND: setkey -D shows esp-udp" "$sad" "esp-udp mode=tunnel"
	((after >= before + 5)) || fail "$BACKEND: the gateway's inbound SA counted $before then $after packets"
	log "ok: $BACKEND: inbound SA packets $before -> $after"

	kill -TERM "$RC" "$RG"
	wait "$RC" "$RG" || fail "$BACKEND: racoon did not exit cleanly on SIGTERM"
	expect_eq "$BACKEND: client SAD empty after SIGTERM" "$(on client ip xfrm state)" ""
	expect_eq "$BACKEND: gateway SAD empty after SIGTERM" "$(on gw ip xfrm state)" ""
	# The router forgets the mappings, so the next backend starts afresh.
	on router nft flush ruleset
	nat router gw
	on router conntrack -F 2>/dev/null || true
done

# Aggressive mode through the same NAT (XFRM): the client floats with message 3.
log "---- aggressive mode"
for h in client gw; do
	sed 's/exchange_mode main;/exchange_mode aggressive;/' "$(hostdir "$h")/etc/racoon.conf" >"$(hostdir "$h")/etc/racoon-agg.conf"
	on "$h" "$LAB_BIN/setkey" -f "$(hostdir "$h")/etc/policies.conf"
done
# In aggressive mode the gateway looks the key up by the client's ID, its own address.
printf '%s\t%s\n' 192.168.10.2 "natt secret" >>"$(hostdir gw)/etc/psk.txt"
LOGC=$(hostdir client)/log/racoon-agg.log
LOGG=$(hostdir gw)/log/racoon-agg.log
spawn client racoon-client-agg "$LAB_BIN/racoon" -F -f "$(hostdir client)/etc/racoon-agg.conf" -l "$LOGC"
RC=${LAB_PIDS[-1]}
spawn gw racoon-gw-agg "$LAB_BIN/racoon" -F -f "$(hostdir gw)/etc/racoon-agg.conf" -l "$LOGG"
RG=${LAB_PIDS[-1]}
wait_for "racoon on the client listening on 4500" 200 grep -qF "192.168.10.2[4500] used for NAT-T" "$LOGC"
wait_for "racoon on the gateway listening on 4500" 200 grep -qF "203.0.113.2[4500] used for NAT-T" "$LOGG"
wait_for "aggressive: a ping client -> lan2 through the NAT" 60 on client ping -c 1 -W 1 172.16.2.10
on client ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "aggressive: pings after the tunnel came up were lost"
sa=$(on gw ip xfrm state)
c=$(cat "$LOGC") g=$(cat "$LOGG")
log "==== aggressive: racoon log, client"
printf '%s\n' "$c"
log "==== aggressive: racoon log, gateway"
printf '%s\n' "$g"
expect_contains "aggressive: the client began aggressive mode" "$c" "begin Aggressive mode."
expect_contains "aggressive: the client sees itself behind the NAT" "$c" "NAT detected: ME "
expect_contains "aggressive: the gateway sees the client behind it" "$g" "NAT detected: PEER"
expect_contains "aggressive: the gateway follows the NAT's ports" "$g" "NAT-T: ports changed to: 203.0.113.1["
expect_contains "aggressive: the client's phase 1 is on 4500" "$c" "ISAKMP-SA established 192.168.10.2[4500]-203.0.113.2[4500]"
expect_eq "aggressive: gateway holds two ESP-in-UDP SAs" "$(grep -c 'encap type espinudp' <<<"$sa")" 2
kill -TERM "$RC" "$RG"
wait "$RC" "$RG" || fail "aggressive: racoon did not exit cleanly on SIGTERM"

# strongSwan's charon as the gateway (IKEv1, a road-warrior connection for any address
# with the client's ID), our racoon on the client behind the NAT (XFRM): charon must see
# our NAT-T the way it sees its own.
log "---- charon as the gateway"
on gw "$LAB_BIN/setkey" -F
on gw "$LAB_BIN/setkey" -FP
cat >"$(hostdir gw)/etc/swanctl.conf" <<'SWAN'
connections {
	rw {
		version = 1
		local_addrs = 203.0.113.2
		proposals = aes128-sha1-modp1024
		local {
			auth = psk
			id = 203.0.113.2
		}
		remote {
			auth = psk
			id = 192.168.10.2
		}
		children {
			rw {
				local_ts = 172.16.2.0/24
				remote_ts = 192.168.10.2/32
				esp_proposals = aes128-sha1
				mode = tunnel
			}
		}
	}
}
secrets {
	ike-rw {
		id = 192.168.10.2
		secret = "natt secret"
	}
}
SWAN
charon_start gw
CHARON_GW=${LAB_PIDS[-1]}
swanctl_on gw --load-all --file "$(hostdir gw)/etc/swanctl.conf" >"$(hostdir gw)/log/swanctl-load.log" 2>&1 ||
	fail "swanctl could not load the gateway's connection"
on client "$LAB_BIN/setkey" -f "$(hostdir client)/etc/policies.conf"
LOGC=$(hostdir client)/log/racoon-charon.log
spawn client racoon-client-charon "$LAB_BIN/racoon" -F -f "$(hostdir client)/etc/racoon.conf" -l "$LOGC"
RC=${LAB_PIDS[-1]}
wait_for "racoon on the client listening on 4500" 200 grep -qF "192.168.10.2[4500] used for NAT-T" "$LOGC"
capture router "$(ifname gw)" charon "udp or esp or icmp"
wait_for "a ping client -> lan2 through the NAT to charon" 60 on client ping -c 1 -W 1 172.16.2.10
on client ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "charon: pings after the tunnel came up were lost"
wire=$(capture_text charon)
sas=$(swanctl_on gw --list-sas 2>/dev/null)
c=$(cat "$LOGC")
log "==== charon: racoon log, client"
printf '%s\n' "$c"
log "==== charon: swanctl --list-sas on the gateway"
printf '%s\n' "$sas"
log "==== charon: the router's outside link"
head -n 20 <<<"$wire"
expect_contains "charon: version" "$c" "Selected NAT-T version: RFC 3947"
expect_contains "charon: the client sees itself behind the NAT" "$c" "NAT detected: ME "
expect_contains "charon: the client floats" "$c" "ISAKMP-SA established 192.168.10.2[4500]-203.0.113.2[4500]"
expect_contains "charon: phase 2" "$c" "IPsec-SA established: ESP/Tunnel 192.168.10.2->203.0.113.2"
expect_contains "charon: IKE on 4500" "$wire" "> 203.0.113.2.4500: NONESP-encap: isakmp"
expect_contains "charon: ESP in UDP toward the gateway" "$wire" "> 203.0.113.2.4500: UDP-encap: ESP"
expect_contains "charon: ESP in UDP back" "$wire" "203.0.113.2.4500 > 203.0.113.1."
expect_not_contains "charon: no clear ICMP outside" "$wire" "ICMP echo"
expect_contains "charon: IKEv1 SA established" "$sas" "ESTABLISHED, IKEv1"
expect_contains "charon: the CHILD_SA is ESP in UDP" "$sas" "INSTALLED, TUNNEL-in-UDP"
expect_contains "charon: the client is behind the NAT's address" "$sas" "203.0.113.1[4500]"
kill -TERM "$RC"
wait "$RC" || fail "charon: racoon did not exit cleanly on SIGTERM"

# The other way round: charon is the road warrior behind the NAT and initiates, our
# racoon is the gateway and must follow charon's float to 4500.
log "---- charon behind the NAT, racoon as the gateway"
kill -TERM "$CHARON_GW"
wait "$CHARON_GW" 2>/dev/null || true
for h in client gw; do
	on "$h" "$LAB_BIN/setkey" -F
	on "$h" "$LAB_BIN/setkey" -FP
done
on gw "$LAB_BIN/setkey" -f "$(hostdir gw)/etc/policies.conf"
cat >"$(hostdir client)/etc/swanctl.conf" <<'SWAN'
connections {
	home {
		version = 1
		local_addrs = 192.168.10.2
		remote_addrs = 203.0.113.2
		proposals = aes128-sha1-modp1024
		local {
			auth = psk
			id = 192.168.10.2
		}
		remote {
			auth = psk
			id = 203.0.113.2
		}
		children {
			home {
				local_ts = 192.168.10.2/32
				remote_ts = 172.16.2.0/24
				esp_proposals = aes128-sha1
				mode = tunnel
				# racoon's proposal_check strict takes no longer than its 3600 s.
				rekey_time = 3000s
				life_time = 3600s
			}
		}
	}
}
secrets {
	ike-home {
		id = 203.0.113.2
		secret = "natt secret"
	}
}
SWAN
LOGG=$(hostdir gw)/log/racoon-charon-client.log
spawn gw racoon-gw-charon "$LAB_BIN/racoon" -F -f "$(hostdir gw)/etc/racoon.conf" -l "$LOGG"
RG=${LAB_PIDS[-1]}
wait_for "racoon on the gateway listening on 4500" 200 grep -qF "203.0.113.2[4500] used for NAT-T" "$LOGG"
charon_start client
swanctl_on client --load-all --file "$(hostdir client)/etc/swanctl.conf" >"$(hostdir client)/log/swanctl-load.log" 2>&1 ||
	fail "swanctl could not load the client's connection"
swanctl_on client --initiate --child home >"$(hostdir client)/log/swanctl-initiate.log" 2>&1 ||
	fail "charon could not bring the connection up: $(cat "$(hostdir client)/log/swanctl-initiate.log")"
wait_for "reverse: a ping client -> lan2 through the NAT" 30 on client ping -c 1 -W 1 172.16.2.10
sa=$(on gw ip xfrm state)
g=$(cat "$LOGG")
sas=$(swanctl_on client --list-sas 2>/dev/null)
log "==== reverse: racoon log, gateway"
printf '%s\n' "$g"
log "==== reverse: swanctl --list-sas on the client"
printf '%s\n' "$sas"
expect_contains "reverse: racoon selected RFC 3947" "$g" "Selected NAT-T version: RFC 3947"
expect_contains "reverse: racoon sees charon behind the NAT" "$g" "NAT detected: PEER"
expect_contains "reverse: racoon follows charon to 4500" "$g" "NAT-T: ports changed to: 203.0.113.1["
expect_contains "reverse: racoon's phase 1 is on 4500" "$g" "ISAKMP-SA established 203.0.113.2[4500]-203.0.113.1["
expect_contains "reverse: racoon's phase 2" "$g" "IPsec-SA established: ESP/Tunnel 203.0.113.1->203.0.113.2"
expect_eq "reverse: gateway holds two ESP-in-UDP SAs" "$(grep -c 'encap type espinudp' <<<"$sa")" 2
expect_contains "reverse: charon's CHILD_SA is ESP in UDP" "$sas" "INSTALLED, TUNNEL-in-UDP"
kill -TERM "$RG"
wait "$RG" || fail "reverse: racoon did not exit cleanly on SIGTERM"

# The KAME HOWTO's NAT-T seeds as shown: gw1 (192.168.1.100) runs racoon with
# racoon-kame-natt.conf (listen isakmp and isakmp_natt on its address, natt_keepalive
# 10 sec, remote 192.168.1.1 with nat_traversal on) over the seed's policies, whose
# tunnel ends at the NAT's address 192.168.1.1. Behind that NAT: gw2 (10.0.2.100) with
# lan2, initiating when lan2 pings lan1.
log "---- the KAME HOWTO NAT-T seeds"
SEEDS=$LAB_ROOT/tests/seeds
host kgw1
host knat
host kgw2
link kgw1 192.168.1.100/24 knat 192.168.1.1/24
link knat 10.0.2.1/24 kgw2 10.0.2.100/24
nat knat kgw1
on kgw2 ip route add default via 10.0.2.1
on kgw1 ip route add 172.16.2.0/24 via 192.168.1.1
lan kgw1 172.16.1.1/24 klan1 172.16.1.10/24
lan kgw2 172.16.2.1/24 klan2 172.16.2.10/24
etc1=$(hostdir kgw1)/etc
etc2=$(hostdir kgw2)/etc
printf '%s\t%s\n' 192.168.1.1 "kame natt" >"$etc1/psk.txt"
printf '%s\t%s\n' 192.168.1.100 "kame natt" >"$etc2/psk.txt"
chmod 600 "$etc1/psk.txt" "$etc2/psk.txt"
sed -e "s#\"/etc/psk.txt\"#\"$etc1/psk.txt\"#" "$SEEDS/racoon-kame-natt.conf" >"$etc1/racoon.conf"
# gw2's: the same file from the other side (no listen section: every address).
sed -e "s#\"/etc/psk.txt\"#\"$etc2/psk.txt\"#" -e '/^listen/,/}/d' \
	-e 's#^remote 192.168.1.1 #remote 192.168.1.100 #' \
	-e 's#^sainfo address 172.16.1.0/24 any address 172.16.2.0/24 any#sainfo address 172.16.2.0/24 any address 172.16.1.0/24 any#' \
	"$SEEDS/racoon-kame-natt.conf" >"$etc2/racoon.conf"
cat >"$etc2/policies.conf" <<'POL'
flush;
spdflush;
spdadd 172.16.2.0/24 172.16.1.0/24 any -P out ipsec esp/tunnel/10.0.2.100-192.168.1.100/require;
spdadd 172.16.1.0/24 172.16.2.0/24 any -P in ipsec esp/tunnel/192.168.1.100-10.0.2.100/require;
POL
on kgw1 "$LAB_BIN/setkey" -f "$SEEDS/kame-natt-racoon-policies-192.168.1.100.conf"
on kgw2 "$LAB_BIN/setkey" -f "$etc2/policies.conf"
for h in kgw1 kgw2; do
	t=$(on "$h" "$LAB_BIN/racoon" -t -f "$(hostdir "$h")/etc/racoon.conf" 2>&1) || fail "racoon -t rejects $h's racoon.conf: $t"
	expect_eq "seeds: racoon -t on $h has nothing to warn about" "$t" ""
done
LOG1=$(hostdir kgw1)/log/racoon.log
LOG2=$(hostdir kgw2)/log/racoon.log
spawn kgw1 racoon-kgw1 "$LAB_BIN/racoon" -F -f "$etc1/racoon.conf" -l "$LOG1"
R1=${LAB_PIDS[-1]}
spawn kgw2 racoon-kgw2 "$LAB_BIN/racoon" -F -f "$etc2/racoon.conf" -l "$LOG2"
R2=${LAB_PIDS[-1]}
# Its PF_KEY REGISTER (the default backend) can take a minute or more on a loaded VM.
wait_for "racoon on gw1 listening on its isakmp_natt address" 200 grep -qF "192.168.1.100[4500] used for NAT-T" "$LOG1"
wait_for "racoon on gw2 listening on 4500" 200 grep -qF "10.0.2.100[4500] used for NAT-T" "$LOG2"
capture knat "$(ifname kgw1)" seeds "udp or esp or icmp"
wait_for "seeds: a ping lan2 -> lan1 through the NAT" 60 on klan2 ping -c 1 -W 1 172.16.1.10
on klan2 ping -c 3 -i 0.3 -W 2 172.16.1.10 >/dev/null || fail "seeds: pings after the tunnel came up were lost"
on klan1 ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "seeds: pings lan1 -> lan2 were lost"
wire=$(capture_text seeds)
g1=$(cat "$LOG1") sad=$(on kgw1 "$LAB_BIN/setkey" -D)
log "==== seeds: racoon log, gw1"
printf '%s\n' "$g1"
log "==== seeds: setkey -D on gw1"
printf '%s\n' "$sad"
log "==== seeds: the wire between gw1 and the NAT"
head -n 20 <<<"$wire"
expect_not_contains "seeds: gw1 with the seed warns of nothing" "$g1" "not implemented"
expect_contains "seeds: gw1 listens for IKE on its address only" "$g1" "192.168.1.100[500] used as isakmp port"
expect_contains "seeds: gw1 sees gw2 behind the NAT" "$g1" "NAT detected: PEER"
expect_contains "seeds: gw1 follows gw2 to 4500" "$g1" "NAT-T: ports changed to: 192.168.1.1["
expect_contains "seeds: gw1 phase 2" "$g1" "IPsec-SA established: ESP/Tunnel 192.168.1.1->192.168.1.100"
expect_contains "seeds: ESP in UDP toward gw1" "$wire" "> 192.168.1.100.4500: UDP-encap: ESP"
expect_contains "seeds: ESP in UDP from gw1" "$wire" "192.168.1.100.4500 > 192.168.1.1."
expect_not_contains "seeds: no clear ICMP outside" "$wire" "ICMP echo"
expect_contains "seeds: gw1's SAs are esp-udp" "$sad" "esp-udp mode=tunnel"
expect_eq "seeds: gw1 holds two ESP-in-UDP SAs" "$(on kgw1 ip xfrm state | grep -c 'encap type espinudp')" 2
kill -TERM "$R1" "$R2"
wait "$R1" "$R2" || fail "seeds: racoon did not exit cleanly on SIGTERM"

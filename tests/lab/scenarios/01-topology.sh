# The topology helpers themselves: the KAME HOWTO gateways with their LANs route
# end to end in the clear, and a NAT router masquerades a host behind it.

topo_kame_gateways
on lan1 ping -c 1 -W 2 192.168.1.100 >/dev/null || fail "lan1 cannot reach its gateway gw1"
on lan2 ping -c 1 -W 2 192.168.2.100 >/dev/null || fail "lan2 cannot reach its gateway gw2"
log "ok: each LAN reaches its gateway"
on gw1 ping -c 1 -W 2 192.168.2.100 >/dev/null || fail "gw1 cannot reach gw2 through inet"
log "ok: gw1 reaches gw2 through inet"
if on lan1 ping -c 1 -W 1 172.16.2.10 >/dev/null 2>&1; then
	fail "lan1 reaches lan2 in the clear: a tunnel test could pass without a tunnel"
fi
log "ok: lan1 cannot reach lan2 without a tunnel"

# A road warrior behind a masquerading home router: rw (10.1.0.2) -> home
# (10.1.0.1 | 198.51.100.2) -> inet (198.51.100.1). The public side must see the
# router's address.
host rw
host home
link rw 10.1.0.2/24 home 10.1.0.1/24
link home 198.51.100.2/24 inet 198.51.100.1/24
on rw ip route add default via 10.1.0.1
on home ip route add default via 198.51.100.1
nat home inet
capture gw1 to-inet natcap icmp
on rw ping -c 2 -i 0.2 -W 2 192.168.1.100 >/dev/null || fail "rw cannot reach gw1 through the NAT"
seen=$(capture_text natcap)
printf '%s\n' "$seen"
expect_contains "gw1 sees the NAT router's public address" "$seen" "198.51.100.2 > 192.168.1.100: ICMP echo request"
expect_not_contains "gw1 never sees the private address" "$seen" "10.1.0.2"

# Per-host directories exist for pid files, sockets, configurations and logs.
for h in gw1 gw2 lan1 lan2 inet rw home; do
	for d in etc run log; do
		[[ -d "$(hostdir "$h")/$d" ]] || fail "missing $(hostdir "$h")/$d"
	done
done
log "ok: per-host etc/ run/ log/ directories"

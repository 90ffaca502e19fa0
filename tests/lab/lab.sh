# shellcheck shell=bash
# The kernel lab's scenario library. A scenario is a bash script that the runner
# (tests/lab/run) executes with this file sourced, `set -euo pipefail` on, and:
#   LAB_ROOT   the repository's top directory (built binaries are under target/)
#   LAB_RUN    a scratch directory private to this scenario (per-host dirs live here)
#   LAB_NAME   the scenario's name
# A scenario passes when it exits 0. `fail` (or any failing command) ends it; the
# EXIT trap then prints every host's kernel state and logs before tearing down.
#
# Hosts are network namespaces named "$LAB_NS_PREFIX<name>", so a run directly on a
# capable host cannot collide with the machine's own namespaces.

LAB_NS_PREFIX=${LAB_NS_PREFIX:-lab-}
LAB_HOSTS=()
LAB_PIDS=()
LAB_BIN=${LAB_BIN:-$LAB_ROOT/target/debug}

# ---------------------------------------------------------------- output

log() { printf '[%s] %s\n' "$LAB_NAME" "$*"; }

fail() {
	printf '[%s] FAIL: %s\n' "$LAB_NAME" "$*" >&2
	exit 1
}

expect_eq() { # DESC GOT WANT
	if [[ "$2" != "$3" ]]; then
		fail "$1: expected:
$3
---- got:
$2
---- diff (expected vs got):
$(diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") || true)"
	fi
	log "ok: $1"
}

expect_contains() { # DESC HAYSTACK NEEDLE
	[[ "$2" == *"$3"* ]] || fail "$1: '$3' not found in:
$2"
	log "ok: $1"
}

expect_not_contains() { # DESC HAYSTACK NEEDLE
	[[ "$2" != *"$3"* ]] || fail "$1: '$3' unexpectedly found in:
$2"
	log "ok: $1"
}

# wait_for DESC SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
	local desc=$1 secs=$2
	shift 2
	local deadline=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < deadline)) || fail "timed out after ${secs}s waiting for: $desc"
		sleep 0.2
	done
}

# ---------------------------------------------------------------- hosts

ns() { printf '%s%s' "$LAB_NS_PREFIX" "$1"; }

# hostdir HOST: the host's private directory, with etc/ run/ log/ below it.
hostdir() { printf '%s/%s' "$LAB_RUN" "$1"; }

# on HOST CMD...: run CMD inside HOST's network namespace.
on() {
	local h=$1
	shift
	ip netns exec "$(ns "$h")" "$@"
}

host() { # NAME
	local h=$1
	ip netns add "$(ns "$h")"
	LAB_HOSTS+=("$h")
	on "$h" ip link set lo up
	mkdir -p "$(hostdir "$h")"/{etc,run,log}
	# Keep hosts quiet and deterministic: no IPv6 autoconf chatter, no DAD delay.
	on "$h" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.autoconf=0 net.ipv6.conf.default.autoconf=0 || true
}

has_host() { [[ " ${LAB_HOSTS[*]} " == *" $1 "* ]]; }

# link A ADDR_A B ADDR_B: a veth pair between hosts A and B. In A the interface is
# called "to-B" and in B "to-A" (truncated to the kernel's 15 characters), so
# scenarios can name interfaces without counting. ADDR is CIDR, or "-" for none.
# IPv6 CIDRs work too; pass several addresses separated by commas.
link() {
	local a=$1 aaddr=$2 b=$3 baddr=$4
	local ia ib tmp_a tmp_b
	ia=$(ifname "$b")
	ib=$(ifname "$a")
	tmp_a=lv$RANDOM$RANDOM
	tmp_b=lv$RANDOM$RANDOM
	ip link add "${tmp_a:0:15}" type veth peer name "${tmp_b:0:15}"
	ip link set "${tmp_a:0:15}" netns "$(ns "$a")"
	ip link set "${tmp_b:0:15}" netns "$(ns "$b")"
	on "$a" ip link set "${tmp_a:0:15}" name "$ia"
	on "$b" ip link set "${tmp_b:0:15}" name "$ib"
	addrs "$a" "$ia" "$aaddr"
	addrs "$b" "$ib" "$baddr"
	on "$a" ip link set "$ia" up
	on "$b" ip link set "$ib" up
}

ifname() { local n="to-$1"; printf '%s' "${n:0:15}"; }

addrs() { # HOST IFACE CIDR[,CIDR...]
	local h=$1 i=$2 list=$3 a
	[[ "$list" == "-" ]] && return 0
	IFS=, read -ra _addrs <<<"$list"
	for a in "${_addrs[@]}"; do
		on "$h" ip addr add "$a" dev "$i" nodad 2>/dev/null || on "$h" ip addr add "$a" dev "$i"
	done
}

route() { # HOST DEST VIA
	on "$1" ip route add "$2" via "$3"
}

forwarding() { # HOST: make HOST a router
	on "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

# lan GW GW_CIDR HOST HOST_CIDR: HOST sits on a LAN behind gateway GW, with its
# default route through GW. GW forwards.
lan() {
	local gw=$1 gwaddr=$2 h=$3 haddr=$4
	has_host "$h" || host "$h"
	link "$gw" "$gwaddr" "$h" "$haddr"
	forwarding "$gw"
	on "$h" ip route add default via "${gwaddr%/*}"
}

# nat ROUTER PEER: masquerade everything ROUTER forwards out of its link to PEER
# (source NAT, as a home router does), for the NAT traversal scenarios.
nat() {
	local r=$1 peer=$2
	forwarding "$r"
	on "$r" nft -f - <<EOF
table ip lab_nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "$(ifname "$peer")" masquerade
	}
}
EOF
}

# Two hosts on one link: left 10.0.0.1/24 and right 10.0.0.2/24.
topo_pair() {
	host left
	host right
	link left 10.0.0.1/24 right 10.0.0.2/24
}

# The KAME HOWTO's site-to-site layout: gateways gw1 (192.168.1.100) and gw2
# (192.168.2.100) joined through router "inet" (192.168.1.1 / 192.168.2.1), with
# lan1 (172.16.1.10) behind gw1 (172.16.1.1) and lan2 (172.16.2.10) behind gw2
# (172.16.2.1). inet knows no route to the 172.16 LANs, as on the Internet, so
# LAN-to-LAN traffic gets through only inside a tunnel.
topo_kame_gateways() {
	host inet
	host gw1
	host gw2
	link gw1 192.168.1.100/24 inet 192.168.1.1/24
	link gw2 192.168.2.100/24 inet 192.168.2.1/24
	forwarding inet
	on gw1 ip route add default via 192.168.1.1
	on gw2 ip route add default via 192.168.2.1
	lan gw1 172.16.1.1/24 lan1 172.16.1.10/24
	lan gw2 172.16.2.1/24 lan2 172.16.2.10/24
}

# ---------------------------------------------------------------- processes

# spawn HOST NAME CMD...: run CMD in HOST in the background, output to
# $(hostdir HOST)/log/NAME.log; it is killed when the scenario ends.
# `ip netns exec` execs CMD, so the pid recorded is CMD's own: signals and `wait` reach
# it (a backgrounded shell function would put a subshell in between).
spawn() {
	local h=$1 name=$2
	shift 2
	ip netns exec "$(ns "$h")" "$@" >"$(hostdir "$h")/log/$name.log" 2>&1 &
	LAB_PIDS+=($!)
}

# ---------------------------------------------------------------- packets

# xfrm_packets HOST SPI: packets counted by the kernel on the SA with this SPI
# (from `ip -s xfrm state`'s "lifetime current" block).
xfrm_packets() {
	local h=$1 spi=$2
	on "$h" ip -s xfrm state | awk -v spi="$(printf '0x%08x' "$spi")" '
		$1 == "proto" && $3 == "spi" { sub(/\(.*/, "", $4); cur = ($4 == spi) }
		cur && /lifetime current:/ { getline; gsub(/\(packets\)/, "", $2); print $2; exit }'
}

# capture HOST IFACE NAME FILTER: start tcpdump; capture_text NAME stops it and
# prints what it saw.
capture() {
	local h=$1 i=$2 name=$3
	shift 3
	local pcap
	pcap="$(hostdir "$h")/log/$name.pcap"
	# An earlier capture of the same name left its "listening on" line: gone first, so
	# the wait below sees this tcpdump's.
	rm -f "$pcap" "$(hostdir "$h")/log/$name.tcpdump"
	# Started as spawn starts daemons, not through `on`: a function run with & leaves a
	# subshell as $!, which ignores the SIGINT capture_text sends, so tcpdump would run on.
	ip netns exec "$(ns "$h")" tcpdump -U -n -i "$i" -w "$pcap" "$@" >"$(hostdir "$h")/log/$name.tcpdump" 2>&1 &
	LAB_PIDS+=($!)
	eval "LAB_CAP_${name//-/_}_PID=$!"
	eval "LAB_CAP_${name//-/_}_FILE=$pcap"
	eval "LAB_CAP_${name//-/_}_LOG=$(hostdir "$h")/log/$name.tcpdump"
	# tcpdump says "listening on" once the socket is bound.
	wait_for "tcpdump on $h/$i" 30 grep -q "listening on" "$(hostdir "$h")/log/$name.tcpdump"
}

capture_text() { # NAME
	local name=${1//-/_} pid file
	eval "pid=\$LAB_CAP_${name}_PID file=\$LAB_CAP_${name}_FILE"
	# tcpdump writes each packet as it gets to it, which under the VM's emulation can be
	# a while after the packet passed: SIGINT drops what it has not written yet ("8
	# received by filter, 4 captured"). So it is stopped once the file has stopped
	# growing for half a second (five at most).
	local size=-1 now tries=0
	sleep 0.3
	while ((tries++ < 10)); do
		now=$(stat -c %s "$file" 2>/dev/null || echo 0)
		((now == size)) && break
		size=$now
		sleep 0.5
	done
	kill -INT "$pid" 2>/dev/null || true
	# Callers use $(capture_text NAME), a subshell of which tcpdump is no child, so
	# `wait` returns at once there: wait for the process to go instead. A tcpdump still
	# writing when the next capture of the same name truncates the file leaves a hole of
	# zeros in it ("Invalid header: caplen==0").
	tries=0
	while kill -0 "$pid" 2>/dev/null && ((tries++ < 100)); do
		sleep 0.1
	done
	wait "$pid" 2>/dev/null || true
	# A capture cut off mid-packet still prints what it has.
	tcpdump -n -r "$file" 2>/dev/null || true
}

# ---------------------------------------------------------------- kernel state

# sa_summary HOST: one sorted line per SA from `ip xfrm state`, with what defines the
# SA (addresses, protocol, SPI, reqid, mode, algorithms with keys and truncation,
# encapsulation) and without what changes with traffic or differs harmlessly between
# PF_KEY and XFRM (counters, anti-replay state, the SA's selector).
sa_summary() {
	on "$1" ip xfrm state | awk '
		/^src / { if (b != "") print b; b = $0; next }
		/^\t(proto|auth|auth-trunc|enc|aead|comp|encap) / { sub(/^\t/, ""); b = b " | " $0 }
		END { if (b != "") print b }' | sort
}

# policy_summary HOST: one sorted line per policy from `ip xfrm policy` (selector,
# direction, priority, action, every template with its level).
policy_summary() {
	on "$1" ip xfrm policy | awk '
		/^src / { if (b != "") print b; b = $0; next }
		/^\t/ { l = $0; sub(/^\t+/, "", l); b = b " | " l }
		END { if (b != "") print b }' | sort
}

# ---------------------------------------------------------------- teardown

lab_dump_state() {
	local h
	for h in "${LAB_HOSTS[@]}"; do
		echo "======== host $h: ip -s xfrm state"
		on "$h" ip -s xfrm state 2>&1 || true
		echo "======== host $h: ip -s xfrm policy"
		on "$h" ip -s xfrm policy 2>&1 || true
		echo "======== host $h: ip addr / ip route"
		on "$h" ip -brief addr 2>&1 || true
		on "$h" ip route 2>&1 || true
		local f
		for f in "$(hostdir "$h")"/log/*; do
			[[ -f "$f" && "$f" != *.pcap ]] || continue
			echo "======== host $h: ${f##*/}"
			tail -n 200 "$f"
		done
	done
}

lab_teardown() {
	local rc=$?
	set +e
	if ((rc != 0)); then
		echo "-------- scenario $LAB_NAME failed (exit $rc); state of every host follows"
		lab_dump_state
	fi
	local p
	for p in "${LAB_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${LAB_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	local h
	for h in "${LAB_HOSTS[@]}"; do ip netns del "$(ns "$h")" 2>/dev/null; done
	exit "$rc"
}
trap lab_teardown EXIT

# ---------------------------------------------------------------- interop peers

# wait_for_quiet SECONDS CMD...: as wait_for, but returns 1 on timeout instead of failing.
wait_for_quiet() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		((SECONDS < deadline)) || return 1
		sleep 0.2
	done
}

# lab_template SRC DST KEY=VALUE...: copy SRC to DST with every @KEY@ replaced by VALUE.
lab_template() {
	local src=$1 dst=$2 kv k v text
	shift 2
	text=$(<"$src")
	for kv in "$@"; do
		k=${kv%%=*}
		v=${kv#*=}
		text=${text//@"$k"@/"$v"}
	done
	printf '%s\n' "$text" >"$dst"
	[[ $text != *@[A-Z_]*@* ]] || fail "lab_template: $src: a placeholder was left unfilled in $dst"
}

# charon_start HOST: strongSwan's charon in HOST, with its own strongswan.conf whose vici
# socket and log (log/charon.log) are in the host's directory (CHARON_TEMPLATE names
# another template). Waits for the socket.
# charon insists on /var/run/charon.pid, so a stale one from an earlier charon goes first.
charon_start() {
	local h=$1 dir
	dir=$(hostdir "$h")
	lab_template "${CHARON_TEMPLATE:-$LAB_ROOT/tests/lab/strongswan/strongswan.conf}" "$dir/etc/strongswan.conf" "DIR=$dir"
	rm -f /var/run/charon.pid "$dir/run/charon.vici"
	spawn "$h" charon-stdout env STRONGSWAN_CONF="$dir/etc/strongswan.conf" /usr/lib/ipsec/charon
	wait_for "charon's vici socket on $h" 60 test -S "$dir/run/charon.vici"
}

# swanctl_on HOST COMMAND ARGS...: swanctl COMMAND (--load-all, --list-sas, ...) talking to
# HOST's charon; swanctl wants the command first and the socket's --uri after it.
swanctl_on() {
	local h=$1 cmd=$2 dir
	shift 2
	dir=$(hostdir "$h")
	on "$h" env STRONGSWAN_CONF="$dir/etc/strongswan.conf" \
		swanctl "$cmd" --uri "unix://$dir/run/charon.vici" "$@"
}

# Our racoon on gw1 against another IKE daemon on gw2 (topo_kame_gateways), as in the
# 40-42 scenarios. RACOON_LOG names racoon's log file; peer_mark starts a new section
# of it and peer_log prints that section, so each round checks only its own lines.
peer_mark() { PEER_MARK=$(($(wc -l <"$RACOON_LOG") + 1)); }
peer_log() { tail -n "+$PEER_MARK" "$RACOON_LOG"; }
# (grep reads to the end: with -q it could quit early and, under pipefail, fail the pipe.)
peer_log_has() { peer_log | grep -F -- "$1" >/dev/null; } # TEXT

# peer_round NAME FROM TO: ping FROM -> TO until the negotiated tunnel carries it (the
# first pings only raise the ACQUIRE), three more that must all cross, then check that
# the wire between the gateways shows IKE and ESP both ways and no clear ICMP, and that
# racoon logged phase 1 and both phase-2 SAs. ROUND_LOG holds racoon's lines of the round.
peer_round() {
	local r=$1 from=$2 to=$3 wire cap
	cap=wire${r//[^a-zA-Z0-9]/}
	peer_mark
	capture inet to-gw1 "$cap" "host 192.168.1.100 and host 192.168.2.100"
	wait_for "$r: a ping $from -> $to through the negotiated tunnel" 60 \
		on "$from" ping -c 1 -W 1 "$to"
	on "$from" ping -c 3 -i 0.3 -W 2 "$to" >/dev/null || fail "$r: pings after the tunnel came up were lost"
	wire=$(capture_text "$cap")
	ROUND_LOG=$(peer_log)
	log "==== $r: racoon's log on gw1"
	printf '%s\n' "$ROUND_LOG"
	log "==== $r: the wire between the gateways"
	printf '%s\n' "$wire" | head -n 16
	expect_contains "$r: IKE on the wire" "$wire" "192.168.1.100.500 > 192.168.2.100.500: isakmp"
	expect_contains "$r: ESP on the wire" "$wire" "192.168.1.100 > 192.168.2.100: ESP"
	expect_contains "$r: ESP back on the wire" "$wire" "192.168.2.100 > 192.168.1.100: ESP"
	expect_not_contains "$r: no clear ICMP between the gateways" "$wire" "ICMP echo"
	expect_contains "$r: racoon: phase 1" "$ROUND_LOG" "ISAKMP-SA established 192.168.1.100[500]-192.168.2.100[500]"
	expect_contains "$r: racoon: phase 2 out" "$ROUND_LOG" "IPsec-SA established: ESP/Tunnel 192.168.1.100->192.168.2.100"
	expect_contains "$r: racoon: phase 2 in" "$ROUND_LOG" "IPsec-SA established: ESP/Tunnel 192.168.2.100->192.168.1.100"
	expect_eq "$r: gw1 holds the two ESP SAs" "$(on gw1 ip xfrm state | grep -c '^	proto esp')" 2
}

# esp_spis HOST: the ESP SPIs in HOST's SAD, sorted, one a line.
esp_spis() { on "$1" ip xfrm state | awk '$1 == "proto" && $2 == "esp" { print $4 }' | sort; }

# racoon_gw1 TEMPLATE PSK-KEY PSK KEY=VALUE...: gw1's racoon.conf from TEMPLATE (with
# PSKFILE and the given substitutions), psk.txt holding PSK under PSK-KEY, the seed's
# policy-only setkey file loaded, `racoon -t` passed, racoon started (-F, log in
# RACOON_LOG, pid in RACOON_PID) and listening.
racoon_gw1() {
	local tmpl=$1 key=$2 psk=$3 etc
	shift 3
	etc=$(hostdir gw1)/etc
	on gw1 "$LAB_BIN/setkey" -f "$LAB_ROOT/tests/seeds/kame-racoon-policies-192.168.1.100.conf"
	printf '%s\t%s\n' "$key" "$psk" >"$etc/psk.txt"
	chmod 600 "$etc/psk.txt"
	lab_template "$tmpl" "$etc/racoon.conf" "PSKFILE=$etc/psk.txt" "$@"
	on gw1 "$LAB_BIN/racoon" -t -f "$etc/racoon.conf" || fail "racoon -t rejects gw1's racoon.conf"
	RACOON_LOG=$(hostdir gw1)/log/racoon.log
	spawn gw1 racoon-stdout "$LAB_BIN/racoon" -F -f "$etc/racoon.conf" -l "$RACOON_LOG"
	RACOON_PID=${LAB_PIDS[-1]}
	# The kernel's first SADB_REGISTER probes every algorithm: a minute or two in the VM.
	wait_for "racoon on gw1 listening" 200 grep -q "192.168.1.100\[500\] used as isakmp port" "$RACOON_LOG"
}

# Libreswan, unpacked by scripts/setup into target/libreswan/root (it conflicts with
# strongSwan in apt). pluto looks for its helpers (addconn, _updown) under the fixed
# /usr/libexec/ipsec, so it runs in a private mount namespace where the unpacked
# /usr/libexec is bound over the real one.
LAB_LIBRESWAN=$LAB_ROOT/target/libreswan/root/usr/libexec

# pluto_start HOST: pluto in HOST with etc/ipsec.conf and etc/ipsec.secrets from the
# host's directory, its own NSS database (nss/), control socket and pid file in run/.
# Waits until pluto has loaded the connections (addconn --autoall) and listens.
pluto_start() {
	local h=$1 dir
	dir=$(hostdir "$h")
	[[ -x $LAB_LIBRESWAN/ipsec/pluto ]] || fail "no libreswan in $LAB_LIBRESWAN (run scripts/setup)"
	mkdir -p "$dir/nss"
	certutil -N -d "sql:$dir/nss" --empty-password || fail "certutil could not create $h's NSS db"
	chmod 600 "$dir/etc/ipsec.secrets"
	# shellcheck disable=SC2016
	spawn "$h" pluto-stdout unshare -m --propagation private \
		sh -c 'mount --bind "$1" /usr/libexec && shift && exec "$@"' sh "$LAB_LIBRESWAN" \
		"$LAB_LIBRESWAN/ipsec/pluto" --nofork --config "$dir/etc/ipsec.conf" --rundir "$dir/run" \
		--secretsfile "$dir/etc/ipsec.secrets" --nssdir "$dir/nss" --ipsecdir "$dir/etc"
	wait_for "pluto's control socket on $h" 60 test -S "$dir/run/pluto.ctl"
	wait_for "pluto on $h listening" 60 grep -q "listening for IKE messages" "$dir/log/pluto.log"
}

# whack_on HOST ARGS...: pluto's whack talking to HOST's pluto.
whack_on() {
	local h=$1
	shift
	on "$h" "$LAB_LIBRESWAN/ipsec/whack" --ctlsocket "$(hostdir "$h")/run/pluto.ctl" "$@"
}

# sad_empty HOST: HOST's SAD holds no SA (for wait_for: evaluated on every poll).
sad_empty() { [[ -z $(on "$1" ip xfrm state) ]]; }
# esp_count HOST N: HOST's SAD holds exactly N ESP SAs.
esp_count() { [[ $(esp_spis "$1" | wc -l) == "$2" ]]; }

# lab_backends: the kernel interfaces to run a scenario on, one word each: pfkey (when the
# kernel has AF_KEY) and xfrm.
lab_backends() {
	if [[ -e /proc/net/pfkey ]]; then echo pfkey xfrm; else echo xfrm; fi
}

# load_policies BACKEND HOST...: each HOST's etc/policies.conf loaded with our setkey.
load_policies() {
	local b=$1 h
	shift
	for h in "$@"; do
		on "$h" "$LAB_BIN/setkey" --backend "$b" -f "$(hostdir "$h")/etc/policies.conf"
	done
}

# Two of our racoons against each other (scenarios 30-37).

# racoon_pair H1 ADDR1 H2 ADDR2 BACKEND [TAG]: our racoon on each host with the host's
# etc/racoon.conf (which `racoon -t` must accept first), in the foreground (-F), logs in
# log/racoon-TAG.log (LOG1, LOG2; TAG defaults to BACKEND), pids in RACOON1 and RACOON2.
# Returns once both listen on ADDR[500]: the first PF_KEY REGISTER of a boot probes
# every algorithm, which takes a minute or two in the VM without KVM.
racoon_pair() {
	local h1=$1 a1=$2 h2=$3 a2=$4 b=$5 tag=${6:-$5} h
	for h in "$h1" "$h2"; do
		on "$h" "$LAB_BIN/racoon" -t -f "$(hostdir "$h")/etc/racoon.conf" ||
			fail "racoon -t rejects $h's racoon.conf"
	done
	LOG1=$(hostdir "$h1")/log/racoon-$tag.log
	LOG2=$(hostdir "$h2")/log/racoon-$tag.log
	spawn "$h1" "racoon-$h1-$tag" "$LAB_BIN/racoon" --backend "$b" -F -f "$(hostdir "$h1")/etc/racoon.conf" -l "$LOG1"
	RACOON1=${LAB_PIDS[-1]}
	spawn "$h2" "racoon-$h2-$tag" "$LAB_BIN/racoon" --backend "$b" -F -f "$(hostdir "$h2")/etc/racoon.conf" -l "$LOG2"
	RACOON2=${LAB_PIDS[-1]}
	wait_for "racoon on $h1 listening" 200 grep -qF "$a1[500] used as isakmp port" "$LOG1"
	wait_for "racoon on $h2 listening" 200 grep -qF "$a2[500] used as isakmp port" "$LOG2"
}

# kame_policies BACKEND: the KAME HOWTO's policy-only setkey file on gw1, and on gw2 the
# same policies with in and out swapped (the tunnel ends stay), loaded with our setkey
# (topo_kame_gateways).
kame_policies() {
	local seed=$LAB_ROOT/tests/seeds/kame-racoon-policies-192.168.1.100.conf
	on gw1 "$LAB_BIN/setkey" --backend "$1" -f "$seed"
	sed -e 's/-P in /-P IN /; s/-P out /-P in /; s/-P IN /-P out /' "$seed" >"$(hostdir gw2)/etc/policies.conf"
	on gw2 "$LAB_BIN/setkey" --backend "$1" -f "$(hostdir gw2)/etc/policies.conf"
}

# kame_racoon_conf HOST PEER LOCAL-LAN PEER-LAN PSK-KEY PSK [SED-ARG...]: HOST's
# racoon.conf from the KAME HOWTO 4.3.1 seed (the psk file in HOST's etc/, `remote PEER`,
# the sainfo for the two LANs), edited further by the sed arguments, and psk.txt holding
# PSK under PSK-KEY.
kame_racoon_conf() {
	local h=$1 peer=$2 mine=$3 theirs=$4 key=$5 psk=$6 etc
	shift 6
	etc=$(hostdir "$h")/etc
	printf '%s\t%s\n' "$key" "$psk" >"$etc/psk.txt"
	chmod 600 "$etc/psk.txt"
	sed -e "s#\"/etc/psk.txt\"#\"$etc/psk.txt\"#" \
		-e "s#^remote 192.168.2.100#remote $peer#" \
		-e "s#^sainfo address 172.16.1.0/24 any address 172.16.2.0/24 any#sainfo address $mine any address $theirs any#" \
		"$@" "$LAB_ROOT/tests/seeds/racoon-kame-psk.conf" >"$etc/racoon.conf"
}

# transport_policies HOST ME PEER: HOST's etc/policies.conf with host-to-host ESP
# transport policies covering everything between ME and PEER (IKE included: racoon's
# sockets bypass them), for `setkey -f`.
transport_policies() {
	cat >"$(hostdir "$1")/etc/policies.conf" <<POLICIES
flush;
spdflush;
spdadd $2 $3 any -P out ipsec esp/transport//require;
spdadd $3 $2 any -P in ipsec esp/transport//require;
POLICIES
}

# psk_racoon_conf HOST PEER SECRET [KEY=VALUE...]: HOST's psk.txt (SECRET for PEER, mode
# 0600) and a racoon.conf with a main-mode `remote PEER` (ph1_enc, sha1, pre-shared key,
# modp1024) and `sainfo anonymous` (ph2_enc, hmac_sha1, deflate). Keys: ph1_enc and
# ph2_enc (default aes), remote and sainfo (more lines for those sections), head (lines
# before the remote, such as a timer or listen section), name (the remote section's
# selector instead of PEER: `anonymous` for a server taking any address).
psk_racoon_conf() {
	local h=$1 peer=$2 secret=$3 etc ph1_enc=aes ph2_enc=aes remote='' sainfo='' head=''
	local name=$2
	local "${@:4}"
	etc=$(hostdir "$h")/etc
	printf '%s\t%s\n' "$peer" "$secret" >"$etc/psk.txt"
	chmod 600 "$etc/psk.txt"
	cat >"$etc/racoon.conf" <<CONF
path pre_shared_key "$etc/psk.txt";
$head
remote $name {
        exchange_mode main;
$remote
        proposal {
                encryption_algorithm $ph1_enc;
                hash_algorithm sha1;
                authentication_method pre_shared_key;
                dh_group modp1024;
        }
}

sainfo anonymous {
$sainfo
        encryption_algorithm $ph2_enc;
        authentication_algorithm hmac_sha1;
        compression_algorithm deflate;
}
CONF
}

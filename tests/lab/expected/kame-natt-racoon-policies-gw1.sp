src 172.16.1.0/24 dst 172.16.2.0/24  | dir out priority 2147483648 ptype main  | tmpl src 192.168.1.100 dst 192.168.1.1 | proto esp reqid 0 mode tunnel
src 172.16.2.0/24 dst 172.16.1.0/24  | dir fwd priority 2147483648 ptype main  | tmpl src 192.168.1.1 dst 192.168.1.100 | proto esp reqid 0 mode tunnel
src 172.16.2.0/24 dst 172.16.1.0/24  | dir in priority 2147483648 ptype main  | tmpl src 192.168.1.1 dst 192.168.1.100 | proto esp reqid 0 mode tunnel

src 192.168.1.100/32 dst 192.168.2.100/32  | dir out priority 2147483648 ptype main  | tmpl src 0.0.0.0 dst 0.0.0.0 | proto esp reqid 0 mode transport
src 192.168.2.100/32 dst 192.168.1.100/32  | dir fwd priority 2147483648 ptype main  | tmpl src 0.0.0.0 dst 0.0.0.0 | proto esp reqid 0 mode transport
src 192.168.2.100/32 dst 192.168.1.100/32  | dir in priority 2147483648 ptype main  | tmpl src 0.0.0.0 dst 0.0.0.0 | proto esp reqid 0 mode transport

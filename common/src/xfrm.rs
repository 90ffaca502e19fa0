//! XFRM netlink: the message codec and the NETLINK_XFRM backend.

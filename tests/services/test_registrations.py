"""The network rule of sign-up (`signup.filters.cidr`), which GET /config also reports."""

from __future__ import annotations

import pytest

from vidpub.config import load_config
from vidpub.services.registrations import ip_allowed


def config_with(tmp_path, whitelist=(), blacklist=()):
    base = load_config(None, tmp_path, environ={})
    return base.with_overrides({"signup": {"filters": {"cidr": {"whitelist": list(whitelist),
                                                                "blacklist": list(blacklist)}}}})


@pytest.mark.parametrize("whitelist,blacklist,ip,allowed", [
    ((), (), "203.0.113.7", True),                                    # no filter
    ((), ("203.0.113.0/24",), "203.0.113.7", False),                  # blacklisted
    ((), ("203.0.113.0/24",), "198.51.100.1", True),                  # elsewhere
    (("10.0.0.0/8",), (), "203.0.113.7", False),                      # a whitelist refuses the unknown
    (("10.0.0.0/8",), (), "10.1.2.3", True),
    (("10.1.2.3/32",), ("10.0.0.0/8",), "10.1.2.3", True),           # the whitelist wins
    (("10.1.2.3/32",), ("10.0.0.0/8",), "10.1.2.4", False),
    ((), ("2001:db8::/32",), "2001:db8::1", False),                   # IPv6
    ((), ("2001:db8::/32",), "203.0.113.7", True),                    # other family: no match
    ((), ("127.0.0.0/8",), "::ffff:127.0.0.1", False),                # IPv4 seen through IPv6
    (("not-a-cidr",), (), "203.0.113.7", True),                       # what is not a CIDR is ignored
    ((), (), None, False),                                            # no address, no sign-up
    ((), (), "garbage", False),
])
def test_cidr_filters(tmp_path, whitelist, blacklist, ip, allowed):
    assert ip_allowed(config_with(tmp_path, whitelist, blacklist), ip) is allowed

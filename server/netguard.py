"""Where nodes may send HTTP requests. Link-local and cloud metadata addresses (where a
cloud machine's credentials live) are refused unless allow-listed; private networks too
when FLOWLANE_HTTP_BLOCK_PRIVATE is set. Checked on every request, redirects included,
against every address the host name resolves to."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

import httpx

from nodes.registry import NodeError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

ALWAYS_BLOCKED: tuple[Network, ...] = tuple(ipaddress.ip_network(n) for n in (
    "169.254.0.0/16",      # IPv4 link-local, incl. 169.254.169.254 (AWS, GCP, Azure, ...)
    "fe80::/10",           # IPv6 link-local
    "fd00:ec2::254/128",   # AWS metadata over IPv6
    "100.100.100.200/32",  # Alibaba Cloud metadata
    "192.0.0.192/32",      # Oracle Cloud metadata
    "0.0.0.0/8",
))
PRIVATE: tuple[Network, ...] = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "::1/128", "fc00::/7",
))
METADATA_HOSTS = {"metadata.google.internal", "metadata.goog", "metadata"}


class OutboundGuard:
    def __init__(self, allowlist: str = "", block_private: bool = False) -> None:
        self.blocked = ALWAYS_BLOCKED + (PRIVATE if block_private else ())
        self.allowed_hosts: set[str] = set()
        self.allowed_networks: list[Network] = []
        for entry in (part.strip() for part in allowlist.split(",")):
            if not entry:
                continue
            try:
                self.allowed_networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.allowed_hosts.add(entry.lower())

    def check_request(self, request: httpx.Request) -> None:
        """An httpx request hook: raise before a blocked destination is contacted."""
        self.check(request.url.host)

    def check(self, host: str) -> None:
        host = host.lower().strip("[]")
        if host in self.allowed_hosts:
            return
        if host in METADATA_HOSTS:
            self._refuse(host, "a cloud metadata address")
        for address in self._addresses(host):
            if any(address in network for network in self.allowed_networks):
                continue
            if any(address in network for network in self.blocked):
                self._refuse(host, f"{address}, which is a link-local, metadata or private "
                                   "address")

    @staticmethod
    def _addresses(host: str) -> Iterable[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except socket.gaierror:
            return []  # httpx reports the failure to resolve in its own words
        return {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}

    @staticmethod
    def _refuse(host: str, why: str) -> None:
        raise NodeError(f"Flowlane does not send requests to {host}: it resolves to {why}. "
                        "An administrator can allow it with FLOWLANE_HTTP_ALLOWLIST.")

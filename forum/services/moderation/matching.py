"""Matching helpers for rules: whole-word keywords and IP ranges."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from collections.abc import Mapping
from functools import lru_cache


@lru_cache(maxsize=512)
def _word_pattern(keyword: str) -> re.Pattern[str]:
    """Whole words, any case: "pill" does not match "spill"; phrases match as written.

    The word-boundary check applies only at edges that are word characters, so ".ru",
    "@spam.example" and "$$$" still match inside "cheap.ru", "bob@spam.example", "earn$$$".
    """
    word = keyword.strip()
    start = r"(?<!\w)" if re.match(r"\w", word) else ""
    end = r"(?!\w)" if re.search(r"\w$", word) else ""
    return re.compile(start + re.escape(word) + end, re.IGNORECASE)


def find_keyword(keywords: Iterable[str], fields: Mapping[str, str]) -> tuple[str, str] | None:
    """The first keyword found in any field, with the field's name; None when none is."""
    for keyword in keywords:
        if not keyword.strip():
            continue
        pattern = _word_pattern(keyword)
        for name, value in fields.items():
            if pattern.search(value):
                return keyword.strip(), name
    return None


def parse_ranges(entries: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Addresses or CIDR ranges; entries that are neither are skipped (forms validate them)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def ip_in_ranges(address: str, entries: Iterable[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in parse_ranges(entries))


def valid_range(entry: str) -> bool:
    try:
        ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        return False
    return True

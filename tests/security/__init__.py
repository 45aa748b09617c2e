"""Security tests: what an attacker or an assessor (等保三级) would try."""

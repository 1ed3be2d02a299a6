"""A short, readable name for a browser's user agent: what a person recognises."""

from __future__ import annotations

from ua_parser import parse


def describe_agent(agent: str) -> str:
    """For example "Chrome 120 · Windows 10"; the raw text, shortened, when unknown."""
    agent = (agent or "").strip()
    if not agent:
        return ""
    result = parse(agent)
    parts = []
    if result.user_agent and result.user_agent.family != "Other":
        parts.append(_named(result.user_agent.family, result.user_agent.major))
    if result.os and result.os.family != "Other":
        parts.append(_named(result.os.family, result.os.major))
    if result.device and result.device.family not in ("Other", "Spider"):
        device = result.device.family
        if device not in parts and not any(part.startswith(device) for part in parts):
            parts.append(device)
    if not parts:
        return agent[:60]
    return " · ".join(parts)


def _named(family: str, major: str | None) -> str:
    return f"{family} {major}" if major else family

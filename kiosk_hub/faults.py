"""Fault injection for tests, only with ``kiosk-hub serve --enable-test-faults``.

Tests ``POST /_test/faults`` a list of rules; each request whose path starts with a rule's ``match``
(and whose method matches, when given) consumes one use of the first such rule:

* ``status``   — answer ``status`` (503, 429 …) with an optional ``Retry-After``; nothing is run.
* ``cut``      — send the headers and ``after_bytes`` of the body, then close the connection. API
                 requests are executed first, so the platform has committed what the client never
                 hears about.
* ``stall``    — send the headers and ``after_bytes`` of the body, then wait ``seconds``.
* ``oversize`` — send ``extra_bytes`` more than the real body (a static file grows, JSON is padded).
* ``drop``     — close the connection without answering.

``GET /_test/log`` returns the requests seen (method, path, range, status, bytes sent).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

ACTIONS = ("status", "cut", "stall", "oversize", "drop")


@dataclass
class Rule:
    match: str
    action: str
    times: int = 1  # -1: every matching request
    method: str | None = None
    status: int = 503
    retry_after: str | None = None
    after_bytes: int = 0
    seconds: float = 30.0
    extra_bytes: int = 1_000_000

    @classmethod
    def from_json(cls, obj: Any) -> Rule:
        if not isinstance(obj, dict) or obj.get("action") not in ACTIONS or not isinstance(obj.get("match"), str):
            raise ValueError(f"bad fault rule {obj!r}")
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in obj.items() if k in known})


@dataclass
class FaultInjector:
    rules: list[Rule] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set_rules(self, rules: list[Any]) -> None:
        parsed = [Rule.from_json(r) for r in rules]
        with self.lock:
            self.rules = parsed

    def take(self, method: str, path: str) -> Rule | None:
        with self.lock:
            for rule in self.rules:
                if path.startswith(rule.match) and rule.method in (None, method) and rule.times != 0:
                    if rule.times > 0:
                        rule.times -= 1
                    return rule
        return None

    def record(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self.log.append(entry)
            del self.log[:-20000]

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"log": list(self.log), "rules": [asdict(r) for r in self.rules]}

    def reset(self) -> None:
        with self.lock:
            self.rules.clear()
            self.log.clear()

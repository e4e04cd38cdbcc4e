"""Log lines for the journal: one JSON object per line on standard error.

Messages that already are JSON objects (``{"event": "admin_action", …}``) are merged into the line;
others become ``{"message": …}``. Either way ``journalctl -u legal-kiosk -o cat | jq`` reads them.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

_CONFIGURED = "_kiosk_json_handler"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        line: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        try:
            parsed = json.loads(message) if message.startswith("{") else None
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            line.update(parsed)
        else:
            line["message"] = message
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def setup_logging(level: int = logging.INFO) -> None:
    """Send the kiosk's own log records (loggers under ``kiosk``) to standard error as JSON lines."""
    logger = logging.getLogger("kiosk")
    if any(getattr(h, _CONFIGURED, False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    setattr(handler, _CONFIGURED, True)
    logger.addHandler(handler)
    logger.setLevel(level)

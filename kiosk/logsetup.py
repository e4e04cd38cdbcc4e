"""Log lines for the journal: one JSON object per line on standard error.

Messages that already are JSON objects (``{"event": "admin_action", …}``) are merged into the line;
others become ``{"message": …}``. Either way ``journalctl -u legal-kiosk -o cat | jq`` reads them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import struct
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
    setup_sync_journal()


#: Every sync run's stage lines, whoever started it (timer, ``kiosk sync`` by hand, the app, the wizard),
#: reach the journal under this identifier: ``journalctl -t legal-kiosk-sync`` (docs/operations.md).
SYNC_IDENTIFIER = "legal-kiosk-sync"
ENV_JOURNAL_SOCKET = "KIOSK_JOURNAL_SOCKET"  # tests point it at their own socket
JOURNAL_SOCKET = "/run/systemd/journal/socket"
_SYNC_LOGGER = "kiosk.sync.run"
_PRIORITIES = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3, logging.CRITICAL: 2}


def log_sync_line(line: dict[str, Any]) -> None:
    """One stage line of a sync run, as ``kiosk sync`` prints it, into the log (and the sync journal)."""
    logging.getLogger(_SYNC_LOGGER).info(json.dumps({"event": "sync", **line}, ensure_ascii=False, default=str))


def journal_socket() -> str | None:
    path = os.environ.get(ENV_JOURNAL_SOCKET, JOURNAL_SOCKET)
    return path if os.path.exists(path) else None


def stdout_is_journal() -> bool:
    """True under a systemd unit whose standard output already is the journal (``JOURNAL_STREAM``)."""
    stream = os.environ.get("JOURNAL_STREAM", "")
    try:
        st = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return stream == f"{st.st_dev}:{st.st_ino}"


class JournalHandler(logging.Handler):
    """journald's native protocol (one datagram per record), so no library is needed; a journal that is
    not there loses the line, never the program."""

    def __init__(self, identifier: str, path: str):
        super().__init__()
        self.identifier = identifier
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.setFormatter(JsonLines())

    def emit(self, record: logging.LogRecord) -> None:
        fields = {
            "MESSAGE": self.format(record),
            "SYSLOG_IDENTIFIER": self.identifier,
            "PRIORITY": str(_PRIORITIES.get(record.levelno, 6)),
        }
        data = b""
        for key, value in fields.items():
            raw = value.encode("utf-8")
            if b"\n" in raw:  # the binary form: name, newline, 64-bit little-endian length, value
                data += key.encode() + b"\n" + struct.pack("<Q", len(raw)) + raw + b"\n"
            else:
                data += key.encode() + b"=" + raw + b"\n"
        with contextlib.suppress(OSError):
            self.sock.sendto(data, self.path)

    def close(self) -> None:
        self.sock.close()
        super().close()


def setup_sync_journal() -> None:
    """Send sync stage lines to the journal as ``legal-kiosk-sync`` (once per process)."""
    logger = logging.getLogger(_SYNC_LOGGER)
    logger.setLevel(logging.INFO)
    path = journal_socket()
    for handler in [h for h in logger.handlers if isinstance(h, JournalHandler)]:
        if handler.path == path:
            return
        logger.removeHandler(handler)  # the journal moved (tests point it at their own socket)
        handler.close()
    if path is not None:
        logger.addHandler(JournalHandler(SYNC_IDENTIFIER, path))

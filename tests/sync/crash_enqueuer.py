"""Run by the crash test: queue events as fast as a busy terminal would, logging each committed id.

Usage: python crash_enqueuer.py OUTBOX_DB LOG_FILE TAG
An id is written to the log only after ``enqueue`` returned, i.e. after its transaction committed.
"""

import sys
import time
from pathlib import Path

from kiosk.outbox import Outbox

outbox = Outbox(Path(sys.argv[1]))
with open(sys.argv[2], "a", encoding="ascii") as log:
    n = 0
    while True:
        kind = "request" if n % 5 == 0 else "rating"
        payload = {"seq": f"{sys.argv[3]}-{n}", "phone": "13800000000"} if kind == "request" else {"level": 4}
        eid = outbox.enqueue(kind, {**payload, "seq": f"{sys.argv[3]}-{n}"})
        log.write(eid + "\n")
        log.flush()
        n += 1
        if n % 20 == 0:
            outbox.count("screen.laws")
        time.sleep(0.002)

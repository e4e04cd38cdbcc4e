"""The platform client: signed content down, events up (protocol: docs/sync-protocol.md).

What other packages use:

* :class:`kiosk.sync.runner.SyncRunner` — ``SyncRunner(paths).run_once() -> SyncResult`` performs one
  run (the same as ``kiosk sync``): ``exit_code``, ``stages``, ``content_version``,
  ``content_changed`` (screens reload; no restart needed), ``message``.
* :class:`kiosk.sync.schedule.BackgroundSync` — runs on a schedule with random spread and on demand
  (``request_now()``), Qt-free; callbacks arrive on its thread.
* :func:`kiosk.sync.status.read_status` — the last run's result, last success time, content version
  and date; ``SyncStatus.is_stale(days)`` for the header warning.
* :class:`kiosk.sync.consult.ConsultClient` — video consultation sessions through the platform.
* :mod:`kiosk.outbox` — queue events (ratings, requests, usage counts) for upload.

Modules: ``records`` (rows as keyed records), ``package`` (the file format), ``apply``/``content``
(applying packages in one transaction), ``reindex`` (search index in step), ``repository`` (TUF),
``download`` (resumable verified downloads), ``http`` (timeouts, TLS rule, retries), ``push``
(outbox and heartbeat), ``device`` (enrolment), ``stages``/``runner`` (the run), ``cli``.
"""

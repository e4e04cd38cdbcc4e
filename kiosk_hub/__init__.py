"""The reference provincial platform: publishes signed content, enrols terminals, ingests events.

``kiosk-hub`` (see :mod:`kiosk_hub.cli`) keeps everything under one ``--data-dir``; the protocol it
speaks is written down in docs/sync-protocol.md.
"""

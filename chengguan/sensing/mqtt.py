"""`chengguan sensing listen`: subscribe to `<prefix>/<device_id>/reading` on the MQTT broker and ingest the
readings in batches (every `flush_seconds` or `max_batch` readings). A message's payload is one reading
`{"value": 3.2, "at": "2026-03-10T09:00:00+08:00", "battery": 87}` (`at` may be epoch seconds) or a list of them.
A bad reading is logged and dropped; it never holds up the others."""

import json
import logging
import queue
import threading
import time
import uuid

import paho.mqtt.client as mqtt

from chengguan.core.errors import ValidationError

from .readings import readings_ingest

log = logging.getLogger("chengguan.sensing.mqtt")


class Listener:
    def __init__(self, *, host="127.0.0.1", port=1883, prefix="chengguan/sensors", flush_seconds=0.5,
                 max_batch=20_000, username="", password=""):
        self.prefix, self.flush_seconds, self.max_batch = prefix.rstrip("/"), flush_seconds, max_batch
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self.dropped = 0
        self.connected = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"chengguan-{uuid.uuid4().hex[:8]}")
        if username:
            self.client.username_pw_set(username, password)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.host, self.port = host, port

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        client.subscribe(f"{self.prefix}/+/reading", qos=1)
        self.connected.set()

    def _on_message(self, client, userdata, message):
        parts = message.topic.split("/")
        device_id = parts[-2] if len(parts) >= 2 else ""
        try:
            payload = json.loads(message.payload)
        except ValueError:
            self.dropped += 1
            log.warning("sensing: %s sent a payload that is not JSON", device_id)
            return
        for row in payload if isinstance(payload, list) else [payload]:
            if isinstance(row, dict):
                self.inbox.put({**row, "device_id": device_id})
            else:
                self.dropped += 1

    def start(self, timeout: float = 10) -> None:
        self.client.connect(self.host, self.port, keepalive=30)
        self.client.loop_start()
        if not self.connected.wait(timeout):
            raise ConnectionError(f"no MQTT connection to {self.host}:{self.port}")

    def stop(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()

    def drain(self):
        """Ingest what has arrived (one batch); bad readings are dropped one by one with a log line."""
        rows = []
        while len(rows) < self.max_batch:
            try:
                rows.append(self.inbox.get_nowait())
            except queue.Empty:
                break
        while rows:
            try:
                return readings_ingest(rows=rows, prefix="readings")
            except ValidationError as exc:
                index = _row_index(exc.field)
                if index is None:
                    raise
                bad = rows.pop(index)
                self.dropped += 1
                log.warning("sensing: dropped reading of %s: %s (%s)", bad.get("device_id"), exc.message, exc.field)
        return None

    def run_forever(self, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        self.start()
        try:
            while not stop.is_set():
                started = time.monotonic()
                out = self.drain()
                if out is not None and (out.raised or out.cleared):
                    log.info("sensing: %s readings, %s alarms, %s clears", out.stored, len(out.raised),
                             len(out.cleared))
                stop.wait(max(0.0, self.flush_seconds - (time.monotonic() - started)))
        finally:
            self.stop()


def _row_index(field: str | None) -> int | None:
    if field and field.startswith("readings[") and "]" in field:
        try:
            return int(field[len("readings["): field.index("]")])
        except ValueError:
            return None
    return None

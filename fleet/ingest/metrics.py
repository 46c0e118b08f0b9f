"""Prometheus metrics (``GET /metrics``), read from ingest's counters at scrape time."""

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from fleet.devices.presence import Presence
from fleet.ingest.mqtt_link import LinkState
from fleet.ingest.pipeline import Ingest
from fleet.recordings.uploads import Uploads


class FleetCollector(Collector):
    """Ingest rates, queue depth, rejects by reason, devices online, link state."""

    def __init__(
        self, ingest: Ingest, link: LinkState, uploads: Uploads, presence: Presence
    ) -> None:
        self.ingest = ingest
        self.link = link
        self.uploads = uploads
        self.presence = presence

    def collect(self) -> Iterator[Metric]:
        s = self.ingest.stats
        accepted = CounterMetricFamily(
            "crms_ingest_accepted", "Valid device messages queued, by channel", labels=["channel"]
        )
        for channel, n in sorted(s.accepted.items()):
            accepted.add_metric([channel], n)
        yield accepted
        rejected = CounterMetricFamily(
            "crms_ingest_rejected", "Device messages rejected, by reason", labels=["reason"]
        )
        for reason, n in sorted(s.rejected.items()):
            rejected.add_metric([reason], n)
        yield rejected
        over = CounterMetricFamily(
            "crms_ingest_over_rate",
            "Messages kept by the contract that came past a device's budget (stored)",
            labels=["channel"],
        )
        for channel, n in sorted(s.over_rate.items()):
            over.add_metric([channel], n)
        yield over
        ignored = CounterMetricFamily(
            "crms_ingest_ignored", "Valid messages needing no storage, by kind", labels=["kind"]
        )
        for kind, n in sorted(s.ignored.items()):
            ignored.add_metric([kind], n)
        yield ignored
        yield CounterMetricFamily(
            "crms_ingest_written", "Messages stored in the database", value=s.written
        )
        yield CounterMetricFamily("crms_ingest_batches", "Write transactions", value=s.batches)
        yield CounterMetricFamily(
            "crms_recordings_completed",
            "Recordings assembled and verified",
            value=self.uploads.completed,
        )
        yield GaugeMetricFamily(
            "crms_ingest_queue_depth",
            "Messages waiting to be written",
            value=self.ingest.queue.qsize(),
        )
        yield GaugeMetricFamily(
            "crms_devices_online", "Devices online", value=self.presence.online_count()
        )
        yield CounterMetricFamily(
            "crms_mqtt_link_losses", "Times the MQTT link went down", value=self.link.losses
        )
        yield GaugeMetricFamily(
            "crms_mqtt_connected",
            "1 while the MQTT link is up",
            value=int(self.link.connected.is_set()),
        )


def render(ingest: Ingest, link: LinkState, uploads: Uploads, presence: Presence) -> bytes:
    """The Prometheus text exposition of the fleet's metrics."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(FleetCollector(ingest, link, uploads, presence))
    return generate_latest(registry)

"""Fleet manager settings: defaults, a TOML file, then environment variables, checked at start.

File (``crmsensor fleet serve --config fleet.toml``)::

    db_url = "sqlite:///var/lib/crmsensor/fleet.sqlite3"
    objects_dir = "/var/lib/crmsensor/objects"
    broker = "127.0.0.1:1883"
    http = "127.0.0.1:8080"
    client_id = "fleet-1"
    share_group = "fleet"            # several instances split the load
    broker_keepalive_s = 30          # a silent broker (partition) noticed in ~1.5 x this
    trusted_proxies = ["10.0.0.5"]   # believe X-Forwarded-For / -Proto from these only
    broker_acl_file = "/var/lib/crmsensor/broker/tls/acl"   # on the broker's machine only:
    broker_pid_file = "/var/lib/crmsensor/broker/mosquitto.pid"  # ACL follows the registry
    ca_dir = "/var/lib/crmsensor/ca"  # renew badges' certificates (one instance only)

    [retention]
    raw_telemetry_days = 7
    hourly_days = 400
    recording_days = 90

    [s3]                              # objects in S3 (MinIO, Ceph...) instead of objects_dir
    bucket = "crms-recordings"
    endpoint_url = "https://minio.example:9000"   # empty: AWS
    region = "eu-central-1"
    prefix = "recordings/"
    # access_key_id / secret_access_key: better from the environment (below) or botocore's
    # own chain (AWS_ACCESS_KEY_ID, ~/.aws/credentials, instance roles) than in a file

    [broker_tls]                      # the `tls` broker profile: the fleet's certificate
    ca = "/etc/crmsensor/ca.cert.pem"
    cert = "/etc/crmsensor/fleet.crt"
    key = "/etc/crmsensor/fleet.key"

    [enhance]                         # noise-suppressed copies (fleet/recordings/enhance.py)
    enabled = true
    floor_db = -10.0                  # the suppressor's gain floor, -40..0 dB

    [http_tls]                        # HTTPS for the web office (or a TLS proxy in front)
    cert = "/etc/crmsensor/office.crt"
    key = "/etc/crmsensor/office.key"
    client_ca = "/etc/crmsensor/ca.cert.pem"   # log in with a fleet-CA user certificate
    client_crl = "/var/lib/crmsensor/ca/crl.pem"

    [notify]                          # alerts to people (fleet/alerts/notifications.py)
    smtp_host = "mail.example"
    sms_url = "https://sms.example/send"
    escalate_after_min = 30

    [updates]                         # signed releases (fleet/updates/)
    trusted_keys = "/etc/crmsensor/release-keys.json"   # `fleet release keygen` prints entries
    public_url = "https://fleet.example:8443"   # devices download bundles from here
    delivery_timeout_s = 3600.0       # told to update, then silent this long: failed

    [reviews]                         # service clips and reviews (fleet/reviews/)
    source = "original"               # clips from the original audio, or "enhanced"
    preroll_s = 2.0                   # audio kept before and after each session
    postroll_s = 2.0
    wait_days = 7.0                   # how long a service waits for a late recording
    notify_below = 70.0               # a review's MSI below this notifies the station

    [surveys]                         # the kiosks' customer ratings (fleet/surveys/)
    nps_below = 7                     # an NPS answer below this (a detractor) notifies
    stars_below = 3                   # as does a staff rating below this (1-5)
    min_answers = 30                  # fewer answers: a station is shown, flagged, not ranked

    [rate_limit]                      # per device (fleet/ingest/rate_limit.py); 0: off
    tele_per_s = 1.0                  # telemetry past this (bursts of tele_burst) refused
    tele_burst = 30
    other_per_s = 20.0                # events etc. past this stored, counted as over rate

    [health]                          # fleet.alerts.rules.HealthRules
    battery_low_pct = 20
    latest_fw = { badge = "0.2.0", kiosk = "0.2.0" }

Environment (wins over the file): ``CRMS_FLEET_DB_URL``, ``CRMS_FLEET_OBJECTS_DIR``,
``CRMS_FLEET_BROKER``, ``CRMS_FLEET_HTTP``, ``CRMS_FLEET_CLIENT_ID``, ``CRMS_FLEET_SHARE_GROUP``,
``CRMS_FLEET_BROKER_TLS_CA``/``_CERT``/``_KEY``, and ``CRMS_FLEET_S3_<KEY>`` for each ``[s3]``
key (e.g. ``CRMS_FLEET_S3_SECRET_ACCESS_KEY``).
Every error names the key and where it came from.
"""

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmsensor.errors import ConfigError
from fleet.alerts.rules import HealthRules
from fleet.office.forwarded import networks


@dataclass(frozen=True)
class Retention:
    """How long data is kept."""

    raw_telemetry_days: float = 7.0
    hourly_days: float = 400.0
    recording_days: float = 90.0


@dataclass(frozen=True)
class BrokerTls:
    """The fleet's identity on a TLS broker (the `tls` profile): PEM files from the fleet CA.
    All empty: plain MQTT (the development broker)."""

    ca: str = ""  # the fleet CA certificate, to check the broker
    cert: str = ""  # the fleet service certificate (CN `fleet`)
    key: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.ca or self.cert or self.key)

    def check(self) -> None:
        if not self.enabled:
            return
        for name in ("ca", "cert", "key"):
            value = getattr(self, name)
            if not value:
                raise ConfigError(f"fleet: broker_tls.{name} is needed with the other two")
            if not Path(value).is_file():
                raise ConfigError(f"fleet: broker_tls.{name}: no file {value}")


@dataclass(frozen=True)
class EnhanceSettings:
    """The enhanced copy of each recording, made after ingest (fleet/recordings/enhance.py)."""

    enabled: bool = True
    floor_db: float = -10.0  # the suppressor's gain floor

    def check(self) -> None:
        if not -40.0 <= self.floor_db <= 0.0:
            raise ConfigError(
                f"fleet: enhance.floor_db must be within -40..0 dB, got {self.floor_db}"
            )


@dataclass(frozen=True)
class HttpTls:
    """HTTPS for the web office and API (PEM files). With ``client_ca`` (the fleet CA) a
    browser may also log in with a ``user`` certificate from it; ``client_crl`` (the CA's
    ``crl.pem``) refuses revoked ones. All empty: plain HTTP (behind a TLS proxy)."""

    cert: str = ""
    key: str = ""
    client_ca: str = ""
    client_crl: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.cert or self.key)

    def check(self) -> None:
        if not self.enabled:
            if self.client_ca or self.client_crl:
                raise ConfigError("fleet: http_tls.client_ca needs http_tls.cert and .key")
            return
        for name in ("cert", "key", "client_ca", "client_crl"):
            value = getattr(self, name)
            if name in ("cert", "key") and not value:
                raise ConfigError(f"fleet: http_tls.{name} is needed with the other")
            if value and not Path(value).is_file():
                raise ConfigError(f"fleet: http_tls.{name}: no file {value}")
        if self.client_crl and not self.client_ca:
            raise ConfigError("fleet: http_tls.client_crl is only used with client_ca")


@dataclass(frozen=True)
class UpdateSettings:
    """Signed releases and their delivery (fleet/updates/)."""

    trusted_keys: str = ""  # the release keys' JSON list; empty: uploads are refused
    public_url: str = ""  # how devices reach this fleet over HTTP(S); empty: from `http`
    delivery_timeout_s: float = 3600.0  # a device silent this long after it was told: failed

    def check(self) -> None:
        if self.public_url and not self.public_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"updates.public_url must start with http(s)://, got {self.public_url!r}"
            )
        if not 60 <= self.delivery_timeout_s <= 7 * 86400:
            raise ConfigError("updates.delivery_timeout_s must be 60 s to 7 days")


@dataclass(frozen=True)
class ReviewSettings:
    """Service clips and reviews (fleet/reviews/)."""

    source: str = "original"  # or "enhanced": the noise-suppressed copy where there is one
    preroll_s: float = 2.0
    postroll_s: float = 2.0
    wait_days: float = 7.0  # a service with no audio yet is tried again this long
    retry_s: float = 300.0  # how often such a service is tried again
    notify_below: float = 70.0  # a review below this MSI (or a critical item failed) notifies

    def check(self) -> None:
        if self.source not in ("original", "enhanced"):
            raise ConfigError(f"reviews.source must be original or enhanced, got {self.source!r}")
        for name in ("preroll_s", "postroll_s"):
            if not 0 <= getattr(self, name) <= 60:
                raise ConfigError(f"reviews.{name} must be 0-60 s")
        if not 0 < self.wait_days <= 90 or not 1 <= self.retry_s <= 86400:
            raise ConfigError("reviews.wait_days must be (0, 90] and retry_s 1-86400")
        if not 0 <= self.notify_below <= 100:
            raise ConfigError("reviews.notify_below must be 0-100")


@dataclass(frozen=True)
class SurveySettings:
    """The kiosks' customer ratings (fleet/surveys/)."""

    nps_below: int = 7
    stars_below: int = 3
    min_answers: int = 30

    def check(self) -> None:
        if not 0 <= self.nps_below <= 11 or not 1 <= self.stars_below <= 6:
            raise ConfigError("surveys.nps_below must be 0-11 and stars_below 1-6")
        if not 1 <= self.min_answers <= 100_000:
            raise ConfigError("surveys.min_answers must be 1-100000")


@dataclass(frozen=True)
class RateLimits:
    """Per-device budgets (fleet/ingest/rate_limit.py): telemetry past ``tele_per_s`` (bursts
    of ``tele_burst``) is refused and counted; other messages past ``other_per_s`` are stored
    and counted as over rate. A rate of 0 turns that limit off."""

    tele_per_s: float = 1.0  # the contract's fastest telemetry period is 1 s
    tele_burst: int = 30
    other_per_s: float = 20.0
    other_burst: int = 600  # a kiosk's queue of events sent at once after an outage

    def check(self) -> None:
        for rate, burst in ((self.tele_per_s, self.tele_burst),
                            (self.other_per_s, self.other_burst)):  # fmt: skip
            if not 0 <= rate <= 10_000 or not 1 <= burst <= 1_000_000:
                raise ConfigError(
                    "rate_limit: *_per_s must be 0-10000 (0: off) and *_burst 1-1000000"
                )


@dataclass(frozen=True)
class NotifySettings:
    """Notification channels and how alerts use them (fleet/alerts/notifications.py). A
    channel without its settings is off; secrets belong in the environment
    (``CRMS_FLEET_NOTIFY_WEBHOOK_SECRET``, ``..._SMTP_PASSWORD``, ``..._SMS_TOKEN``)."""

    webhook_secret: str = ""  # HMAC key of the webhook signature; empty: webhooks off
    smtp_host: str = ""  # empty: email off
    smtp_port: int = 25
    smtp_from: str = "crmsensor@localhost"
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    sms_url: str = ""  # the HTTP SMS gateway; empty: SMS off
    sms_template: str = '{"to": "$to", "text": "$text"}'
    sms_token: str = field(default="", repr=False)
    escalate_after_min: float = 30.0
    restart_grace_s: float = 600.0
    flap_window_s: float = 1800.0
    retry_first_s: float = 5.0  # a failed delivery's first retry; doubling up to an hour

    def check(self) -> None:
        for name in ("escalate_after_min", "restart_grace_s", "flap_window_s", "retry_first_s"):
            if getattr(self, name) < 0:
                raise ConfigError(f"fleet: notify.{name} must be >= 0")
        if self.sms_url and not self.sms_url.startswith(("http://", "https://")):
            raise ConfigError(f"fleet: notify.sms_url must be an http(s) URL, got {self.sms_url!r}")
        if not 0 < self.smtp_port <= 65535:
            raise ConfigError(f"fleet: notify.smtp_port must be 1-65535, got {self.smtp_port}")
        if "$to" not in self.sms_template or "$text" not in self.sms_template:
            raise ConfigError("fleet: notify.sms_template must hold $to and $text")


MIN_S3_PART = 5 * 1024 * 1024  # S3's smallest multipart part (all but the last)


@dataclass(frozen=True)
class S3Settings:
    """Where recordings go when ``bucket`` is set (else the local ``objects_dir``)."""

    bucket: str = ""
    prefix: str = "recordings/"
    endpoint_url: str = ""  # empty: AWS's own endpoint for the region
    region: str = "us-east-1"
    access_key_id: str = ""  # empty: botocore's credential chain
    secret_access_key: str = ""
    part_size: int = 8 * 1024 * 1024

    def check(self) -> None:
        if not self.bucket:
            return
        if not 3 <= len(self.bucket) <= 63 or not all(
            c.islower() or c.isdigit() or c in ".-" for c in self.bucket
        ):
            raise ConfigError(f"fleet: s3.bucket {self.bucket!r} is not a valid bucket name")
        if self.endpoint_url and not self.endpoint_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"fleet: s3.endpoint_url must start with http:// or https://, "
                f"got {self.endpoint_url!r}"
            )
        if bool(self.access_key_id) != bool(self.secret_access_key):
            raise ConfigError(
                "fleet: s3.access_key_id and s3.secret_access_key go together (set both, "
                "or neither to use botocore's credential chain)"
            )
        if self.part_size < MIN_S3_PART:
            raise ConfigError(f"fleet: s3.part_size must be at least {MIN_S3_PART} bytes")
        if self.prefix and (self.prefix.startswith("/") or not self.prefix.endswith("/")):
            raise ConfigError(
                f"fleet: s3.prefix must be empty or like 'recordings/', got {self.prefix!r}"
            )


@dataclass(frozen=True)
class FleetSettings:
    """Everything a fleet instance needs to run."""

    db_url: str
    broker_host: str = "127.0.0.1"
    broker_port: int = 1883
    # MQTT keepalive of the fleet's own link: a silent broker (a partition) is noticed within
    # about 1.5 x this, and the link reconnects
    broker_keepalive_s: int = 30
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    objects_dir: Path = Path(".run/objects")
    client_id: str = "fleet-1"
    share_group: str | None = None
    # reverse proxies whose X-Forwarded-For / -Proto are believed (fleet/office/forwarded.py)
    trusted_proxies: tuple[str, ...] = ()
    # On the broker's machine: keep its ACL file in step with the registry and SIGHUP it.
    broker_acl_file: Path | None = None
    broker_pid_file: Path | None = None
    # The fleet CA (fleet/identity/ca.py), for renewing badges' certificates over MQTT; its
    # passphrase only from the environment (CRMS_FLEET_CA_PASSPHRASE), never from the file.
    ca_dir: Path | None = None
    ca_passphrase: str = field(default="", repr=False)
    retention: Retention = field(default_factory=Retention)
    s3: S3Settings = field(default_factory=S3Settings)
    broker_tls: BrokerTls = field(default_factory=BrokerTls)
    health: HealthRules = field(default_factory=HealthRules)
    enhance: EnhanceSettings = field(default_factory=EnhanceSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)
    http_tls: HttpTls = field(default_factory=HttpTls)
    updates: UpdateSettings = field(default_factory=UpdateSettings)
    reviews: ReviewSettings = field(default_factory=ReviewSettings)
    surveys: SurveySettings = field(default_factory=SurveySettings)
    rate_limit: RateLimits = field(default_factory=RateLimits)
    # How often background work runs (seconds); tests shorten them.
    sweep_s: float = 1.0
    acl_sync_s: float = 10.0
    renewal_s: float = 600.0
    health_s: float = 30.0
    retention_s: float = 3600.0
    enhance_s: float = 5.0
    notify_s: float = 2.0  # the notification sender and the escalation check
    rollout_s: float = 10.0  # the rollout scheduler (one instance at a time)
    clips_s: float = 10.0  # the service clip job
    screens_s: float = 60.0  # the kiosks' screen plans, rebuilt (changes are sent at once)
    # the singleton jobs' leader lease (fleet/leases/leader.py): taken over within ttl + renew
    leader_ttl_s: float = 10.0
    leader_renew_s: float = 3.0

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the first bad setting."""
        try:
            dialect_of(self.db_url)
        except ValueError:
            raise ConfigError(
                f"fleet: db_url must be sqlite://PATH or postgres://..., got {self.db_url!r}"
            ) from None
        for name in ("broker_port", "http_port"):
            value = getattr(self, name)
            if not 0 <= value <= 65535:
                raise ConfigError(f"fleet: {name} must be 0-65535, got {value}")
        if not 2 <= self.broker_keepalive_s <= 600:
            raise ConfigError(
                f"fleet: broker_keepalive_s must be 2-600, got {self.broker_keepalive_s}"
            )
        if self.broker_pid_file is not None and self.broker_acl_file is None:
            raise ConfigError("fleet: broker_pid_file is only used with broker_acl_file")
        if self.ca_dir is not None and not self.ca_passphrase:
            raise ConfigError("fleet: ca_dir needs CRMS_FLEET_CA_PASSPHRASE in the environment")
        for name in ("sweep_s", "health_s", "retention_s", "acl_sync_s", "renewal_s", "enhance_s",
                     "notify_s", "clips_s", "screens_s"):  # fmt: skip
            if getattr(self, name) <= 0:
                raise ConfigError(f"fleet: {name} must be > 0")
        try:
            networks(self.trusted_proxies)
        except ValueError as exc:
            raise ConfigError(f"fleet: trusted_proxies: {exc}") from None
        if not 0 < self.leader_renew_s < self.leader_ttl_s:
            raise ConfigError("fleet: leader_renew_s must be > 0 and below leader_ttl_s")
        for f in dataclasses.fields(Retention):
            if getattr(self.retention, f.name) <= 0:
                raise ConfigError(f"fleet: retention.{f.name} must be > 0")
        self.s3.check()
        self.broker_tls.check()
        self.enhance.check()
        self.notify.check()
        self.http_tls.check()
        self.updates.check()
        self.reviews.check()
        self.surveys.check()
        self.rate_limit.check()


def _s3_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for f in dataclasses.fields(S3Settings):
        name = f"CRMS_FLEET_S3_{f.name.upper()}"
        if name not in env:
            continue
        value = env[name]
        if f.name == "part_size":
            if not value.isdigit():
                raise ConfigError(f"{name} must be a whole number of bytes, got {value!r}")
            found[f.name] = int(value)
        else:
            found[f.name] = value
    return found


def dialect_of(url: str) -> str:
    """``sqlite`` or ``postgres`` for a database URL, or a ValueError naming the scheme."""
    scheme = url.split(":", 1)[0]
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgres", "postgresql", "asyncpg", "psycopg"):
        return "postgres"
    raise ValueError(
        f"database URL scheme {scheme!r} is not supported: use sqlite://PATH or postgres://..."
    )


def host_port(value: str, what: str) -> tuple[str, int]:
    """``"HOST:PORT"`` -> (host, port), or :class:`ConfigError` naming ``what``."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError(f"{what} must be HOST:PORT, got {value!r}")
    return host, int(port)


def _section(cls: type, raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    known = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{where}.{key} is not a setting (known: {', '.join(known)})")
        default = getattr(cls(), key)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        ok = type(value) is type(default) or (isinstance(default, float) and number)
        if not ok:
            raise ConfigError(f"{where}.{key} must be {type(default).__name__}, got {value!r}")
        values[key] = float(value) if isinstance(default, float) else value
    return cls(**values)


_TOP = {
    "db_url", "objects_dir", "broker", "http", "client_id", "share_group", "broker_acl_file",
    "broker_pid_file", "ca_dir",
}  # fmt: skip


def load_settings(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> FleetSettings:
    """Defaults, then the TOML file at ``path``, then ``env``, then ``overrides``; checked."""
    raw: dict[str, Any] = {}
    where = "settings"
    if path is not None:
        where = str(path)
        try:
            raw = tomllib.loads(path.read_text())
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "retention":
            values["retention"] = _section(Retention, value, f"{where}: retention")
        elif key == "health":
            values["health"] = _section(HealthRules, value, f"{where}: health")
        elif key == "s3":
            values["s3"] = _section(S3Settings, value, f"{where}: s3")
        elif key == "enhance":
            values["enhance"] = _section(EnhanceSettings, value, f"{where}: enhance")
        elif key == "http_tls":
            values["http_tls"] = _section(HttpTls, value, f"{where}: http_tls")
        elif key == "notify":
            values["notify"] = _section(NotifySettings, value, f"{where}: notify")
        elif key == "broker_tls":
            values["broker_tls"] = _section(BrokerTls, value, f"{where}: broker_tls")
        elif key == "updates":
            values["updates"] = _section(UpdateSettings, value, f"{where}: updates")
        elif key == "reviews":
            values["reviews"] = _section(ReviewSettings, value, f"{where}: reviews")
        elif key == "surveys":
            values["surveys"] = _section(SurveySettings, value, f"{where}: surveys")
        elif key == "rate_limit":
            values["rate_limit"] = _section(RateLimits, value, f"{where}: rate_limit")
        elif key == "trusted_proxies":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: trusted_proxies must be a list of addresses, "
                                  f"got {value!r}")  # fmt: skip
            values[key] = tuple(value)
        elif key == "broker_keepalive_s":
            if not isinstance(value, int) or isinstance(value, bool):
                raise ConfigError(f"{where}: {key} must be whole seconds, got {value!r}")
            values[key] = value
        elif key in _TOP:
            if not isinstance(value, str):
                raise ConfigError(f"{where}: {key} must be a string, got {value!r}")
            values[key] = value
        else:
            sections = ["retention", "health", "s3", "broker_tls", "enhance", "notify", "http_tls",
                        "updates", "reviews", "surveys", "rate_limit"]  # fmt: skip
            known = ", ".join(sorted([*_TOP, *sections, "trusted_proxies", "broker_keepalive_s"]))
            raise ConfigError(f"{where}: {key} is not a setting (known: {known})")
    for key in _TOP:
        name = f"CRMS_FLEET_{key.upper()}"
        if env and name in env:
            values[key] = env[name]
            where_key = name
        else:
            where_key = f"{where}: {key}"
        if key in ("broker", "http") and key in values and isinstance(values[key], str):
            h, p = host_port(values.pop(key), where_key)
            values[f"{key}_host" if key == "broker" else "http_host"] = h
            values["broker_port" if key == "broker" else "http_port"] = p
    tls_env = {
        f.name: (env or {})[f"CRMS_FLEET_BROKER_TLS_{f.name.upper()}"]
        for f in dataclasses.fields(BrokerTls)
        if f"CRMS_FLEET_BROKER_TLS_{f.name.upper()}" in (env or {})
    }
    if tls_env:
        values["broker_tls"] = dataclasses.replace(values.get("broker_tls", BrokerTls()), **tls_env)
    s3_env = _s3_from_env(env or {})
    if s3_env:
        base = values.get("s3", S3Settings())
        values["s3"] = dataclasses.replace(base, **s3_env)
    notify_env = {
        f.name: (env or {})[f"CRMS_FLEET_NOTIFY_{f.name.upper()}"]
        for f in dataclasses.fields(NotifySettings)
        if f.type is str and f"CRMS_FLEET_NOTIFY_{f.name.upper()}" in (env or {})
    }
    if notify_env:
        values["notify"] = dataclasses.replace(values.get("notify", NotifySettings()), **notify_env)
    if env and "CRMS_FLEET_CA_PASSPHRASE" in env:
        values["ca_passphrase"] = env["CRMS_FLEET_CA_PASSPHRASE"]
    for key in ("objects_dir", "broker_acl_file", "broker_pid_file", "ca_dir"):
        if key in values:
            values[key] = Path(values[key])
    values.update({k: v for k, v in overrides.items() if v is not None})
    values.setdefault("db_url", "sqlite://.run/fleet.sqlite3")
    settings = FleetSettings(**values)
    settings.check()
    return settings

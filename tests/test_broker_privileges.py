"""The broker never keeps root's privileges: run as root it drops to its dedicated user
(mosquitto) and still serves TLS, writes its persistence and re-reads the ACL and CRL."""

import os
import pwd
import time
from pathlib import Path

import pytest

from crmsensor.errors import ConfigError
from devtools.broker.config import broker_user, render_config
from devtools.broker.process import MosquittoProcess, free_port


def _uid_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[2])  # effective uid
    raise AssertionError("no Uid line")


def test_the_running_broker_is_not_root(tmp_path: Path) -> None:
    cfg = render_config(tmp_path / "deep" / "broker", free_port())
    user = broker_user()
    assert f"\nuser {user}\n" in cfg.conf_file.read_text()
    with MosquittoProcess(cfg) as proc:
        assert proc.pid is not None
        uid = _uid_of(proc.pid)
        assert uid == pwd.getpwnam(user).pw_uid
        if os.geteuid() == 0:
            assert uid != 0 and user != "root"
        deadline = time.monotonic() + 10  # the pid file is written after the drop
        while not cfg.pid_file.exists():
            assert time.monotonic() < deadline, (
                cfg.log_file.read_text() if cfg.log_file.exists() else ""
            )
            time.sleep(0.05)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root drops to a dedicated user")
def test_root_must_name_a_user_that_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMS_BROKER_USER", "no-such-broker-user")
    with pytest.raises(ConfigError, match="'no-such-broker-user', which does not exist"):
        render_config(tmp_path / "b", free_port())
    monkeypatch.setenv("CRMS_BROKER_USER", "root")
    with pytest.raises(ConfigError, match="must not keep root's privileges"):
        render_config(tmp_path / "b", free_port())

"""Every WAV the format allows, read by beamforming.wavio (scene signals, babble talkers),
and what it refuses named with the file and the format before a scene renders."""

import struct
import warnings
from pathlib import Path

import numpy as np
import pytest

from beamforming import scene, signals, wavio

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop  # the reference G.711 expansion (audioop-lts on Python 3.13)

RATE = 8000


def riff(tag: int, channels: int, bits: int, payload: bytes, extensible: bool = False) -> bytes:
    align = channels * bits // 8
    if extensible:
        fmt = struct.pack("<HHIIHH", 0xFFFE, channels, RATE, RATE * align, align, bits)
        fmt += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", tag) + bytes(14)
    else:
        fmt = struct.pack("<HHIIHH", tag, channels, RATE, RATE * align, align, bits)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += b"LIST" + struct.pack("<I", 3) + b"abc\0"  # an odd-sized chunk to skip
    chunks += b"data" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


SIGNAL = 0.6 * np.sin(2 * np.pi * 440 * np.arange(800) / RATE)


def encodings() -> dict[str, tuple[bytes, float]]:
    """name: (file bytes of SIGNAL, stereo, in that encoding; tolerance)."""
    st = np.stack([SIGNAL, -SIGNAL], axis=1).reshape(-1)
    i16 = np.round(st * 32767).astype("<i2")
    i24 = np.round(st * (2**23 - 1)).astype("<i4")
    b24 = np.stack([i24 & 0xFF, (i24 >> 8) & 0xFF, (i24 >> 16) & 0xFF], axis=1)
    return {
        "pcm8": (riff(1, 2, 8, (np.round(st * 127) + 128).astype(np.uint8).tobytes()), 1 / 64),
        "pcm16": (riff(1, 2, 16, i16.tobytes()), 1e-4),
        "pcm24": (riff(1, 2, 24, b24.astype(np.uint8).tobytes()), 1e-6),
        "pcm32": (riff(1, 2, 32, np.round(st * (2**31 - 1)).astype("<i4").tobytes()), 1e-8),
        "float32": (riff(3, 2, 32, st.astype("<f4").tobytes()), 1e-6),
        "float64": (riff(3, 2, 64, st.astype("<f8").tobytes()), 1e-12),
        "mulaw": (riff(7, 2, 8, audioop.lin2ulaw(i16.tobytes(), 2)), 0.02),
        "alaw": (riff(6, 2, 8, audioop.lin2alaw(i16.tobytes(), 2)), 0.02),
        "extensible-pcm24": (riff(1, 2, 24, b24.astype(np.uint8).tobytes(), True), 1e-6),
    }


@pytest.mark.parametrize("name", list(encodings()))
def test_every_encoding_reads_back(name: str) -> None:
    data, tol = encodings()[name]
    x, rate = wavio.decode(data, name)
    assert rate == RATE and x.shape == (2, len(SIGNAL))
    assert np.max(np.abs(x[0] - SIGNAL)) < tol and np.max(np.abs(x[1] + SIGNAL)) < tol


@pytest.mark.parametrize("alaw", [False, True])
def test_g711_is_the_standards_expansion(alaw: bool) -> None:
    codes = bytes(range(256))
    ref = audioop.alaw2lin(codes, 2) if alaw else audioop.ulaw2lin(codes, 2)
    want = np.frombuffer(ref, "<i2") / 32768.0
    got, _ = wavio.decode(riff(6 if alaw else 7, 1, 8, codes), "g711")
    assert np.array_equal(got[0], want)


def test_codec2s_mu_law_talker_is_read(tmp_path: Path) -> None:
    cross = signals.CODEC2 / "cross.wav"
    if not cross.exists():
        pytest.fail(f"{cross} missing: install codec2-examples (./bootstrap.sh test does)")
    assert wavio.probe(cross).tag == wavio.MULAW
    x = signals.read_wav(cross, 16000)
    assert len(x) > 16000 and 0.01 < float(np.sqrt(np.mean(x**2))) < 1


def test_what_it_refuses_is_named_before_any_work(tmp_path: Path) -> None:
    adpcm = tmp_path / "adpcm.wav"
    adpcm.write_bytes(riff(0x11, 1, 4, bytes(100)))
    with pytest.raises(wavio.WavError, match=r"adpcm\.wav: IMA ADPCM 4-bit audio is not supp"):
        wavio.probe(adpcm)
    for bad, why in [(b"RIFX....WAVE", "not a RIFF/WAVE"), (riff(1, 1, 12, bytes(6)), "12-bit")]:
        with pytest.raises(wavio.WavError, match=why):
            wavio.decode(bad, "x.wav")
    doc = scene.load(Path(__file__).parent.parent / "beamforming" / "scenes" / "pump_engine.toml")
    text = (
        Path(__file__).parent.parent / "beamforming" / "scenes" / "pump_engine.toml"
    ).read_text()
    (tmp_path / "s.toml").write_text(
        text.replace('signal = "noise:engine"', 'signal = "adpcm.wav"', 1)
    )
    assert 'signal = "adpcm.wav"' in (tmp_path / "s.toml").read_text() and doc.name
    with pytest.raises(
        scene.SceneError, match=r"source \d \(interferer\): .*adpcm\.wav: IMA ADPCM"
    ):
        scene.load(tmp_path / "s.toml")


def test_input_errors_are_a_users_and_protocol_errors_a_devices() -> None:
    from beamforming.scene import SceneError
    from beamforming.signals import SignalError
    from crmsensor.errors import ConfigError, ProtocolError, UserError
    from crmsensor.protocol.wavfile import WavError as RecordingWavError
    from edge_kiosk.evaluation import LabelError
    from edge_kiosk.sources import CameraError

    for cls in (SceneError, SignalError, wavio.WavError, RecordingWavError, LabelError,
                CameraError, ConfigError):  # fmt: skip
        assert issubclass(cls, UserError), cls
    assert not issubclass(ProtocolError, UserError)

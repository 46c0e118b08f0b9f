"""Scene files: the documented format is read and rendered; bad files are rejected with the key
named. Beamformers on seeded synthetic scenes with known answers."""

import tomllib
from pathlib import Path

import numpy as np
import pytest

from beamforming import designs, scene
from beamforming.scene import SceneError

SCENES = Path(__file__).parent.parent / "beamforming" / "scenes"


def _doc() -> dict:
    return tomllib.loads((SCENES / "station_reference.toml").read_text())


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(colour="red"), "colour is not a scene key"),
        (lambda d: d["room"].update(height=3), "room.height is not a scene key"),
        (lambda d: d["room"].pop("rt60"), "room.rt60 is missing"),
        (lambda d: d["room"].update(rt60="long"), "room.rt60 must be a number"),
        (lambda d: d.update(fs=1000), "fs must be 8000..48000"),
        (lambda d: d["array"].update(axis=[0, 1, 1]), "array.axis must be a unit vector"),
        (lambda d: d["array"].update(center=[1, 2]), "array.center must be [x, y, z]"),
        (lambda d: d["source"][0].update(role="boss"), "source[0].role must be one of"),
        (lambda d: d["source"][1].update(position=[99, 1, 1]), "source[1].position"),
        (lambda d: d["source"][2].update(volume=3), "source[2].volume is not a scene key"),
        (lambda d: d["source"].pop(0), 'exactly one source must have role = "target"'),
        (lambda d: d["diffuse"].update(signal="speech:x.wav"), "diffuse.signal must be noise:"),
        (lambda d: d.pop("array"), "array is missing"),
    ],
)
def test_bad_scene_is_rejected_naming_the_key(edit, message: str) -> None:  # type: ignore[no-untyped-def]
    doc = _doc()
    edit(doc)
    with pytest.raises(SceneError, match=None) as e:
        scene.parse(doc, "x")
    assert message in str(e.value)


def test_unknown_noise_and_missing_file_name_the_problem(tmp_path: Path) -> None:
    doc = _doc()
    doc["source"][2]["signal"] = "noise:rain"
    with pytest.raises(ValueError, match="unknown noise 'rain'"):
        scene.render(scene.parse(doc, "x"))
    doc["source"][2]["signal"] = str(tmp_path / "missing.wav")
    with pytest.raises(ValueError, match="cannot read"):
        scene.render(scene.parse(doc, "x"))
    (tmp_path / "bad.toml").write_text("fs = [")
    with pytest.raises(SceneError, match="is not TOML"):
        scene.load(tmp_path / "bad.toml")


def test_rendered_scene_has_the_input_snr_and_diffuse_coherence() -> None:
    r = scene.render(scene.load(SCENES / "station_reference.toml"))
    snr = 10 * np.log10(np.sum(r.target[0] ** 2) / np.sum(r.noise[0] ** 2))
    assert abs(snr - r.scene.input_snr_db) < 0.2
    assert r.mix.shape == (2, 8 * 16000)
    # Diffuse noise alone: coherence between the microphones follows sinc(2 pi f d / c).
    rng = np.random.default_rng(0)
    n = 16000 * 20
    d = scene.diffuse_noise(rng.normal(size=n), rng.normal(size=n), 0.0175, 16000)
    from scipy import signal as sps

    f, coh = sps.coherence(d[0], d[1], fs=16000, nperseg=512)
    want = np.sinc(2 * f * 0.0175 / 343.0) ** 2
    band = (f > 100) & (f < 7000)
    assert np.max(np.abs(coh[band] - want[band])) < 0.05


def _plane_wave(fs: int, theta: float, n: int = 16000, seed: int = 3) -> np.ndarray:
    """White noise arriving from theta (0 = the look direction) at both microphones."""
    geo = designs.Geometry()
    x = np.random.default_rng(seed).normal(size=n + 64)
    lag = geo.tau * np.cos(theta)  # the back microphone hears it this much later
    back = designs.sinc_delay(16 + lag, 33)
    front = designs.sinc_delay(16 - 0.0, 33)
    from scipy import signal as sps

    return np.stack([sps.lfilter(front, 1, x), sps.lfilter(back, 1, x)])[:, 64:]


def _band_gain_db(design: designs.Design, x: np.ndarray, lo: float, hi: float) -> float:
    from scipy import signal as sps

    y = design.apply(x)
    f, pin = sps.welch(x[0], fs=16000, nperseg=1024)
    _, pout = sps.welch(y, fs=16000, nperseg=1024)
    band = (f >= lo) & (f <= hi)
    return float(10 * np.log10(np.sum(pout[band]) / np.sum(pin[band])))


@pytest.mark.parametrize("name", ["das", "cardioid", "supercardioid", "hypercardioid",
                                  "superdirective"])  # fmt: skip
def test_plane_wave_from_the_look_direction_passes_unchanged(name: str) -> None:
    geo = designs.Geometry(target_distance_m=100.0)  # far field: a plane wave
    design = {
        "das": lambda: designs.DelayAndSum(geo),
        "superdirective": lambda: designs.Superdirective(geo, mu=0.01),
    }.get(name, lambda: designs.Differential(geo, name))()
    x = _plane_wave(16000, 0.0)
    for lo, hi in ((300, 1000), (1000, 3000)):
        assert abs(_band_gain_db(design, x, lo, hi)) < 1.0, (name, lo, hi)


@pytest.mark.parametrize(("name", "null_deg"), [("cardioid", 180.0), ("hypercardioid", 109.5),
                                                 ("supercardioid", 125.3)])  # fmt: skip
def test_differential_nulls_are_where_the_design_puts_them(name: str, null_deg: float) -> None:
    d = designs.Differential(designs.Geometry(), name)
    look = abs(d.response(1000.0, 0.0))
    assert 20 * np.log10(abs(d.response(1000.0, np.deg2rad(null_deg))) / look) < -30
    # and it really filters signals: white noise from the null is 25 dB down in 300-3000 Hz
    x = _plane_wave(16000, np.deg2rad(null_deg))
    assert _band_gain_db(d, x, 300, 3000) < -20


def test_lagrange_delay_matches_a_long_sinc() -> None:
    """4 Lagrange taps against a 33-tap windowed sinc: the same directivity within 0.05 dB
    through 4 kHz, the same look-direction response within 0.05 dB through 2 kHz."""
    from beamforming.metrics import directivity_index_db

    geo = designs.Geometry()
    short = designs.Differential(geo, "hypercardioid", delay="lagrange")
    long = designs.Differential(geo, "hypercardioid", delay="sinc")
    for f in (200, 500, 1000, 2000, 3000, 4000):
        a, b = directivity_index_db(short.response, f), directivity_index_db(long.response, f)
        assert abs(a - b) < 0.05, (f, a, b)
        assert 5.4 < a < 6.1  # a hypercardioid's 6 dB, slipping as kd grows
        if f <= 2000:
            ra = 20 * np.log10(abs(short.response(f, 0.0)))
            rb = 20 * np.log10(abs(long.response(f, 0.0)))
            assert abs(ra - rb) < 0.05, (f, ra, rb)

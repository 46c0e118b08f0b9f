"""The adaptive design's calibration and wind fallback, and the evaluation command."""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from beamforming import adaptive, designs, evaluate, scene

SCENES = Path(__file__).parent.parent / "beamforming" / "scenes"
BIN = str(Path(sys.executable).parent / "crmsensor")


def test_calibration_keeps_the_adaptive_gain_under_a_1_db_mismatch() -> None:
    sc = scene.load(SCENES / "station_reference.toml")
    gains = {}
    for mismatch in (0.0, 1.0):
        r = scene.render(dataclasses.replace(sc, gain_mismatch_db=mismatch))
        geo = designs.Geometry(target_distance_m=sc.target_distance())
        a = adaptive.AdaptiveNull(geo)
        gains[mismatch] = evaluate.measure(r, a).delta_snr_db
        # the learnt correction undoes the mismatch (to 0.1 dB)
        assert abs(20 * np.log10(np.mean(a.trace["gain"][-50:])) + mismatch) < 0.1
        fixed = evaluate.measure(r, designs.Differential(geo, "hypercardioid")).delta_snr_db
        gains[f"fixed{mismatch}"] = fixed
    assert gains[0.0] >= 7.0
    assert gains[0.0] - gains[1.0] <= 1.0
    assert gains["fixed0.0"] - gains["fixed1.0"] > 3.0  # what calibration is for


def test_wind_falls_back_to_one_microphone_at_low_frequencies() -> None:
    rng = np.random.default_rng(2)
    fs, n = 16000, 16000 * 3
    from scipy import signal as sps

    sos = sps.butter(2, 300 / (fs / 2), output="sos")
    wind = sps.sosfilt(sos, rng.normal(0, 0.3, (2, n)), axis=1)  # uncorrelated rumble
    calm = np.zeros((2, n))
    x = np.concatenate([calm + rng.normal(0, 1e-4, (2, n)), wind], axis=1)
    a = adaptive.AdaptiveNull(designs.Geometry())
    y = a.apply(x)
    flags = np.array(a.trace["wind"])
    blocks = len(flags)
    assert flags[blocks // 2 + 5 :].mean() > 0.9  # detected once the wind blows
    # and, once detected, the output is not the equalised difference's boosted rumble but
    # about what the front microphone hears
    fixed = designs.Differential(designs.Geometry(), "hypercardioid").apply(x)
    late = slice(n + n // 4, 2 * n)
    assert np.std(y[late]) < 0.3 * np.std(fixed[late])
    assert np.std(y[late]) < 1.5 * np.std(x[0, late])


def test_eval_command_prints_the_documented_json(tmp_path: Path) -> None:
    proc = subprocess.run(
        [BIN, "beam", "eval", str(SCENES / "station_reference.toml"), "--json",
         "--method", "single", "--method", "badge", "--method", "pra_das",
         "--plots", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    rows = doc["scenes"]["station_reference"]["methods"]
    assert set(rows) == {"single", "badge", "pra_das"}
    keys = {"delta_snr_db", "si_sdr_db", "si_sdr_gain_db", "stoi", "customer_atten_db", "xrt"}
    assert all(keys <= set(r) <= keys | {"pesq", "di_db", "wng_db"} for r in rows.values())
    assert 5.5 < rows["badge"]["di_db"] < 6.1  # a hypercardioid's directivity
    assert rows["single"]["di_db"] is None
    assert rows["badge"]["pesq"] > rows["single"]["pesq"]
    for png in ("beampatterns.png", "station_reference_spectrograms.png"):
        assert (tmp_path / png).read_bytes()[:4] == b"\x89PNG"
    assert rows["badge"]["delta_snr_db"] > rows["pra_das"]["delta_snr_db"] + 3


def test_simulate_writes_the_wavs_and_bad_scenes_name_the_key(tmp_path: Path) -> None:
    ok = subprocess.run(
        [BIN, "beam", "simulate", str(SCENES / "pump_engine.toml"), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    import wave

    with wave.open(str(tmp_path / "o" / "mics.wav")) as w:
        assert (w.getnchannels(), w.getframerate(), w.getnframes()) == (2, 16000, 8 * 16000)
    bad = tmp_path / "bad.toml"
    bad.write_text((SCENES / "pump_engine.toml").read_text().replace("rt60", "rt_60"))
    proc = subprocess.run([BIN, "beam", "eval", str(bad)], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 1 and "room.rt_60 is not a scene key" in proc.stderr


def test_a_scene_written_elsewhere_runs_unchanged(tmp_path: Path) -> None:
    """A user's own scene: anechoic, a relative WAV path for the talker, white and brown
    noise, no diffuse field, another sample rate: evaluated like the shipped ones."""
    from beamforming import wavio

    rng = np.random.default_rng(9)
    t = np.arange(3 * 8000) / 8000
    talk = 0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 3 * t) > 0) + 0.01 * rng.normal(
        size=t.size
    )
    wavio.write(tmp_path / "talker.wav", talk[None, :], 8000)
    (tmp_path / "mine.toml").write_text(
        """
fs = 8000
duration_s = 3.0
input_snr_db = 5.0
[room]
dims = [5.0, 4.0, 3.0]
rt60 = 0.0
[array]
center = [2.5, 2.0, 1.2]
spacing_m = 0.02
axis = [0.0, 0.0, 1.0]
[[source]]
role = "target"
position = [2.5, 2.0, 1.4]
signal = "talker.wav"
[[source]]
role = "interferer"
position = [4.0, 3.0, 1.0]
signal = "noise:white"
[[source]]
role = "interferer"
position = [1.0, 1.0, 2.0]
signal = "noise:brown"
level_db = -3
"""
    )
    proc = subprocess.run(
        [BIN, "beam", "eval", str(tmp_path / "mine.toml"), "--json", "--method", "single",
         "--method", "hypercardioid", "--method", "pra_mvdr"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["scenes"]["mine"]["methods"]
    assert rows["single"]["delta_snr_db"] == 0.0
    assert rows["hypercardioid"]["delta_snr_db"] > 1.0

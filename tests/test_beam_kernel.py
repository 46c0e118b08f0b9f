"""The badge's fixed-point beamformer: the firmware's viper kernel (run under the MicroPython
unix port) is bit-exact with the host model, in 128- and 256-sample blocks, and within 60 dB
of the float design; the firmware's built-in design is the toolkit's."""

import json
from pathlib import Path

import numpy as np
import pytest

from beamforming import designs, export, fixedpoint, scene

HERE = Path(__file__).parent
SCENES = HERE.parent / "beamforming" / "scenes"


def _input(seconds: float = 1.0) -> np.ndarray:
    """A scene's microphones (speech in noise) plus a loud burst to exercise saturation."""
    r = scene.render(scene.load(SCENES / "station_reference.toml"))
    x = r.mix[:, : int(seconds * 16000)] * 32768
    rng = np.random.default_rng(4)
    x[:, 4000:4256] += rng.normal(0, 20000, (2, 256))
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


KERNEL_CASES = [("badge", 16384), ("badge", 14602), ("das", 16384), ("supercardioid", 18000)]


@pytest.mark.parametrize(("name", "back_gain"), KERNEL_CASES)
def test_firmware_kernel_is_bit_exact_with_the_host_model(  # type: ignore[no-untyped-def]
    micropython, tmp_path: Path, name: str, back_gain: int
) -> None:
    fd = export.design_by_name(name, designs.Geometry())
    x = _input()
    vec = {"design": fd.as_config(), "input": x.T.reshape(-1).tolist(), "blocks": [128, 256],
           "back_gain": back_gain}  # fmt: skip
    (tmp_path / "vec.json").write_text(json.dumps(vec))
    proc = micropython(HERE / "firmware" / "mp_beam_kernel.py", str(tmp_path / "vec.json"),
                       str(tmp_path / "out.json"))  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    outputs = json.loads((tmp_path / "out.json").read_text())["outputs"]
    want = fixedpoint.run(fd, x, back_gain)
    for block, got in outputs.items():
        n = len(got)
        assert n >= len(want) - 256
        assert np.array_equal(np.array(got, dtype=np.int16), want[:n]), (name, block)
    if name != "das":  # the burst drives the equalised designs into saturation
        assert np.max(want) == 32767 or np.min(want) == -32768


def test_fixed_point_is_within_60_db_of_the_float_design() -> None:
    r = scene.render(scene.load(SCENES / "station_reference.toml"))
    float_design = export.badge_float()
    y = float_design.apply(r.mix)
    yi = fixedpoint.FixedKernel(export.badge_fixed()).apply(r.mix)
    err_db = 10 * np.log10(np.sum(y**2) / np.sum((y - yi) ** 2))
    assert err_db >= 60, err_db


def test_firmware_ships_the_toolkits_badge_design() -> None:
    assert export.FIRMWARE_MODULE.read_text() == export.firmware_module(export.badge_fixed())


def test_export_rejects_what_the_kernel_cannot_run() -> None:
    d = designs.Differential(designs.Geometry(), "hypercardioid", corner_hz=400.0)
    with pytest.raises(ValueError, match="equaliser corner out of the kernel's range"):
        fixedpoint.quantise(d)
    d = designs.Differential(designs.Geometry(), "hypercardioid")
    d.hf = d.hf * 3
    with pytest.raises(ValueError, match="absolute sum"):
        fixedpoint.quantise(d)


def test_firmware_calibration_learns_a_1_db_mismatch(micropython, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The badge's calibration (crms/dsp/calib.py, driven by the trimmer as in the recorder)
    under MicroPython, on the reference scene with the back microphone 1 dB hot or matched."""
    import dataclasses

    sc = scene.load(SCENES / "station_reference.toml")
    for mismatch in (1.0, 0.0):
        r = scene.render(dataclasses.replace(sc, gain_mismatch_db=mismatch))
        x = np.clip(np.round(r.mix * 32768), -32768, 32767).astype("<i2")
        (tmp_path / "mics.raw").write_bytes(x.T.reshape(-1).tobytes())
        proc = micropython(HERE / "firmware" / "mp_calib.py", str(tmp_path / "mics.raw"))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        gain_q14, used = map(float, proc.stdout.split()[1:3])
        learnt_db = 20 * np.log10(gain_q14 / 16384)
        assert abs(learnt_db + mismatch) < 0.2, (mismatch, learnt_db, used)
        assert used > 100  # it learnt from the pauses, not from nothing


def test_host_calibration_is_the_firmwares(micropython, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """beamforming.calibration (what `beam eval`'s badge runs) gives the back microphone the
    same gain, block for block, as the firmware's recorder loop under MicroPython, on a
    scene with 1 dB of mismatch and 15 mm spacing (not the shipped scene's)."""
    import dataclasses

    from beamforming import calibration

    sc = scene.load(SCENES / "station_reference.toml")
    r = scene.render(dataclasses.replace(sc, gain_mismatch_db=-1.0, spacing_m=0.015))
    x = np.clip(np.round(r.mix * 32768), -32768, 32767).astype("<i2")
    (tmp_path / "mics.raw").write_bytes(x.T.reshape(-1).tobytes())
    proc = micropython(HERE / "firmware" / "mp_calib.py", str(tmp_path / "mics.raw"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    device = [int(g) for g in lines["gains"].split(",")]
    host = calibration.back_gains(export.badge_fixed(), x.astype(np.int16))
    assert host.gains.tolist() == device
    assert host.blocks_learnt == int(lines["gain"].split()[1]) > 100
    assert len(set(device)) > 10  # the gain moved: the comparison covers the learning

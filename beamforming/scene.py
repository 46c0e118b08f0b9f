"""Scenes: a TOML file describing a room, the badge's two microphones and the sources around
them, rendered with pyroomacoustics into what the microphones hear, component by component.

    fs = 16000                  # Hz
    duration_s = 8.0
    input_snr_db = 0.0          # all noise vs the target at the reference (front) microphone,
    highpass_hz = 100.0         #   measured after this high-pass
    seed = 1                    # optional: noise generation
    description = "..."         # optional
    [room]       dims = [x, y, z] (m); rt60 (s; 0 = anechoic)
    [array]      center = [x, y, z]; spacing_m; axis = unit vector back -> front microphone,
                 towards the mouth; gain_mismatch_db (back microphone); self_noise_db (each
                 microphone's white noise, dB relative to the target at the reference microphone)
    [[source]]   role = target | customer | interferer; position = [x, y, z];
                 signal = speech:PATH | noise:white|pink|brown|engine|babble | PATH.wav;
                 level_db (at the reference microphone: the customer relative to the target,
                 interferers relative to each other and to the diffuse noise)
    [diffuse]    optional: signal = noise:KIND (default pink); level_db; spherically diffuse,
                 with the two-microphone coherence sinc(2 pi f d / c)

Exactly one target. Unknown keys and bad values raise :class:`SceneError` naming the key.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyroomacoustics as pra
from scipy import signal as sps

from beamforming import signals
from crmsensor.errors import UserError

C = 343.0
TARGET_RMS = 10 ** (-26 / 20)  # the target at the reference microphone, -26 dBFS
ROLES = ("target", "customer", "interferer")
_TOP = {"fs", "duration_s", "input_snr_db", "highpass_hz", "seed", "description", "room",
        "array", "source", "diffuse"}  # fmt: skip
_ROOM = {"dims", "rt60"}
_ARRAY = {"center", "spacing_m", "axis", "gain_mismatch_db", "self_noise_db"}
_SOURCE = {"role", "position", "signal", "level_db"}
_DIFFUSE = {"signal", "level_db"}


class SceneError(UserError, ValueError):
    """A scene file that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Source:
    role: str
    position: tuple[float, float, float]
    signal: str
    level_db: float


@dataclass(frozen=True)
class Scene:
    name: str
    fs: int
    duration_s: float
    input_snr_db: float
    highpass_hz: float
    seed: int
    room_dims: tuple[float, float, float]
    rt60: float
    center: tuple[float, float, float]
    spacing_m: float
    axis: tuple[float, float, float]
    gain_mismatch_db: float
    self_noise_db: float
    sources: tuple[Source, ...]
    diffuse_signal: str | None
    diffuse_level_db: float
    base: Path = field(default=Path("."))

    def mic_positions(self) -> np.ndarray:
        """(3, 2): front (reference) microphone, then back."""
        c = np.array(self.center)
        a = np.array(self.axis)
        return np.stack([c + a * self.spacing_m / 2, c - a * self.spacing_m / 2], axis=1)

    @property
    def target(self) -> Source:
        return next(s for s in self.sources if s.role == "target")

    def target_distance(self) -> float:
        return float(np.linalg.norm(np.array(self.target.position) - np.array(self.center)))


def _num(
    d: dict[str, Any], key: str, where: str, lo: float, hi: float, default: Any = None
) -> float:
    if key not in d:
        if default is None:
            raise SceneError(f"{where}{key} is missing")
        return float(default)
    v = d[key]
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise SceneError(f"{where}{key} must be a number, got {v!r}")
    if not lo <= v <= hi:
        raise SceneError(f"{where}{key} must be {lo}..{hi}, got {v}")
    return float(v)


def _vec(d: dict[str, Any], key: str, where: str) -> tuple[float, float, float]:
    v = d.get(key)
    if v is None:
        raise SceneError(f"{where}{key} is missing")
    numbers = isinstance(v, list) and all(
        isinstance(x, int | float) and not isinstance(x, bool) for x in v
    )
    if not numbers or len(v) != 3:
        raise SceneError(f"{where}{key} must be [x, y, z] numbers, got {v!r}")
    return (float(v[0]), float(v[1]), float(v[2]))


def _keys(d: Any, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(d, dict):
        raise SceneError(f"{where.rstrip('.') or 'scene'} must be a table")
    unknown = sorted(set(d) - allowed)
    if unknown:
        raise SceneError(
            f"{where}{unknown[0]} is not a scene key (allowed: {', '.join(sorted(allowed))})"
        )
    return d


def parse(doc: dict[str, Any], name: str, base: Path = Path(".")) -> Scene:
    """Check a scene document (parsed TOML) and return the :class:`Scene`."""
    _keys(doc, _TOP, "")
    fs = _num(doc, "fs", "", 8000, 48000)
    if fs != int(fs):
        raise SceneError(f"fs must be an integer, got {fs}")
    room = _keys(doc.get("room"), _ROOM, "room.") if "room" in doc else None
    if room is None:
        raise SceneError("room is missing")
    dims = _vec(room, "dims", "room.")
    if min(dims) <= 0.5:
        raise SceneError(f"room.dims must all be > 0.5 m, got {list(dims)}")
    arr = _keys(doc.get("array"), _ARRAY, "array.") if "array" in doc else None
    if arr is None:
        raise SceneError("array is missing")
    axis = _vec(arr, "axis", "array.")
    norm = float(np.linalg.norm(axis))
    if abs(norm - 1) > 0.01:
        raise SceneError(f"array.axis must be a unit vector, its length is {norm:.3f}")
    center = _vec(arr, "center", "array.")
    raw_sources = doc.get("source")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise SceneError('source is missing: at least the [[source]] with role = "target"')
    sources = []
    for i, s in enumerate(raw_sources):
        where = f"source[{i}]."
        _keys(s, _SOURCE, where)
        role = s.get("role")
        if role not in ROLES:
            raise SceneError(f"{where}role must be one of {', '.join(ROLES)}, got {role!r}")
        sig = s.get("signal")
        if not isinstance(sig, str) or not sig:
            raise SceneError(f"{where}signal must be a string (speech:PATH, noise:KIND or PATH)")
        pos = _vec(s, "position", where)
        if not all(0 < p < d for p, d in zip(pos, dims, strict=True)):
            raise SceneError(f"{where}position {list(pos)} is outside the room {list(dims)}")
        level = _num(s, "level_db", where, -80, 40, default=0.0)
        sources.append(Source(role, pos, sig, level))
    if [s.role for s in sources].count("target") != 1:
        raise SceneError('source: exactly one source must have role = "target"')
    diffuse = _keys(doc["diffuse"], _DIFFUSE, "diffuse.") if "diffuse" in doc else None
    dsig = None
    if diffuse is not None:
        dsig = diffuse.get("signal", "noise:pink")
        if not isinstance(dsig, str) or not dsig.startswith("noise:"):
            raise SceneError(f"diffuse.signal must be noise:KIND, got {dsig!r}")
    scene = Scene(
        name=name,
        fs=int(fs),
        duration_s=_num(doc, "duration_s", "", 0.5, 600),
        input_snr_db=_num(doc, "input_snr_db", "", -30, 60),
        highpass_hz=_num(doc, "highpass_hz", "", 0, 1000, default=0.0),
        seed=int(_num(doc, "seed", "", 0, 2**31, default=1)),
        room_dims=dims,
        rt60=_num(room, "rt60", "room.", 0, 3),
        center=center,
        spacing_m=_num(arr, "spacing_m", "array.", 0.002, 0.2),
        axis=(axis[0] / norm, axis[1] / norm, axis[2] / norm),
        gain_mismatch_db=_num(arr, "gain_mismatch_db", "array.", -12, 12, default=0.0),
        self_noise_db=_num(arr, "self_noise_db", "array.", -120, 0, default=-90.0),
        sources=tuple(sources),
        diffuse_signal=dsig,
        diffuse_level_db=_num(diffuse, "level_db", "diffuse.", -80, 40, default=0.0)
        if diffuse is not None
        else 0.0,
        base=base,
    )
    for p in scene.mic_positions().T:
        if not all(0 < x < d for x, d in zip(p, dims, strict=True)):
            raise SceneError(f"array.center puts a microphone outside the room: {list(p)}")
    # every signal it names can be made: checked from the WAV headers, before any rendering
    named = [(f"source {i + 1} ({s.role})", s.signal) for i, s in enumerate(scene.sources)]
    if scene.diffuse_signal:
        named.append(("diffuse", scene.diffuse_signal))
    for where, spec in named:
        try:
            signals.check(spec, base)
        except signals.SignalError as e:
            raise SceneError(f"{where}: {e}") from None
    return scene


def load(path: Path) -> Scene:
    """Read and check a scene file."""
    try:
        doc = tomllib.loads(path.read_text())
    except OSError as e:
        raise SceneError(f"cannot read {path}: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise SceneError(f"{path} is not TOML: {e}") from None
    return parse(doc, path.stem, path.parent)


@dataclass
class Rendered:
    """What the microphones hear, (2, N) each: the mixture and its parts."""

    scene: Scene
    mix: np.ndarray
    target: np.ndarray
    customer: np.ndarray
    noise: np.ndarray  # interferers + diffuse + self noise

    @property
    def reference(self) -> np.ndarray:
        """The clean target at the reference (front) microphone."""
        return np.asarray(self.target[0])


def diffuse_noise(x1: np.ndarray, x2: np.ndarray, spacing_m: float, fs: int) -> np.ndarray:
    """Two independent noises mixed per frequency so that their coherence is that of a
    spherically diffuse field between two microphones: sinc(2 pi f d / c)."""
    n = len(x1)
    f = np.fft.rfftfreq(n, 1 / fs)
    gamma = np.sinc(2 * f * spacing_m / C)  # np.sinc(x) = sin(pi x)/(pi x)
    a, b = np.fft.rfft(x1), np.fft.rfft(x2)
    y2 = gamma * a + np.sqrt(np.clip(1 - gamma**2, 0, None)) * b
    return np.stack([x1, np.fft.irfft(y2, n)])


def _hp(x: np.ndarray, fs: int, hz: float) -> np.ndarray:
    if hz <= 0:
        return x
    sos = sps.butter(4, hz / (fs / 2), "highpass", output="sos")
    return np.asarray(sps.sosfiltfilt(sos, x, axis=-1))


def render(scene: Scene) -> Rendered:
    """Simulate the scene: each source through the room to both microphones, scaled as the
    scene says; diffuse and self noise added; the back microphone's gain mismatch applied."""
    fs = scene.fs
    n = int(scene.duration_s * fs)
    rng = np.random.default_rng(scene.seed)
    if scene.rt60 > 0:
        absorption, max_order = pra.inverse_sabine(scene.rt60, list(scene.room_dims), c=C)
        room = pra.ShoeBox(list(scene.room_dims), fs=fs, materials=pra.Material(absorption),
                           max_order=max_order)  # fmt: skip
    else:
        room = pra.AnechoicRoom(fs=fs)
    for s in scene.sources:
        room.add_source(list(s.position), signal=signals.make(s.signal, n, fs, rng, scene.base))
    room.add_microphone_array(scene.mic_positions())
    premix = room.simulate(return_premix=True)[:, :, :n]  # (sources, 2, n)
    premix = np.pad(premix, ((0, 0), (0, 0), (0, n - premix.shape[2])))

    def level(x: np.ndarray) -> float:  # RMS at the reference microphone after the high-pass
        return float(np.sqrt(np.mean(_hp(x[0], fs, scene.highpass_hz) ** 2))) + 1e-20

    parts = {role: np.zeros((2, n)) for role in ROLES}
    t = premix[next(i for i, s in enumerate(scene.sources) if s.role == "target")]
    t_gain = TARGET_RMS / level(t)
    for i, s in enumerate(scene.sources):
        x = premix[i] * t_gain if s.role == "target" else premix[i]
        if s.role != "target":
            x = x / level(x) * TARGET_RMS * 10 ** (s.level_db / 20)
        parts[s.role] += x
    noise = parts["interferer"]
    if scene.diffuse_signal is not None:
        d = diffuse_noise(
            signals.make(scene.diffuse_signal, n, fs, rng, scene.base),
            signals.make(scene.diffuse_signal, n, fs, rng, scene.base),
            scene.spacing_m,
            fs,
        )
        noise = noise + d / level(d) * TARGET_RMS * 10 ** (scene.diffuse_level_db / 20)
    if np.any(noise):  # all noise scaled to the scene's input SNR
        noise = noise * (TARGET_RMS / level(noise)) * 10 ** (-scene.input_snr_db / 20)
    noise = noise + rng.normal(0, TARGET_RMS * 10 ** (scene.self_noise_db / 20), (2, n))
    g = np.array([[1.0], [10 ** (scene.gain_mismatch_db / 20)]])
    target, customer, noise = parts["target"] * g, parts["customer"] * g, noise * g
    hz = scene.highpass_hz
    target, customer, noise = _hp(target, fs, hz), _hp(customer, fs, hz), _hp(noise, fs, hz)
    return Rendered(scene, target + customer + noise, target, customer, noise)

"""The postfilter (beamforming/postfilter.py) on signals with known answers."""

import numpy as np
import pytest

from beamforming import designs, postfilter

FS = 16000


def _power_db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(x**2)))


def test_unity_gains_give_back_the_input_exactly() -> None:
    x = np.random.default_rng(1).normal(size=FS * 2 + 77)  # not a whole number of hops
    s = postfilter.Suppressor()
    assert np.max(np.abs(s.apply_gains(x, np.ones(1)) - x)) < 1e-12


def test_steady_noise_is_brought_down_to_the_gain_floor() -> None:
    noise = np.random.default_rng(2).normal(0, 0.05, FS * 6)
    s = postfilter.Suppressor(floor_db=-10.0)
    y = s.apply(noise)
    drop = _power_db(noise[FS * 2 :]) - _power_db(y[FS * 2 :])  # after the estimator settles
    assert 8.0 < drop <= 10.5


def test_tone_bursts_well_above_the_noise_pass_within_half_a_decibel() -> None:
    # Bursts like syllables: a steady tone longer than the noise window would be taken for
    # noise (that is what minimum statistics does with a whistle).
    t = np.arange(FS * 6) / FS
    tone = 0.3 * np.sin(2 * np.pi * 700 * t) * (t > 2.0) * (t % 1.2 < 0.6)
    noise = np.random.default_rng(3).normal(0, 0.01, len(t))
    s = postfilter.Suppressor()
    g = s.gains(tone + noise)
    out = s.apply_gains(tone, g)
    late = slice(FS * 3, FS * 5)
    assert abs(_power_db(out[late]) - _power_db(tone[late])) < 0.5


def test_the_suppressor_is_causal_up_to_one_frame() -> None:
    rng = np.random.default_rng(4)
    a = rng.normal(0, 0.05, FS * 4)
    b = a.copy()
    b[FS * 3 :] = rng.normal(0, 0.5, FS)  # a different future
    s = postfilter.Suppressor()
    ya, yb = s.apply(a), s.apply(b)
    cut = FS * 3 - s.n  # every frame that ends before the change is the same
    assert np.allclose(ya[:cut], yb[:cut])
    assert not np.allclose(ya[FS * 3 :], yb[FS * 3 :])


def test_the_parts_go_through_the_same_gains_as_the_mix() -> None:
    rng = np.random.default_rng(5)
    speech_like = rng.normal(0, 0.2, (2, FS * 3)) * (np.arange(FS * 3) % FS < FS // 2)
    noise = rng.normal(0, 0.02, (2, FS * 3))
    pf = postfilter.PostFiltered(designs.SingleMic())
    y, (ys, yn) = pf.process(speech_like + noise, [speech_like, noise])
    assert np.allclose(y, ys + yn)  # one mask, applied to a sum, is the sum of the parts
    assert pf.name == "single+postfilter"


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [({"n": 500, "hop": 128}, "n=500"), ({"hop": 512}, "hop=512"), ({"floor_db": 3.0}, "floor_db")],
)
def test_bad_parameters_are_rejected_by_name(kwargs: dict, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        postfilter.Suppressor(**kwargs)

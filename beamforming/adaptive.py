"""The adaptive design: an adaptive-null first-order differential array (Elko and Pong, 1995)
with automatic microphone gain calibration and wind detection.

Per block of ``block`` samples, decided on the mixture and applied identically to every part:

- calibration: the back microphone's gain is corrected by the running ratio of the two
  microphones' power in 200-1000 Hz, learnt only while the wearer is silent (far and diffuse
  noise reaches both microphones at the same level; the mouth, 18 cm away, does not);
- the null: y = c_F - beta * c_B with the forward and backward cardioids of the calibrated
  pair; beta in [0, 1] (a null anywhere in the rear half) minimises the output power by
  normalised LMS, frozen while the wearer talks (c_F much louder than c_B);
- wind: turbulence is uncorrelated between the microphones while sound at 17.5 mm is nearly
  perfectly correlated below 500 Hz; when the low band's correlation drops, the output's low
  band (below 1 kHz) comes from the front microphone alone instead of the equalised
  difference, which would boost the turbulence;
- the same low-frequency equaliser as the fixed differential designs.
"""

from collections.abc import Sequence

import numpy as np
from scipy import signal as sps

from beamforming import designs


class AdaptiveNull(designs.Design):
    name = "adaptive"
    adaptive = True

    def __init__(self, geo: designs.Geometry, block: int = 256, corner_hz: float = 200.0,
                 mu: float = 0.05, talk_ratio_db: float = 3.0, wind_corr: float = 0.5,
                 calibrate: bool = True) -> None:  # fmt: skip
        self.geo, self.block, self.mu = geo, block, mu
        self.talk_ratio = 10 ** (talk_ratio_db / 10)
        self.wind_corr, self.calibrate = wind_corr, calibrate
        self.lag = designs.lagrange(1 + geo.tau)
        self.d1 = np.array([0.0, 1.0, 0.0, 0.0])
        # The look direction only ever sees c_F (c_B's null faces the mouth), so the
        # cardioid's equaliser, normalised to unity at 1 kHz there, fits whatever beta is.
        self.eq = designs.Differential(geo, "cardioid", corner_hz).eq
        fs = geo.fs
        self.band = sps.butter(2, [200 / (fs / 2), 1000 / (fs / 2)], "bandpass", output="sos")
        self.low = sps.butter(4, 500 / (fs / 2), "lowpass", output="sos")  # wind detection
        # In wind, below 1 kHz the output is the front microphone's (4th-order crossover).
        self.x_low = sps.butter(4, 1000 / (fs / 2), "lowpass", output="sos")
        self.x_high = sps.butter(4, 1000 / (fs / 2), "highpass", output="sos")
        self.trace: dict[str, list[float]] = {}

    def _plan(self, mix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per block: back-microphone gain, beta, wind flag (decided on the mixture)."""
        n = mix.shape[1]
        nb = n // self.block + (1 if n % self.block else 0)
        band = sps.sosfilt(self.band, mix, axis=1)
        low = sps.sosfilt(self.low, mix, axis=1)
        gains, betas, wind = np.ones(nb), np.zeros(nb), np.zeros(nb, dtype=bool)
        p_front = p_back = 1e-12
        beta, gain = 0.5, 1.0
        power = 1e-9
        hold = 0  # blocks the wind decision still holds (gusts come and go)
        # The back-to-back cardioids are linear in the back microphone's gain, so the four
        # filtered signals are computed once and combined per block with that block's gain.
        front_d, back_lag = sps.lfilter(self.d1, 1, mix[0]), sps.lfilter(self.lag, 1, mix[1])
        back_d, front_lag = sps.lfilter(self.d1, 1, mix[1]), sps.lfilter(self.lag, 1, mix[0])
        for b in range(nb):
            sl = slice(b * self.block, min(n, (b + 1) * self.block))
            cf = front_d[sl] - gain * back_lag[sl]
            cb = gain * back_d[sl] - front_lag[sl]
            pf, pb = float(np.mean(cf**2)), float(np.mean(cb**2)) + 1e-20
            talking = pf > self.talk_ratio * pb
            if not talking:
                # Calibrate only on blocks that are clearly noise alone: the two cardioids
                # about equal, as in a diffuse field (the mouth makes c_F dominate).
                if self.calibrate and pf < 1.25 * pb:
                    p_front = 0.98 * p_front + 0.02 * float(np.mean(band[0, sl] ** 2))
                    p_back = 0.98 * p_back + 0.02 * float(np.mean(band[1, sl] ** 2))
                    gain = float(np.sqrt(p_front / p_back))
                y = cf - beta * cb
                power = 0.9 * power + 0.1 * pb
                beta += self.mu * float(np.mean(y * cb)) / power
                beta = min(1.0, max(0.0, beta))
            lf, lb = low[0, sl], low[1, sl]
            corr = float(np.dot(lf, lb) / np.sqrt(np.dot(lf, lf) * np.dot(lb, lb) + 1e-30))
            hold = 30 if corr < self.wind_corr else max(0, hold - 1)
            gains[b], betas[b], wind[b] = gain, beta, hold > 0
        self.trace = {"gain": gains.tolist(), "beta": betas.tolist(), "wind": wind.tolist()}
        return gains, betas, wind

    def _apply(self, x: np.ndarray, gains: np.ndarray, betas: np.ndarray,
               wind: np.ndarray) -> np.ndarray:  # fmt: skip
        n = x.shape[1]

        def per_sample(v: np.ndarray) -> np.ndarray:
            return np.asarray(np.repeat(v, self.block)[:n])

        xb = x[1] * per_sample(gains)
        cf = sps.lfilter(self.d1, 1, x[0]) - sps.lfilter(self.lag, 1, xb)
        cb = sps.lfilter(self.d1, 1, xb) - sps.lfilter(self.lag, 1, x[0])
        y = self.eq.apply(cf - per_sample(betas) * cb)
        if wind.any():
            w = per_sample(wind.astype(float))
            front = np.concatenate([[0.0], x[0][:-1]])  # the beam's one-sample delay
            y = (1 - w) * y + w * (sps.sosfilt(self.x_high, y) + sps.sosfilt(self.x_low, front))
        return np.asarray(y)

    def process(
        self, mix: np.ndarray, parts: Sequence[np.ndarray] = ()
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        plan = self._plan(mix)
        return self._apply(mix, *plan), [self._apply(p, *plan) for p in parts]

    def apply(self, x: np.ndarray) -> np.ndarray:
        return self.process(x)[0]

"""The badge's DSP under the MicroPython unix port: beamformer kernel, silence trimmer, IMA
ADPCM encoder (decoded here by an independent decoder, CPython's audioop)."""

import warnings
from pathlib import Path

import numpy as np

from crmsensor.protocol import wavfile

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

HERE = Path(__file__).parent


def test_beamformer_and_trimmer(micropython) -> None:  # type: ignore[no-untyped-def]
    proc = micropython(HERE / "mp_dsp.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("slots_to_16", "look_direction_passes", "null_where_the_design_puts_it",
                 "saturates_and_rejects_bad_taps", "trimmer"):  # fmt: skip
        assert f"ok {name}" in proc.stdout, proc.stdout


def _decode_ima_wav_blocks(data: bytes, samples: int) -> np.ndarray:
    """IMA ADPCM WAV blocks (256 bytes, 505 samples) decoded with audioop."""
    out = []
    for off in range(0, len(data), 256):
        block = data[off : off + 256]
        first = int.from_bytes(block[0:2], "little", signed=True)
        index = block[2]
        # WAV puts the first sample of a pair in the low nibble, audioop in the high one.
        swapped = bytes(((b & 0x0F) << 4) | (b >> 4) for b in block[4:])
        pcm, _state = audioop.adpcm2lin(swapped, 2, (first, index))
        out.append(np.array([first], "<i2"))
        out.append(np.frombuffer(pcm, "<i2"))
    return np.concatenate(out)[:samples]


def test_ima_adpcm_decodes_with_an_independent_decoder(micropython, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proc = micropython(HERE / "mp_codec.py", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    x = np.frombuffer((tmp_path / "chirp.raw").read_bytes(), "<i2").astype(float)
    y = _decode_ima_wav_blocks((tmp_path / "chirp.ima").read_bytes(), len(x))
    assert len(y) == len(x)
    snr = 10 * np.log10(np.sum(x**2) / np.sum((x - y) ** 2))
    assert snr > 15, snr  # 4 bits a sample on a loud chirp sweeping to 3 kHz
    # The same blocks from audioop's encoder, started from each block's header state:
    # the firmware's quantiser is the standard IMA one, bit for bit.
    data = (tmp_path / "chirp.ima").read_bytes()
    xi = np.frombuffer((tmp_path / "chirp.raw").read_bytes(), "<i2")
    for k in range(3):  # the whole blocks (the last is padded with silence)
        block = data[k * 256 : (k + 1) * 256]
        state = (int.from_bytes(block[0:2], "little", signed=True), block[2])
        ours = audioop.lin2adpcm(xi[k * 505 + 1 : (k + 1) * 505].tobytes(), 2, state)[0]
        assert bytes(((b & 0x0F) << 4) | (b >> 4) for b in block[4:]) == ours, k
    wav = (tmp_path / "chirp.wav").read_bytes()
    assert wav[:4] == b"RIFF" and wav[20:22] == b"\x11\x00"
    assert int.from_bytes(wav[4:8], "little") == len(wav) - 8
    assert int.from_bytes(wav[48:52], "little") == len(x)  # fact: real samples
    # The fleet's reader (crmsensor.protocol.wavfile) gives the same samples from the file.
    read = wavfile.read(wav)
    assert read.rate == 16000 and np.array_equal(np.frombuffer(read.samples, "<i2"), y)


def test_lis3dh_driver_against_a_register_model(micropython) -> None:  # type: ignore[no-untyped-def]
    proc = micropython(HERE / "mp_lis3dh.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok lis3dh" in proc.stdout

"""The seed switch: DLBOOK_SEED_SHIFT shifts every seed of dlbook, and only
when it is set; bad values get a clear error."""

import numpy as np
import pytest

import dlbook as dl
from dlbook.seeds import MAX_SHIFT, SHIFT_VARIABLE, STRIDE, seed_shift


@pytest.fixture
def shift(monkeypatch):
    def set_shift(value):
        if value is None:
            monkeypatch.delenv(SHIFT_VARIABLE, raising=False)
        else:
            monkeypatch.setenv(SHIFT_VARIABLE, str(value))
    return set_shift


def test_unset_is_zero_and_set_is_added(shift):
    shift(None)
    assert seed_shift() == 0 and dl.seeds.seed(42) == 42
    shift("")
    assert seed_shift() == 0
    shift(7)
    assert seed_shift() == 7 and dl.seeds.seed(42) == 70_042
    assert dl.rng(3).integers(10**9) == np.random.default_rng(70_003).integers(10**9)
    # shifts never share a seed: every seed of shift 7 lies in [70,000, 80,000)
    assert dl.seeds.seed(0) == 7 * STRIDE and dl.seeds.seed(STRIDE - 1) == 8 * STRIDE - 1
    shift(MAX_SHIFT)
    assert dl.seeds.seed(2**32 - 1 - STRIDE * MAX_SHIFT) == 2**32 - 1   # the largest Keras accepts


@pytest.mark.parametrize("value, message", [
    ("two", "must be an integer, got 'two'"),
    ("1.5", "must be an integer"),
    ("-1", "must lie in [0, 100,000], got -1"),
    (str(MAX_SHIFT + 1), "got 100001"),
])
def test_bad_shift_is_a_clear_error(shift, value, message):
    shift(value)
    with pytest.raises(ValueError, match=SHIFT_VARIABLE) as err:
        dl.rng(0)
    assert message in str(err.value)


def test_bad_seed_is_a_clear_error(shift):
    shift(None)
    with pytest.raises(TypeError, match="seed must be an integer, got float 1.0"):
        dl.rng(1.0)
    with pytest.raises(ValueError, match="seed"):
        dl.rng(-1)
    with pytest.raises(ValueError, match="seed"):
        dl.seeds.seed(2**32 - STRIDE * MAX_SHIFT)   # no room left for the shift


# Every function of dlbook that samples: called with seed s under shift k, it
# gives what it gives with seed s + 10,000 k and no shift, and something else
# than with seed s.
SAMPLERS = {
    "split": lambda seed: dl.data.split(np.arange(100), seed=seed)[0],
    "make_bars": lambda seed: dl.data.make_bars(4, size=20, seed=seed)[0],
    "random_patches": lambda seed: dl.data.random_patches(
        np.arange(30 * 30 * 3, dtype=float).reshape(30, 30, 3), size=4, n=5, seed=seed),
    "pixel_permutation": lambda seed: dl.data.pixel_permutation(784, seed=seed),
    "shuffle_pixels": lambda seed: dl.data.shuffle_pixels(np.arange(2 * 16).reshape(2, 4, 4), seed=seed),
    "fast_ica": lambda seed: dl.scratch.fast_ica(
        np.random.default_rng(0).laplace(size=(200, 4)), n_components=2, seed=seed, max_iter=5)[0],
    "rng": lambda seed: dl.rng(seed).random(5),
}


@pytest.mark.parametrize("name", SAMPLERS)
def test_every_sampler_follows_the_shift(shift, name):
    sample = SAMPLERS[name]
    shift(None)
    plain, later = sample(5), sample(3 * STRIDE + 5)
    shift(3)
    shifted = sample(5)
    assert np.array_equal(shifted, later)
    assert not np.array_equal(shifted, plain)


def test_set_seed_follows_the_shift(shift):
    pytest.importorskip("keras")
    shift(None)
    dl.training.set_seed(3 * STRIDE + 5)
    later = np.random.random(3)
    shift(3)
    dl.training.set_seed(5)
    assert np.array_equal(np.random.random(3), later)


def _seeds_script():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "scripts" / "seeds.py"
    spec = importlib.util.spec_from_file_location("seeds_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sweep_table_has_every_glued_value_and_its_spread():
    sweep = _seeds_script()
    chapter = sweep.chapters()[0]
    run = lambda passed, acc, verdict: {   # noqa: E731
        "built": True, "tests_passed": passed, "build_seconds": 1, "logs": "x",
        "values": {chapter: {"acc": acc, "verdict": verdict, "count": 3}}}
    report = {"shifts": [0, 1, 2], "runs": {"0": run(True, 0.9, "a"), "1": run(False, 0.7, "b"),
                                            "2": run(True, 0.8, "a")}}
    text = sweep.summary(report)
    assert f"| {chapter} | acc | 0.9 | 0.7 | 0.8 | 0.7 | 0.8 | 0.9 |" in text
    assert f"| {chapter} | count | 3 | 3 | 3 | 3 | 3 | 3 |" in text
    assert f"| {chapter} | verdict | 2 |" in text
    assert "| 1 | yes | FAIL | 1 |" in text and "| 0 | yes | pass | 1 |" in text


def test_sweep_covers_every_chapter_with_code():
    chapters = _seeds_script().chapters()
    assert "fcnn/relu-mnist" in chapters and "cnn/cnn-mnist" in chapters and len(chapters) >= 10
    assert "companion" not in chapters

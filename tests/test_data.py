"""Tests for kerasnotes.data: MNIST resolution order, IDX reader, toy data, image folder, no_network."""

from __future__ import annotations

import gzip
import socket
import struct
import subprocess
import sys
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from kerasnotes import _platform, data
from kerasnotes.data import (
    NetworkBlockedError,
    data_dir,
    last_source,
    load_mnist,
    make_image_folder,
    make_linear_data,
    no_network,
    read_idx,
)


@pytest.fixture
def offline_no_mnist(monkeypatch, tmp_path):
    """No explicit MNIST anywhere: no env var, an empty Keras home, offline."""
    monkeypatch.delenv("KERASNOTES_MNIST", raising=False)
    monkeypatch.setenv("KERASNOTES_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(_platform, "mnist_cache_file", lambda **_: None)


def _write_idx(path: Path, array: np.ndarray, gz: bool = True) -> None:
    header = struct.pack(">BBBB", 0, 0, 8, array.ndim) + struct.pack(
        f">{array.ndim}I", *array.shape
    )
    raw = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(raw) if gz else raw)


# --- load_mnist -----------------------------------------------------------------------


def test_idx_folder_equals_npz(real_mnist_path, capsys):
    folder = real_mnist_path.parent
    if not (folder / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.skip("the IDX files are not next to the real MNIST npz")
    (a_tr, a_te) = load_mnist(folder)
    assert last_source().kind == "idx" and last_source().is_mnist
    (b_tr, b_te) = load_mnist(real_mnist_path)
    assert last_source().kind == "npz"
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all("real MNIST" in line for line in out)
    # the IDX reader gives the same pixels and labels as the independently made npz
    for a, b in zip((*a_tr, *a_te), (*b_tr, *b_te), strict=True):
        assert a.dtype == b.dtype == np.uint8
        np.testing.assert_array_equal(a, b)
    assert a_tr[0].shape == (8000, 28, 28) and a_te[0].shape == (2000, 28, 28)


def test_real_mnist_npz_matches_raw_npz(real_mnist_path):
    (x_train, y_train), (x_test, y_test) = load_mnist(real_mnist_path, verbose=False)
    with np.load(real_mnist_path) as raw:
        np.testing.assert_array_equal(x_train, raw["x_train"])
        np.testing.assert_array_equal(y_test, raw["y_test"])
    assert set(np.unique(y_train)) == set(range(10))


def test_env_var_is_used(real_mnist_path, monkeypatch, capsys):
    monkeypatch.setenv("KERASNOTES_MNIST", str(real_mnist_path))
    load_mnist()
    assert last_source().origin == "env"
    assert "KERASNOTES_MNIST" in capsys.readouterr().out


def test_explicit_path_beats_env(tmp_path, monkeypatch):
    x = np.arange(3 * 28 * 28, dtype=np.uint8).reshape(3, 28, 28)
    y = np.array([1, 2, 3], np.uint8)
    np.savez(tmp_path / "mine.npz", x_train=x, y_train=y, x_test=x[:1], y_test=y[:1])
    monkeypatch.setenv("KERASNOTES_MNIST", str(tmp_path / "does-not-matter.npz"))
    (xt, yt), (xs, ys) = load_mnist(tmp_path / "mine.npz", verbose=False)
    np.testing.assert_array_equal(xt, x)
    assert ys.tolist() == [1] and last_source().origin == "path"


def test_idx_folder_with_both_sets_and_uncompressed(tmp_path):
    rng = np.random.default_rng(0)
    train = rng.integers(0, 256, (5, 28, 28)).astype(np.uint8)
    test = rng.integers(0, 256, (3, 28, 28)).astype(np.uint8)
    _write_idx(tmp_path / "train-images-idx3-ubyte.gz", train)
    _write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.array([0, 1, 2, 3, 4]))
    _write_idx(tmp_path / "t10k-images-idx3-ubyte", test, gz=False)
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.array([7, 8, 9]), gz=False)
    (xt, yt), (xs, ys) = load_mnist(tmp_path, verbose=False)
    np.testing.assert_array_equal(xt, train)
    np.testing.assert_array_equal(xs, test)
    assert yt.tolist() == [0, 1, 2, 3, 4] and ys.tolist() == [7, 8, 9]


def test_idx_folder_with_only_test_set_is_split_80_20(tmp_path):
    images = np.arange(10 * 28 * 28).reshape(10, 28, 28) % 256
    _write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images)
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.arange(10))
    (xt, yt), (xs, ys) = load_mnist(tmp_path, verbose=False)
    assert yt.tolist() == list(range(8)) and ys.tolist() == [8, 9]


def test_fallback_is_announced_and_has_all_classes(offline_no_mnist, capsys):
    (x_train, y_train), (x_test, y_test) = load_mnist()
    line = capsys.readouterr().out.strip()
    assert line.startswith("load_mnist: NOT MNIST") and "\n" not in line
    src = last_source()
    assert src.kind == "digits" and not src.is_mnist and src.origin == "fallback"
    assert x_train.shape[1:] == (28, 28) and x_train.dtype == np.uint8
    assert y_train.dtype == np.uint8
    assert set(np.unique(y_train)) == set(np.unique(y_test)) == set(range(10))
    assert len(x_train) + len(x_test) == 1797  # every sklearn digit, used once
    assert x_train.max() == 255 and x_train.min() == 0
    # deterministic
    (x2, _), _ = load_mnist(verbose=False)
    np.testing.assert_array_equal(x_train, x2)


def test_fallback_images_match_sklearn_digits(offline_no_mnist):
    """Oracle: sampling the 20x20 centre at the source pixel positions gives sklearn's digit."""
    from sklearn.datasets import load_digits

    (x_train, y_train), _ = load_mnist(verbose=False)
    digits = load_digits()
    assert np.all(x_train[:, :4, :] == 0) and np.all(x_train[:, 24:, :] == 0)
    centre = x_train[:, 4:24, 4:24].astype(float) / 255 * 16
    # linear zoom 8 -> 20 puts source pixel j at output position j * 19 / 7
    idx = np.round(np.arange(8) * 19 / 7).astype(int)
    small = centre[:, idx][:, :, idx]
    flat_digits = digits.images.reshape(len(digits.images), -1)
    for i in range(0, len(small), 97):
        dist = np.abs(flat_digits - small[i].ravel()).mean(axis=1)
        nearest = int(np.argmin(dist))
        assert digits.target[nearest] == y_train[i]
        assert dist[nearest] < 1.0  # on a 0..16 scale


def test_offline_does_not_call_keras_without_cache(offline_no_mnist, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def guard(name, *args, **kwargs):
        if name.startswith("keras.datasets"):
            raise AssertionError("load_mnist tried Keras' download while offline")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", guard)
    load_mnist(verbose=False)
    assert last_source().kind == "digits"


def test_keras_cache_is_used_offline_when_present(monkeypatch, tmp_path, capsys):
    """With a cache file present, Keras' own loader is called with the network blocked."""
    monkeypatch.delenv("KERASNOTES_MNIST", raising=False)
    monkeypatch.setenv("KERASNOTES_OFFLINE", "1")
    cache = tmp_path / "datasets" / "mnist.npz"
    cache.parent.mkdir()
    cache.write_bytes(b"placeholder")
    monkeypatch.setattr(_platform, "mnist_cache_file", lambda **_: cache)
    import keras

    calls = []

    def fake_load_data():
        calls.append("called")
        # inside no_network: a connection attempt must fail immediately
        with pytest.raises(OSError):
            socket.getaddrinfo("storage.googleapis.com", 443)
        x = np.zeros((2, 28, 28), np.uint8)
        return (x, np.array([1, 2])), (x[:1], np.array([3]))

    monkeypatch.setattr(keras.datasets.mnist, "load_data", fake_load_data)
    (x_train, y_train), _ = load_mnist()
    assert calls == ["called"] and last_source().origin == "keras-cache"
    assert y_train.dtype == np.uint8
    assert "Keras' cache" in capsys.readouterr().out


def test_keras_cache_file_honours_keras_home(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(b"x")
    assert _platform.mnist_cache_file() == tmp_path / "datasets" / "mnist.npz"


def test_keras_cache_failure_falls_back(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("KERASNOTES_MNIST", raising=False)
    monkeypatch.setenv("KERASNOTES_OFFLINE", "1")
    monkeypatch.setattr(_platform, "mnist_cache_file", lambda **_: tmp_path / "mnist.npz")
    import keras

    def broken():
        raise Exception("URL fetch failure on https://example/mnist.npz: None -- blocked")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", broken)
    load_mnist()
    out = capsys.readouterr().out
    assert "unavailable" in out and "NOT MNIST" in out


@pytest.mark.parametrize(
    "bad, exc, match",
    [
        (123, TypeError, "received int"),
        ("/no/such/mnist.npz", FileNotFoundError, "does not exist"),
    ],
)
def test_load_mnist_bad_path(bad, exc, match):
    with pytest.raises(exc, match=match):
        load_mnist(bad, verbose=False)


def test_load_mnist_env_missing_file(monkeypatch, tmp_path):
    monkeypatch.setenv("KERASNOTES_MNIST", str(tmp_path / "gone.npz"))
    with pytest.raises(FileNotFoundError, match="unset KERASNOTES_MNIST"):
        load_mnist(verbose=False)


def test_load_mnist_garbage_files(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not numpy at all")
    with pytest.raises(ValueError, match="garbage.npz"):
        load_mnist(garbage, verbose=False)

    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(3))
    with pytest.raises(ValueError, match=r"missing \['x_train'"):
        load_mnist(other, verbose=False)

    wrong = tmp_path / "wrong.npz"
    np.savez(
        wrong,
        x_train=np.zeros((2, 8, 8)),
        y_train=np.zeros(2),
        x_test=np.zeros((1, 8, 8)),
        y_test=np.zeros(1),
    )
    with pytest.raises(ValueError, match=r"expected \(n, 28, 28\)"):
        load_mnist(wrong, verbose=False)

    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(ValueError, match="single array"):
        load_mnist(single, verbose=False)

    good = tmp_path / "good.npz"
    x = np.zeros((50, 28, 28), np.uint8)
    np.savez(good, x_train=x, y_train=np.zeros(50), x_test=x, y_test=np.zeros(50))
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ValueError, match="truncated.npz"):
        load_mnist(truncated, verbose=False)


def test_folder_with_one_npz_loads_it(tmp_path):
    x = np.full((2, 28, 28), 9, np.uint8)
    np.savez(
        tmp_path / "digits.npz",
        x_train=x,
        y_train=np.array([1, 2]),
        x_test=x,
        y_test=np.array([3, 4]),
    )
    (xt, yt), _ = load_mnist(tmp_path, verbose=False)
    assert yt.tolist() == [1, 2] and last_source().kind == "npz"
    assert last_source().location.endswith("digits.npz")
    np.savez(tmp_path / "other.npz", a=np.zeros(1))  # two candidates, none named mnist.npz
    with pytest.raises(FileNotFoundError, match="no MNIST IDX files"):
        load_mnist(tmp_path, verbose=False)


def test_load_mnist_empty_or_broken_idx_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no MNIST IDX files"):
        load_mnist(tmp_path, verbose=False)
    _write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((2, 28, 28)))
    with pytest.raises(FileNotFoundError, match="pairs"):
        load_mnist(tmp_path, verbose=False)


def test_read_idx_rejects_bad_files(tmp_path):
    bad = tmp_path / "bad-idx1-ubyte"
    bad.write_bytes(b"\x00\x00\x0d\x01\x00\x00\x00\x01\x00")  # float IDX type 0x0d
    with pytest.raises(ValueError, match="not an unsigned-byte IDX"):
        read_idx(bad)
    short = tmp_path / "short-idx1-ubyte"
    short.write_bytes(struct.pack(">BBBBI", 0, 0, 8, 1, 10) + bytes(3))
    with pytest.raises(ValueError, match="truncated"):
        read_idx(short)
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "none")


# --- make_linear_data -------------------------------------------------------------------


def test_linear_data_equals_the_notes_code():
    """Oracle: the notes' own global-seed recipe, run in a fresh interpreter."""
    code = (
        "import numpy as np\n"
        "np.random.seed(1337)\n"
        "X = np.linspace(-1, 1, 200)\n"
        "np.random.shuffle(X)\n"
        "Y = 0.5 * X + 2 + np.random.normal(0, 0.05, (200, ))\n"
        "import sys; np.save(sys.stdout.buffer, np.stack([X, Y]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    import io

    expected = np.load(io.BytesIO(out))
    X, Y = make_linear_data()
    np.testing.assert_array_equal(X, expected[0])
    np.testing.assert_array_equal(Y, expected[1])


def test_linear_data_properties_and_no_global_state():
    np.random.seed(5)
    before = np.random.get_state()[1].copy()
    X, Y = make_linear_data(n=1000, seed=3)
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    np.testing.assert_allclose(np.sort(X), np.linspace(-1, 1, 1000))
    slope, intercept = np.polyfit(X, Y, 1)
    assert abs(slope - 0.5) < 0.02 and abs(intercept - 2) < 0.01
    assert abs((Y - 0.5 * X - 2).std() - 0.05) < 0.005


@pytest.mark.parametrize(
    "kwargs, exc", [({"n": 0}, ValueError), ({"n": 2.5}, TypeError), ({"seed": "x"}, TypeError)]
)
def test_linear_data_bad_input(kwargs, exc):
    with pytest.raises(exc, match="make_linear_data"):
        make_linear_data(**kwargs)


# --- make_image_folder ------------------------------------------------------------------


def test_image_folder_layout_and_determinism(tmp_path):
    from PIL import Image

    a = make_image_folder(tmp_path / "a", n_per_class=4, size=(32, 40), seed=7)
    b = make_image_folder(tmp_path / "b", n_per_class=4, size=(32, 40), seed=7)
    files = sorted(p.relative_to(a).as_posix() for p in a.rglob("*.png"))
    assert files == [f"{c}/{i}.png" for c in ("cat", "dog") for i in range(4)]
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes()
    with Image.open(a / "cat/0.png") as im:
        assert im.size == (40, 32) and im.mode == "RGB"
    c = make_image_folder(tmp_path / "c", n_per_class=4, size=(32, 40), seed=8)
    assert (c / "cat/0.png").read_bytes() != (a / "cat/0.png").read_bytes()


def test_image_folder_split_jpeg_and_keras_reads_it(tmp_path):
    import keras

    root = make_image_folder(
        tmp_path / "pets",
        n_per_class=8,
        classes=("cat", "dog", "fox"),
        fmt="jpg",
        split="train/validation",
    )
    assert len(list((root / "train" / "fox").glob("*.jpg"))) == 8
    assert len(list((root / "validation" / "dog").glob("*.jpg"))) == 2
    ds = keras.utils.image_dataset_from_directory(
        root / "validation", image_size=(64, 64), batch_size=32, shuffle=False, verbose=False
    )
    assert ds.class_names == ["cat", "dog", "fox"]
    _, labels = next(iter(ds))
    assert sorted(labels.numpy().tolist()) == [0, 0, 1, 1, 2, 2]


def test_image_folder_is_learnable(tmp_path):
    """A tiny linear model on per-channel means separates the classes (held-out split)."""
    from PIL import Image

    root = make_image_folder(
        tmp_path / "p", n_per_class=30, split="train/validation", n_validation_per_class=10
    )

    def features(split):
        xs, ys = [], []
        for label, name in enumerate(("cat", "dog")):
            for f in sorted((root / split / name).glob("*.png")):
                arr = np.asarray(Image.open(f), dtype=float)
                xs.append(arr.reshape(-1, 3).mean(0))
                ys.append(label)
        return np.array(xs), np.array(ys)

    from sklearn.linear_model import LogisticRegression

    x_tr, y_tr = features("train")
    x_va, y_va = features("validation")
    clf = LogisticRegression(max_iter=1000).fit(x_tr, y_tr)
    assert clf.score(x_va, y_va) >= 0.9


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"classes": "catdog"}, TypeError, "list/tuple"),
        ({"classes": ("cat",)}, ValueError, ">= 2 distinct"),
        ({"classes": ("cat", "cat")}, ValueError, ">= 2 distinct"),
        ({"n_per_class": 0}, ValueError, "n_per_class"),
        ({"size": (4, 4)}, ValueError, "size"),
        ({"fmt": "gif"}, ValueError, "fmt"),
        ({"split": "train/test"}, ValueError, "split"),
        ({"n_validation_per_class": 0, "split": "train/validation"}, ValueError, "n_validation"),
    ],
)
def test_image_folder_bad_input(tmp_path, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        make_image_folder(tmp_path / "x", **kwargs)


def test_image_folder_refuses_non_empty_root(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not an empty folder"):
        make_image_folder(tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"
    with pytest.raises(TypeError):
        make_image_folder(42)


# --- no_network, data_dir -----------------------------------------------------------------


def test_no_network_blocks_and_restores():
    originals = (socket.getaddrinfo, socket.socket.connect, socket.gethostbyname)
    with no_network():
        with pytest.raises(socket.gaierror, match="Name or service not known"):
            socket.getaddrinfo("example.com", 80)
        with pytest.raises(NetworkBlockedError):
            s = socket.socket()
            try:
                s.connect(("127.0.0.1", 9))
            finally:
                s.close()
        with pytest.raises(OSError):
            urllib.request.urlopen("http://example.com", timeout=5)
    assert (socket.getaddrinfo, socket.socket.connect, socket.gethostbyname) == originals


def test_no_network_restores_after_exception():
    original = socket.getaddrinfo
    with pytest.raises(KeyError):
        with no_network():
            raise KeyError("boom")
    assert socket.getaddrinfo is original


def test_no_network_shows_keras_real_offline_error(monkeypatch, tmp_path):
    import keras

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with no_network():
        with pytest.raises(Exception, match="URL fetch failure.*Name or service not known"):
            keras.utils.get_file(
                "mnist.npz", "https://storage.googleapis.com/x/mnist.npz", cache_dir=str(tmp_path)
            )


def test_data_dir(repo_root, monkeypatch, tmp_path):
    assert data_dir() == repo_root / "data"
    lines = (data_dir() / "fit_generate.txt").read_text().split("\n")
    assert lines[0].split() == ["1", "2", "0", "1"]  # the notes' first row
    fake = tmp_path / "site-packages" / "kerasnotes" / "data.py"
    monkeypatch.setattr(data, "__file__", str(fake))
    with pytest.raises(FileNotFoundError, match="source checkout"):
        data_dir()


def test_public_api():
    assert set(data.__all__) <= set(dir(data))
    import kerasnotes

    assert kerasnotes.load_mnist is load_mnist


# ----------------------------------------------------------------------------- issue 16


def _npz(path: Path, x: np.ndarray, y: np.ndarray) -> Path:
    np.savez(path, x_train=x, y_train=y, x_test=x, y_test=y)
    return path


def test_nan_images_are_refused_not_turned_into_zeros(tmp_path):
    x = np.zeros((2, 28, 28), dtype=np.float32)
    x[1, 3, 4] = np.nan
    path = _npz(tmp_path / "nan.npz", x, np.array([1, 2]))
    with pytest.raises(ValueError, match=r"hold 1 NaN or infinite value\(s\)") as info:
        load_mnist(path, verbose=False)
    assert "nan.npz" in str(info.value) and "x_train" in str(info.value)


def test_scaled_images_are_refused_not_turned_into_zeros(tmp_path):
    x = np.full((2, 28, 28), 0.5)
    path = _npz(tmp_path / "scaled.npz", x, np.array([1, 2]))
    with pytest.raises(ValueError, match=r"non-integer values .* np.round\(x \* 255\)"):
        load_mnist(path, verbose=False)


def test_integral_floats_still_load_exactly(tmp_path):
    x = np.arange(2 * 28 * 28).reshape(2, 28, 28) % 256
    path = _npz(tmp_path / "floats.npz", x.astype(np.float64), np.array([3.0, 9.0]))
    (x_train, y_train), _ = load_mnist(path, verbose=False)
    assert x_train.dtype == np.uint8 and np.array_equal(x_train, x)
    assert y_train.tolist() == [3, 9]


def test_string_images_are_refused(tmp_path):
    x = np.full((1, 28, 28), "7")
    path = _npz(tmp_path / "str.npz", x, np.array([1]))
    with pytest.raises(ValueError, match="have dtype <U1; expected integers 0-255"):
        load_mnist(path, verbose=False)


def test_idx_header_with_zero_dimensions_names_the_file(tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(bytes([0, 0, 8, 0]))
    with pytest.raises(ValueError, match="declares 0 dimensions") as info:
        read_idx(path)
    assert str(path) in str(info.value)
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.zeros(3, np.uint8), gz=False)
    with pytest.raises(ValueError, match="declares 0 dimensions"):
        load_mnist(tmp_path, verbose=False)  # through the folder reader too


def test_idx_shape_product_does_not_wrap(tmp_path):
    """Four dimensions of 2**32-1 overflow int64; the size check must still refuse the file."""
    path = tmp_path / "big-idx"
    path.write_bytes(bytes([0, 0, 8, 4]) + struct.pack(">4I", *[2**32 - 1] * 4))
    with pytest.raises(ValueError, match="declares shape"):
        read_idx(path)


# ----------------------------------------------------------------------------- properties

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

_DOCUMENTED = (ValueError, FileNotFoundError)


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=64), gz=st.booleans())
def test_read_idx_on_arbitrary_bytes(tmp_path_factory, raw, gz):
    folder = tmp_path_factory.mktemp("idx")
    path = folder / ("t10k-images-idx3-ubyte" + (".gz" if gz else ""))
    path.write_bytes(raw)  # not compressed even when named .gz: the reader must cope
    try:
        out = read_idx(path)
    except _DOCUMENTED:
        return
    assert out.dtype == np.uint8 and out.size == len(raw) - 4 - 4 * raw[3]


@settings(max_examples=60, deadline=None)
@given(
    header=st.tuples(st.just(0), st.just(0), st.just(8), st.integers(0, 4)),
    dims=st.lists(st.integers(0, 30), min_size=0, max_size=4),
    extra=st.integers(-3, 3),
)
def test_idx_folder_on_near_valid_headers(tmp_path_factory, header, dims, extra):
    folder = tmp_path_factory.mktemp("mnist")
    dims = dims[: header[3]]
    body_len = max(0, int(np.prod(dims)) + extra) if len(dims) == header[3] else 5
    raw = bytes(header) + struct.pack(f">{len(dims)}I", *dims) + bytes(body_len)
    (folder / "t10k-images-idx3-ubyte").write_bytes(raw)
    _write_idx(folder / "t10k-labels-idx1-ubyte", np.zeros(dims[0] if dims else 0, np.uint8))
    try:
        (x_train, y_train), (x_test, y_test) = load_mnist(folder, verbose=False)
    except _DOCUMENTED:
        return
    assert x_train.shape[1:] == (28, 28) and x_train.dtype == np.uint8
    assert len(x_train) + len(x_test) == dims[0]


@settings(max_examples=60, deadline=None)
@given(
    x=hnp.arrays(
        dtype=st.sampled_from([np.uint8, np.int64, np.float32, np.float64, np.bool_]),
        shape=st.sampled_from([(2, 28, 28), (2, 28), (0, 28, 28), (1, 28, 28)]),
    ),
    y=hnp.arrays(dtype=st.sampled_from([np.uint8, np.int32, np.float64]), shape=(2,)),
)
def test_load_mnist_on_arbitrary_npz_arrays(tmp_path_factory, x, y):
    path = _npz(tmp_path_factory.mktemp("npz") / "m.npz", x, y)
    try:
        (x_train, y_train), _ = load_mnist(path, verbose=False)
    except _DOCUMENTED:
        return
    # what loaded is exactly what was saved: no NaN became 0, no 0.5 became 0
    assert np.array_equal(x_train.astype(np.float64), x.astype(np.float64))
    assert np.array_equal(y_train.astype(np.float64), y.astype(np.float64))


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=300))
def test_load_mnist_on_arbitrary_file_bytes(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("bytes") / "m.npz"
    path.write_bytes(raw)
    with pytest.raises(_DOCUMENTED):
        load_mnist(path, verbose=False)

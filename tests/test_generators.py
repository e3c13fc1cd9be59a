"""Tests for kerasnotes.generators: the lazy file generator and the PyDataset."""

from __future__ import annotations

import builtins
import doctest
import itertools

import numpy as np
import pytest

from kerasnotes import generators
from kerasnotes.data import data_dir
from kerasnotes.generators import file_batches, read_file_arrays

NOTES_FILE = data_dir() / "fit_generate.txt"


def _oracle(path, n_features=2):
    """The notes' own reading: np.loadtxt of the whole file."""
    a = np.loadtxt(path, delimiter=" ", dtype="int")
    return a[:, :n_features].astype(np.float32), a[:, n_features:].astype(np.float32)


def test_whole_file_batches_equal_loadtxt():
    x_ref, y_ref = _oracle(NOTES_FILE)
    gen = file_batches(NOTES_FILE)
    for _ in range(3):  # endless: the same whole-file batch every time
        x, y = next(gen)
        np.testing.assert_array_equal(x, x_ref)
        np.testing.assert_array_equal(y, y_ref)
        assert x.dtype == np.float32


@pytest.mark.parametrize("batch_size", [1, 2, 4, 5, 6, 7])
def test_batches_cover_the_file_in_order(batch_size):
    x_ref, y_ref = _oracle(NOTES_FILE)
    batches = list(file_batches(NOTES_FILE, batch_size=batch_size, loop=False))
    sizes = [len(b[0]) for b in batches]
    assert all(s == batch_size for s in sizes[:-1]) and 0 < sizes[-1] <= batch_size
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x_ref)
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y_ref)


def test_loop_restarts_at_the_top():
    gen = file_batches(NOTES_FILE, batch_size=4)
    firsts = [next(gen)[0][0].tolist() for _ in range(4)]
    assert firsts == [[1, 2], [2, 4], [1, 2], [2, 4]]


def test_reads_lazily_line_by_line(tmp_path, monkeypatch):
    """The generator must not read the whole file: count the lines pulled from it."""
    big = tmp_path / "big.txt"
    big.write_text("".join(f"{i} {i + 1} 0 1\n" for i in range(10_000)))
    pulled = []
    real_open = builtins.open

    class CountingFile:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def __iter__(self):
            for line in self.f:
                pulled.append(1)
                yield line

        def read(self, *a):  # pragma: no cover - would mean "whole file at once"
            raise AssertionError("file_batches read the whole file")

    def counting_open(path, *args, **kwargs):
        f = real_open(path, *args, **kwargs)
        return CountingFile(f) if str(path) == str(big) else f

    monkeypatch.setattr(builtins, "open", counting_open)
    gen = file_batches(big, batch_size=8)
    x, _ = next(gen)
    assert x[:, 0].tolist() == list(range(8))
    assert len(pulled) <= 9  # 8 lines for the batch (plus at most one read-ahead)


def test_comments_blank_lines_commas(tmp_path):
    f = tmp_path / "d.txt"
    f.write_text("# header\n\n1,2,0,1\n  3 4 1 0  \n")
    x, y = read_file_arrays(f)
    assert x.tolist() == [[1, 2], [3, 4]] and y.tolist() == [[0, 1], [1, 0]]


def test_n_features_splits_columns(tmp_path):
    f = tmp_path / "d.txt"
    f.write_text("1 2 3 1\n4 5 6 0\n")
    x, y = next(file_batches(f, n_features=3))
    assert x.shape == (2, 3) and y.tolist() == [[1], [0]]


@pytest.mark.parametrize(
    "content, match",
    [
        ("1 2 0 1\n1 x 0 1\n", r"line 2: 'x' is not a number"),
        ("1 2 0 1\n\n1 2 0\n", r"line 3: 3 values, but the first data line has 4"),
        ("1 2\n", r"line 1: 2 values, but n_features=2 leaves no label"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path, content, match):
    f = tmp_path / "bad.txt"
    f.write_text(content)
    gen = file_batches(f)
    with pytest.raises(ValueError, match=match) as info:
        next(gen)
    assert str(f) in str(info.value)
    with pytest.raises(ValueError, match=match):
        read_file_arrays(f)


def test_malformed_line_after_first_batches_still_reported(tmp_path):
    f = tmp_path / "late.txt"
    f.write_text("1 2 0 1\n" * 4 + "1 2 0 one\n")
    gen = file_batches(f, batch_size=2)
    next(gen), next(gen)
    with pytest.raises(ValueError, match=r"late.txt, line 5: 'one'"):
        next(gen)


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("# nothing\n\n")
    with pytest.raises(ValueError, match="no data lines"):
        next(file_batches(f))


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"path": 5}, TypeError, "path must be a file path"),
        ({"path": "/no/such/file.txt"}, FileNotFoundError, "no such file"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be an int, not float"),
        ({"batch_size": True}, TypeError, "batch_size must be an int, not bool"),
        ({"n_features": 0}, ValueError, "n_features"),
    ],
)
def test_bad_arguments_fail_at_call_time(kwargs, exc, match):
    kwargs.setdefault("path", NOTES_FILE)
    with pytest.raises(exc, match=match):
        file_batches(**kwargs)  # no next(): errors must not wait for iteration


def test_folder_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="is a folder"):
        file_batches(tmp_path)


def test_file_dataset_is_a_plain_module_level_class():
    cls = generators.FileDataset
    assert cls.__module__ == "kerasnotes.generators" and cls.__qualname__ == "FileDataset"
    assert "FileDataset" in vars(generators)  # defined there, not built by a module __getattr__
    assert not hasattr(generators, "__getattr__")


# --- FileDataset ---------------------------------------------------------------------------


def test_file_dataset_is_a_pydataset_and_covers_the_file():
    import keras

    ds = generators.FileDataset(NOTES_FILE, batch_size=4, shuffle=False)
    assert isinstance(ds, keras.utils.PyDataset)
    assert len(ds) == 2
    x_ref, y_ref = _oracle(NOTES_FILE)
    np.testing.assert_array_equal(np.concatenate([ds[0][0], ds[1][0]]), x_ref)
    np.testing.assert_array_equal(np.concatenate([ds[0][1], ds[1][1]]), y_ref)
    np.testing.assert_array_equal(ds[-1][0], ds[1][0])
    with pytest.raises(IndexError, match="2 batches"):
        ds[2]


def test_file_dataset_shuffles_each_epoch_reproducibly():
    a = generators.FileDataset(NOTES_FILE, batch_size=6, seed=1)
    b = generators.FileDataset(NOTES_FILE, batch_size=6, seed=1)
    orders = []
    for _ in range(4):
        np.testing.assert_array_equal(a[0][0], b[0][0])
        orders.append(tuple(a.order))
        # every epoch is a permutation of the same rows
        x_ref, _ = _oracle(NOTES_FILE)
        assert sorted(map(tuple, a[0][0].tolist())) == sorted(map(tuple, x_ref.tolist()))
        a.on_epoch_end()
        b.on_epoch_end()
    assert len(set(orders)) > 1


def test_file_dataset_kwargs_reach_pydataset_and_fit_runs():
    import keras

    ds = generators.FileDataset(NOTES_FILE, batch_size=2, seed=0, workers=2, max_queue_size=3)
    assert ds.workers == 2 and ds.max_queue_size == 3 and ds.use_multiprocessing is False
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    # the generator form drives fit with steps_per_epoch, as fit_generator did
    history = model.fit(
        file_batches(NOTES_FILE, batch_size=3), steps_per_epoch=2, epochs=2, verbose=0
    )
    assert np.all(np.isfinite(history.history["loss"]))


def test_file_dataset_bad_input(tmp_path):
    with pytest.raises(TypeError, match="FileDataset: batch_size must be an int, not NoneType"):
        generators.FileDataset(NOTES_FILE, batch_size=None)
    with pytest.raises(FileNotFoundError):
        generators.FileDataset(tmp_path / "none.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2 0 1\n1 2 ? 1\n")
    with pytest.raises(ValueError, match="line 2"):
        generators.FileDataset(bad)


def test_file_dataset_is_picklable_for_multiprocessing():
    import pickle

    ds = generators.FileDataset(NOTES_FILE, batch_size=2, seed=0)
    clone = pickle.loads(pickle.dumps(ds))
    assert type(clone) is type(ds)
    np.testing.assert_array_equal(clone[1][0], ds[1][0])


def test_file_dataset_docstring_example_is_collected():
    """A plain class: the doctest finder (what --doctest-modules uses) sees its example."""
    names = {t.name: t for t in doctest.DocTestFinder().find(generators) if t.examples}
    assert "kerasnotes.generators.FileDataset" in names
    assert len(names["kerasnotes.generators.FileDataset"].examples) >= 3


def test_public_api():
    assert set(generators.__all__) == {"FileDataset", "file_batches", "read_file_arrays"}
    for name in generators.__all__:
        assert getattr(generators, name) is not None
    with pytest.raises(AttributeError):
        generators.NoSuchThing  # noqa: B018
    assert list(itertools.islice(file_batches(NOTES_FILE, loop=False), 5)).__len__() == 1

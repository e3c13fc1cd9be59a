"""``kerasnotes migrate --keras-version``: which Keras 2 the scanned code was written for.

The oracle for "the old default held in that release" is the Keras 2 source itself:
the 2.3.1 sdist, read with ``ast`` by the table generator's own reader (the test is
skipped without it; set ``KERASNOTES_KERAS231_SDIST`` or unpack it under /tmp/k231).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kerasnotes.migrate import scan_source
from kerasnotes.migrate.cli import main
from kerasnotes.migrate.fix import fix_source
from kerasnotes.migrate.rules.keras2_api import DEFAULT_CHANGES
from kerasnotes.migrate.target import KERAS_VERSIONS, parse_keras_version, release_for

# Our own legacy snippets: `nb_epoch=` marks them as Keras 2 code.
RNN = "from keras.layers import LSTM\nlayer = LSTM(32)\nmodel.fit(x, y, nb_epoch=3)\n"
GRU = "from keras.layers import GRU\nlayer = GRU(8)\nmodel.fit(x, y, nb_epoch=3)\n"
ADADELTA = "from keras.optimizers import Adadelta\nopt = Adadelta()\nmodel.fit(x, y, nb_epoch=3)\n"


def _rules(source: str, version: str) -> list[str]:
    return [f.rule for f in scan_source(source, keras_version=version)]


@pytest.mark.parametrize("version", ["1", "2.0", "2.1", "2.2", "2.2.4"])
def test_lstm_without_recurrent_activation_is_reported_for_keras_2_2_and_older(version):
    findings = [f for f in scan_source(RNN, keras_version=version) if f.rule == "KN802"]
    assert len(findings) == 1
    assert "hard_sigmoid" in findings[0].message


@pytest.mark.parametrize("version", ["2.3", "2.3.1"])
def test_lstm_is_not_reported_for_keras_2_3(version):
    assert "KN802" not in _rules(RNN, version)
    assert "KN403" in _rules(RNN, version)  # the nb_epoch= break is still there


def test_gru_keeps_reset_after_under_2_3_but_not_recurrent_activation():
    old = [f for f in scan_source(GRU, keras_version="2.2") if f.rule == "KN802"]
    new = [f for f in scan_source(GRU, keras_version="2.3") if f.rule == "KN802"]
    assert "recurrent_activation" in old[0].message and "reset_after" in old[0].message
    # Keras 2.3.1's GRU still had reset_after=False (Keras 3: True)
    assert len(new) == 1 and "reset_after" in new[0].message
    assert "recurrent_activation" not in new[0].message


@pytest.mark.parametrize("version", KERAS_VERSIONS)
def test_adadelta_rate_is_reported_under_every_version(version):
    findings = [f for f in scan_source(ADADELTA, keras_version=version) if f.rule == "KN801"]
    assert len(findings) == 1
    assert "1.0" in findings[0].message


def test_the_default_is_2_2_and_keeps_todays_findings():
    assert _rules(RNN, "2.2") == [f.rule for f in scan_source(RNN)]
    assert "KN802" in [f.rule for f in scan_source(RNN)]


def test_unsafe_fix_pins_the_chosen_versions_defaults():
    fixed22, _ = fix_source(GRU, unsafe=True, keras_version="2.2")
    fixed23, _ = fix_source(GRU, unsafe=True, keras_version="2.3")
    assert "recurrent_activation='hard_sigmoid'" in fixed22 and "reset_after=False" in fixed22
    assert "reset_after=False" in fixed23 and "recurrent_activation" not in fixed23
    again, _ = fix_source(fixed23, unsafe=True, keras_version="2.3")
    assert again == fixed23


@pytest.mark.parametrize("bad", ["3", "2.4", "2", "keras2", "", "2.x"])
def test_parse_refuses_a_bad_version_naming_it(bad):
    with pytest.raises(ValueError, match=r"--keras-version .*expected one of 1, 2\.0"):
        parse_keras_version(bad)
    with pytest.raises(TypeError, match="str"):
        parse_keras_version(2.3)  # type: ignore[arg-type]


def test_release_for_maps_versions_to_the_tables_read():
    assert [release_for(v) for v in KERAS_VERSIONS] == ["2.2.4"] * 4 + ["2.3.1"]
    assert parse_keras_version("1.2.2") == "1"


def test_cli_refuses_a_bad_version(tmp_path, capsys):
    script = tmp_path / "old.py"
    script.write_text(RNN)
    assert main([str(script), "--keras-version", "3.0"]) == 2
    err = capsys.readouterr().err
    assert "'3.0'" in err and "2.3" in err and "1, 2.0, 2.1, 2.2, 2.3" in err


def test_cli_passes_the_version_to_scan_and_fix(tmp_path, capsys):
    script = tmp_path / "old.py"
    script.write_text(RNN)
    assert main([str(script), "--keras-version", "2.2.4", "--select", "KN802"]) == 1
    assert "KN802" in capsys.readouterr().out
    assert main([str(script), "--keras-version", "2.3", "--select", "KN802"]) == 0
    capsys.readouterr()
    assert main([str(script), "--keras-version", "2.3", "--diff", "--unsafe-fixes"]) in (0, 1)
    assert "hard_sigmoid" not in capsys.readouterr().out
    assert main([str(script), "--diff", "--unsafe-fixes"]) in (0, 1)
    assert "recurrent_activation='hard_sigmoid'" in capsys.readouterr().out


def _sdist_231() -> Path:
    given = os.environ.get("KERASNOTES_KERAS231_SDIST")
    path = Path(given) if given else Path("/tmp/k231/Keras-2.3.1.tar.gz")
    if not path.is_file():
        pytest.skip(f"no Keras 2.3.1 sdist at {path} (pip download --no-deps keras==2.3.1)")
    return path


def _keras2_default(defaults: dict[str, object], arg: str) -> object:
    """The Keras 2 default of Keras 3's ``arg`` (2.2.4 spelled ``learning_rate`` ``lr``)."""
    from kerasnotes.migrate.build_tables import RENAMED_ARGS

    return next((v for k, v in defaults.items() if RENAMED_ARGS.get(k, k) == arg), None)


SUPPRESSED = sorted(
    key for key, change in DEFAULT_CHANGES.items() if change.versions.split() == ["2.2.4"]
)


def test_a_default_newer_than_the_version_is_still_reported():
    # plot_model's dpi= came in Keras 2.3 (96, Keras 3: 200): 2.2 code keeps today's finding
    assert DEFAULT_CHANGES[("keras.utils.plot_model", "dpi")].versions == "2.3.1"
    code = "from keras.utils import plot_model\nplot_model(m, 'm.png')\nm.fit(x, nb_epoch=1)\n"
    for version in ("2.2", "2.3"):
        messages = [
            f.message for f in scan_source(code, keras_version=version) if f.rule == "KN804"
        ]
        assert len(messages) == 1 and "dpi=" in messages[0], (version, messages)


@pytest.mark.parametrize("version", ["2.1", "2.3"])
def test_only_the_defaults_that_moved_in_2_3_are_suppressed(version):
    from kerasnotes.migrate.rules.silent import _held

    dropped = {key for key in DEFAULT_CHANGES if _held(*key, release_for(version)) is None}
    assert dropped == (set(SUPPRESSED) if version == "2.3" else set())


def test_some_defaults_are_suppressed_under_2_3():
    assert ("keras.layers.LSTM", "recurrent_activation") in SUPPRESSED
    assert ("keras.optimizers.Adadelta", "learning_rate") not in SUPPRESSED


@pytest.mark.slow
def test_every_default_suppressed_under_2_3_was_the_keras_3_value_in_2_3_1():
    from kerasnotes.migrate.build_tables import Keras2Source, _same, keras2_defaults

    source = Keras2Source(_sdist_231())
    checked = 0
    for dotted, arg in SUPPRESSED:
        change = DEFAULT_CHANGES[(dotted, arg)]
        if "2.2.4" not in change.versions.split():
            continue  # never reported for 2.2 code either
        module, _, name = dotted.removeprefix("keras.").rpartition(".")
        found = source.public(module).get(name)
        if found is None:
            continue  # gone in 2.3.1: nothing to compare
        old = _keras2_default(keras2_defaults(found[1]), arg)  # type: ignore[arg-type]
        assert old is not None and _same(old, change.keras3), (dotted, arg, old, change.keras3)
        checked += 1
    assert checked >= 4  # LSTM, LSTMCell, GRU, GRUCell recurrent_activation


@pytest.mark.slow
def test_defaults_still_reported_under_2_3_differed_in_2_3_1():
    from kerasnotes.migrate.build_tables import Keras2Source, _same, keras2_defaults

    source = Keras2Source(_sdist_231())
    for (dotted, arg), change in DEFAULT_CHANGES.items():
        if "2.3.1" not in change.versions.split():
            continue
        module, _, name = dotted.removeprefix("keras.").rpartition(".")
        node = source.public(module)[name][1]
        old = _keras2_default(keras2_defaults(node), arg)  # type: ignore[arg-type]
        assert _same(old, change.keras2_in("2.3.1")), (dotted, arg, old)
        assert not _same(old, change.keras3), (dotted, arg, old)

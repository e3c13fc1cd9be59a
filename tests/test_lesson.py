"""kerasnotes.lesson: expect_error / expect_warning must pass on the right error and fail otherwise."""

from __future__ import annotations

import time
import warnings

import pytest

from kerasnotes.course.lesson import CaughtError, expect_error, expect_warning, timed


def test_expect_error_catches_prints_and_records(capsys):
    with expect_error(KeyError, match="acc") as caught:
        {}["acc"]
    assert isinstance(caught.exception, KeyError)
    assert caught.first_line == "'acc'"
    assert capsys.readouterr().out == "KeyError: 'acc'\n"


def test_expect_error_accepts_a_subclass_and_a_tuple(capsys):
    with expect_error(LookupError):
        [][1]
    with expect_error((TypeError, ValueError)) as caught:
        int("x")
    assert type(caught.exception) is ValueError
    assert capsys.readouterr().out.splitlines()[0] == "IndexError: list index out of range"


def test_expect_error_fails_when_the_old_code_now_works():
    with pytest.raises(AssertionError, match="ran without error"):
        with expect_error(AttributeError):
            pass


def test_expect_error_fails_on_another_exception_type():
    with pytest.raises(
        AssertionError, match=r"expected AttributeError, but the code raised ValueError: bad"
    ):
        with expect_error(AttributeError):
            raise ValueError("bad")


def test_expect_error_fails_when_the_message_does_not_match():
    with pytest.raises(AssertionError, match="does not match 'units'") as info:
        with expect_error(TypeError, match="units"):
            raise TypeError("unexpected keyword argument 'nb_epoch'")
    assert "nb_epoch" in str(info.value)  # says what was received


def test_expect_error_prints_first_line_unless_full(capsys):
    with expect_error(RuntimeError):
        raise RuntimeError("line one\nline two")
    with expect_error(RuntimeError, full=True):
        raise RuntimeError("line one\nline two")
    assert capsys.readouterr().out == "RuntimeError: line one\nRuntimeError: line one\nline two\n"


@pytest.mark.parametrize("bad", ["ValueError", 3, (), (ValueError, "x"), int])
def test_expect_error_rejects_what_is_not_an_exception_class(bad):
    with pytest.raises(TypeError, match="needs an exception class"):
        with expect_error(bad):
            raise ValueError


def test_caught_error_defaults():
    assert CaughtError().first_line == ""
    assert CaughtError(None, "a\nb").first_line == "a"


def test_expect_warning_passes_and_prints(capsys):
    with expect_warning(UserWarning, match="ignored") as record:
        warnings.warn(
            "Argument `decay` is no longer supported and will be ignored.",
            UserWarning,
            stacklevel=2,
        )
    assert len(record) == 1
    assert capsys.readouterr().out.startswith("UserWarning: Argument `decay`")


def test_expect_warning_counts_subclasses():
    with expect_warning(Warning):
        warnings.warn("x", DeprecationWarning, stacklevel=2)


def test_expect_warning_fails_without_a_warning():
    with pytest.raises(AssertionError, match="the code emitted: nothing"):
        with expect_warning(UserWarning):
            pass


def test_expect_warning_fails_on_wrong_category_or_text():
    with pytest.raises(AssertionError, match="UserWarning: other"):
        with expect_warning(DeprecationWarning):
            warnings.warn("other", UserWarning, stacklevel=2)
    with pytest.raises(AssertionError, match="matching 'decay'"):
        with expect_warning(UserWarning, match="decay"):
            warnings.warn("epsilon", UserWarning, stacklevel=2)


def test_timed_measures_wall_clock():
    with timed() as t:
        time.sleep(0.05)
    assert 0.045 <= t.seconds < 1.0


def test_timed_sets_seconds_even_when_the_block_raises():
    with pytest.raises(ZeroDivisionError):
        with timed() as t:
            _ = 1 / 0
    assert t.seconds >= 0

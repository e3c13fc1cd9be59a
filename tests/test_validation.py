"""Tests for kerasnotes._validation: the one owner of argument checks."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from kerasnotes._validation import check_int, check_real, check_timeout


@pytest.mark.parametrize("value", [3, np.int8(3), np.uint64(3)])
def test_check_int_accepts_integers(value):
    assert check_int("n", value) == 3 and type(check_int("n", value)) is int


@pytest.mark.parametrize(
    "value, kind", [(True, "bool"), (3.0, "float"), ("3", "str"), (None, "NoneType")]
)
def test_check_int_refuses_other_kinds(value, kind):
    with pytest.raises(TypeError) as info:
        check_int("n", value, where="f", hint="Pass 3.")
    assert str(info.value) == f"f: n must be an int, not {kind}; received n={value!r}. Pass 3."


def test_check_int_bounds():
    assert check_int("n", 5, minimum=5, maximum=5) == 5
    with pytest.raises(ValueError, match=r"^n must be >= 6; received n=5\.$"):
        check_int("n", 5, minimum=6)
    with pytest.raises(ValueError, match=r"^g: n must be <= 4; received n=5\.$"):
        check_int("n", 5, maximum=4, where="g")


@pytest.mark.parametrize(
    "value, expected", [(0.5, 0.5), (2, 2.0), (np.float32(0.25), 0.25), (Fraction(1, 4), 0.25)]
)
def test_check_real_accepts_real_numbers(value, expected):
    result = check_real("x", value)
    assert result == expected and type(result) is float


@pytest.mark.parametrize("value", [True, np.bool_(True), "0.5", None, 1j, [0.5]])
def test_check_real_refuses_other_kinds(value):
    with pytest.raises(TypeError, match=r"x must be a real number, not \w+; received x="):
        check_real("x", value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400, -(10**400)])
def test_check_real_refuses_non_finite_and_huge(value):
    with pytest.raises(ValueError, match="x must be a finite number; received x="):
        check_real("x", value)
    if value == value and not isinstance(value, int):  # inf is fine when finite=False
        assert check_real("x", value, finite=False) == value


def test_check_real_bounds():
    with pytest.raises(ValueError, match=r"x must be > 0; received x=0\.0\."):
        check_real("x", 0.0, positive=True)
    with pytest.raises(ValueError, match=r"x must be >= 1; received x=0\.5\."):
        check_real("x", 0.5, minimum=1)
    with pytest.raises(ValueError, match=r"x must be <= 1\.0; received x=1\.5\. Use 0\.5\.$"):
        check_real("x", 1.5, maximum=1.0, hint="Use 0.5.")


@pytest.mark.parametrize("text, seconds", [("2.5", 2.5), (3, 3.0), ("1e-3", 0.001)])
def test_check_timeout_accepts(text, seconds):
    assert check_timeout(text) == seconds


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "0", "-1", -0.0])
def test_check_timeout_refuses_non_finite_and_non_positive(text):
    with pytest.raises(ValueError, match=r"--timeout expects a finite number of seconds > 0"):
        check_timeout(text)


def test_check_timeout_refuses_text_and_names_the_option():
    with pytest.raises(ValueError, match=r"^--limit expects a number of seconds, received 'soon'$"):
        check_timeout("soon", option="--limit")

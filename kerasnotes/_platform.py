"""Facts about this machine that several modules need: one owner for each.

- :func:`in_conda`: is this Python a conda environment's?
- :func:`os_id` and :func:`install_command`: the command that installs a system
  package here (conda first inside conda, else the platform's package manager);
  :func:`graphviz_install_hints` lists Graphviz's, this platform's first.
- :func:`parse_dot_version` and :func:`dot_version`: what ``dot -V`` says.
- :func:`keras_home`, :func:`keras_json_path`, :func:`keras_cache_dir` and
  :func:`mnist_cache_file`: where Keras 3 reads ``keras.json`` and where
  ``keras.utils.get_file`` caches downloads (``$KERAS_HOME``, ``~/.keras``, or
  ``/tmp/.keras`` when that folder is not writable), decided as
  ``keras/src/backend/config.py`` and ``keras/src/utils/file_utils.py`` decide it.

Standard library only: ``viz``, ``data`` and ``kerasnotes doctor`` use it without
importing Keras.

Example:
    >>> parse_dot_version("dot - graphviz version 2.43.0 (0)")
    '2.43.0'
    >>> install_command("graphviz", os_name="macos", conda=False)
    'brew install graphviz'
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "dot_version",
    "graphviz_install_hints",
    "in_conda",
    "install_command",
    "keras_cache_dir",
    "keras_home",
    "keras_json_path",
    "mnist_cache_file",
    "os_id",
    "parse_dot_version",
    "set_env_command",
    "unset_env_command",
]

_DEBIAN_LIKE = ("debian", "ubuntu", "linuxmint", "pop")
_REDHAT_LIKE = ("fedora", "rhel", "centos", "rocky", "almalinux")
_SUSE_LIKE = ("opensuse", "suse", "opensuse-leap", "opensuse-tumbleweed")


def in_conda(*, prefix: str | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether this Python belongs to a conda environment.

    True when the interpreter's prefix holds a ``conda-meta`` folder (every conda
    environment has one, activated or not), or when ``$CONDA_PREFIX`` is that very
    prefix. A virtualenv created from a conda Python is *not* conda: packages
    installed with ``conda install`` would not reach it.

    Args:
        prefix: The interpreter prefix to test (default: ``sys.prefix``).
        environ: The environment to read ``CONDA_PREFIX`` from (default: ``os.environ``).

    Returns:
        ``True`` inside a conda environment.

    Example:
        >>> import tempfile, pathlib
        >>> env = pathlib.Path(tempfile.mkdtemp())
        >>> in_conda(prefix=str(env), environ={})
        False
        >>> (env / "conda-meta").mkdir()
        >>> in_conda(prefix=str(env), environ={})
        True
    """
    prefix = sys.prefix if prefix is None else prefix
    environ = os.environ if environ is None else environ
    if (Path(prefix) / "conda-meta").is_dir():
        return True
    active = environ.get("CONDA_PREFIX")
    return active is not None and Path(active).resolve() == Path(prefix).resolve()


def os_id(*, platform: str | None = None, os_release: str | Path = "/etc/os-release") -> str:
    """``"windows"``, ``"macos"``, or the Linux distribution's ``ID`` (``debian``, ``fedora``...).

    Args:
        platform: A ``sys.platform`` value (default: this one).
        os_release: The ``os-release`` file read on Linux.

    Returns:
        The identifier; ``"linux"`` when the distribution cannot be told.

    Example:
        >>> os_id(platform="darwin")
        'macos'
        >>> os_id(platform="linux", os_release="/nonexistent")
        'linux'
    """
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "macos"
    try:
        text = Path(os_release).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "linux"
    fields = dict(
        line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#")
    )
    ids = (fields.get("ID", "") + " " + fields.get("ID_LIKE", "")).replace('"', "").split()
    return ids[0] if ids else "linux"


def install_command(
    package: str,
    *,
    os_name: str | None = None,
    conda: bool | None = None,
    root: bool | None = None,
) -> str:
    """The command that installs a system package (such as Graphviz) here.

    Inside conda, ``conda install -c conda-forge`` comes first (a system package
    would not be seen by conda's Python); otherwise the package manager of the
    platform, with ``sudo`` unless already root.

    Args:
        package: The package name (``"graphviz"``).
        os_name: An :func:`os_id` value (default: this machine's).
        conda: Whether to answer for conda (default: :func:`in_conda`).
        root: Whether the user is root (default: from ``os.geteuid``).

    Returns:
        One command line.

    Example:
        >>> install_command("graphviz", os_name="ubuntu", conda=False, root=False)
        'sudo apt-get install -y graphviz'
        >>> install_command("graphviz", os_name="ubuntu", conda=True)
        'conda install -c conda-forge graphviz'
    """
    if conda if conda is not None else in_conda():
        return f"conda install -c conda-forge {package}"
    os_name = os_id() if os_name is None else os_name
    if os_name == "windows":
        return f"winget install {package}   (or: choco install {package})"
    if os_name == "macos":
        return f"brew install {package}"
    if root is None:
        root = hasattr(os, "geteuid") and os.geteuid() == 0
    sudo = "" if root else "sudo "
    if os_name in _DEBIAN_LIKE:
        return f"{sudo}apt-get install -y {package}"
    if os_name in _REDHAT_LIKE:
        return f"{sudo}dnf install -y {package}"
    if os_name in ("arch", "manjaro"):
        return f"{sudo}pacman -S {package}"
    if os_name == "alpine":
        return f"{sudo}apk add {package}"
    if os_name in _SUSE_LIKE:
        return f"{sudo}zypper install {package}"
    return (
        f"install '{package}' with your package manager, or: conda install -c conda-forge {package}"
    )


def graphviz_install_hints(*, platform: str | None = None, conda: bool | None = None) -> list[str]:
    """How to install Graphviz, this platform's way first, then the others for reference.

    Args:
        platform: A ``sys.platform`` value (default: this one).
        conda: Whether this is a conda environment (default: :func:`in_conda`).

    Returns:
        Labelled command lines (``"macOS: brew install graphviz"``, ...), the
        first one for this machine.

    Example:
        >>> graphviz_install_hints(platform="darwin", conda=False)[0]
        'macOS: brew install graphviz'
        >>> graphviz_install_hints(platform="linux", conda=True)[0]
        'conda: conda install -c conda-forge graphviz'
    """
    platform = sys.platform if platform is None else platform
    conda = in_conda() if conda is None else conda
    hints = {
        "conda": "conda: " + install_command("graphviz", conda=True),
        "linux": "Debian/Ubuntu: sudo apt-get install graphviz   (Fedora: sudo dnf install graphviz)",
        "darwin": "macOS: " + install_command("graphviz", os_name="macos", conda=False),
        "win32": "Windows: "
        + install_command("graphviz", os_name="windows", conda=False)
        + ", then open a new terminal",
    }
    key = "win32" if platform.startswith("win") else "darwin" if platform == "darwin" else "linux"
    order = (["conda"] if conda else []) + [key]
    order += [k for k in ("linux", "darwin", "win32", "conda") if k not in order]
    return [hints[k] for k in order]


def parse_dot_version(text: str) -> str | None:
    """The version number in what ``dot -V`` prints, or ``None`` if there is none.

    Args:
        text: ``dot -V``'s output (Graphviz writes it to stderr).

    Returns:
        ``"2.43.0"`` for ``"dot - graphviz version 2.43.0 (0)"``.

    Example:
        >>> parse_dot_version("dot - graphviz version 9.0.0 (20230911.1827)")
        '9.0.0'
        >>> parse_dot_version("segmentation fault") is None
        True
    """
    match = re.search(r"version\s+(\d[\w.+~-]*)", text or "")
    return match.group(1) if match else None


def dot_version(dot: str | os.PathLike[str], *, timeout: float = 10.0) -> str | None:
    """Run ``dot -V`` and return the version it reports, or ``None`` if it did not run.

    Args:
        dot: Path of Graphviz's ``dot`` program.
        timeout: Seconds before giving up.

    Returns:
        The version (``"2.43.0"``), or ``None`` when the program failed, hung or
        printed no version.

    Example:
        >>> dot_version("/nonexistent/dot") is None
        True
    """
    try:
        proc = subprocess.run(
            [os.fspath(dot), "-V"], capture_output=True, text=True, timeout=timeout
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_dot_version(proc.stderr + "\n" + proc.stdout)


def keras_home(*, environ: Mapping[str, str] | None = None) -> Path:
    """Keras' home folder: ``$KERAS_HOME``, else ``~/.keras`` (``/tmp/.keras`` if home is read-only).

    Mirrors ``keras/src/backend/config.py``, which decides it once, at import.

    Args:
        environ: The environment to read (default: ``os.environ``).

    Returns:
        The folder (it may not exist yet).

    Example:
        >>> keras_home(environ={"KERAS_HOME": "/data/keras"}).as_posix()
        '/data/keras'
    """
    environ = os.environ if environ is None else environ
    if "KERAS_HOME" in environ:
        return Path(environ["KERAS_HOME"]).expanduser()
    home = os.path.expanduser("~")
    return Path(home if os.access(home, os.W_OK) else "/tmp") / ".keras"


def keras_json_path(*, environ: Mapping[str, str] | None = None) -> Path:
    """Where Keras reads its configuration: ``keras_home() / "keras.json"``.

    Args:
        environ: The environment to read (default: ``os.environ``).

    Returns:
        The path (the file may not exist).

    Example:
        >>> keras_json_path(environ={"KERAS_HOME": "/data/keras"}).as_posix()
        '/data/keras/keras.json'
    """
    return keras_home(environ=environ) / "keras.json"


def keras_cache_dir(*, environ: Mapping[str, str] | None = None) -> Path:
    """The folder ``keras.utils.get_file`` caches downloads in (``datasets/`` lives there).

    As ``keras/src/utils/file_utils.py``: Keras' home when it is writable, else
    ``/tmp/.keras``. A home folder that does not exist yet counts as not writable.

    Args:
        environ: The environment to read (default: ``os.environ``).

    Returns:
        The cache folder.

    Example:
        >>> keras_cache_dir(environ={"KERAS_HOME": "/nonexistent"}).as_posix()
        '/tmp/.keras'
    """
    home = keras_home(environ=environ)
    if os.access(home, os.W_OK):
        return home
    return Path("/tmp" if os.path.isdir("/tmp") else _tempdir()) / ".keras"


def _tempdir() -> str:
    import tempfile

    return tempfile.gettempdir()


def mnist_cache_file(*, environ: Mapping[str, str] | None = None) -> Path | None:
    """The ``mnist.npz`` that ``keras.datasets.mnist.load_data()`` would read, if it is there.

    Args:
        environ: The environment to read (default: ``os.environ``).

    Returns:
        ``keras_cache_dir() / "datasets" / "mnist.npz"`` when that file exists, else ``None``.

    Example:
        >>> mnist_cache_file(environ={"KERAS_HOME": "/nonexistent"}) in (
        ...     None, Path("/tmp/.keras/datasets/mnist.npz"))
        True
    """
    path = keras_cache_dir(environ=environ) / "datasets" / "mnist.npz"
    return path if path.is_file() else None


def set_env_command(name: str, value: str, *, platform: str | None = None) -> str:
    """The shell line that sets an environment variable (POSIX shells or PowerShell).

    Args:
        name: The variable.
        value: Its value.
        platform: A ``sys.platform`` value (default: this one).

    Returns:
        One line to paste into the user's shell.

    Example:
        >>> set_env_command("KERAS_BACKEND", "tensorflow", platform="linux")
        'export KERAS_BACKEND=tensorflow'
    """
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return f'$env:{name} = "{value}"   (PowerShell; cmd.exe: set {name}={value})'
    return f"export {name}={shlex.quote(value)}"


def unset_env_command(name: str, *, platform: str | None = None) -> str:
    """The shell line that removes an environment variable.

    Args:
        name: The variable.
        platform: A ``sys.platform`` value (default: this one).

    Returns:
        One line to paste into the user's shell.

    Example:
        >>> unset_env_command("KERAS_BACKEND", platform="linux")
        'unset KERAS_BACKEND'
    """
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return f"Remove-Item Env:{name}   (PowerShell; cmd.exe: set {name}=)"
    return f"unset {name}"

"""kerasnotes.course.buildfolder: which output folders a run may write into, and the lock."""

from __future__ import annotations

import json
import os

import pytest

from kerasnotes.course.buildfolder import MARKER, BuildFolder, OutputFolderError


def _marker(folder, files, pending=False):
    data = {"kind": "kerasnotes-build", "pending": pending, "files": files}
    (folder / MARKER).write_text(json.dumps(data), encoding="utf-8")


def test_new_and_empty_folders_are_fine(tmp_path):
    BuildFolder.check(tmp_path / "new" / "deeper", sources=[])
    (tmp_path / "empty").mkdir()
    BuildFolder.check(tmp_path / "empty", sources=[])


def test_a_folder_without_marker_is_someone_elses(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="not written by kerasnotes run .*'sub/page.html'"):
        BuildFolder.check(tmp_path, sources=[])


@pytest.mark.parametrize(
    "text", ["[]", "{", '{"kind": "other", "files": []}', '{"kind": "kerasnotes-build"}']
)
def test_a_marker_that_is_not_ours_does_not_make_the_folder_ours(tmp_path, text):
    (tmp_path / MARKER).write_text(text, encoding="utf-8")
    (tmp_path / "index.html").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="not written by kerasnotes run"):
        BuildFolder.check(tmp_path, sources=[])


def test_files_outside_the_manifest_are_foreign_unless_the_site_step_was_cut_short(tmp_path):
    (tmp_path / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / "extra.txt").write_text("x", encoding="utf-8")
    _marker(tmp_path, ["index.html"])
    with pytest.raises(OutputFolderError, match="1 file.*'extra.txt'"):
        BuildFolder.check(tmp_path, sources=[])
    _marker(tmp_path, ["index.html"], pending=True)
    BuildFolder.check(tmp_path, sources=[])


def test_sources_inside_or_beside_the_output_are_refused(tmp_path):
    nb = tmp_path / "lessons" / "01.ipynb"
    nb.parent.mkdir()
    nb.write_text("{}", encoding="utf-8")
    for out in (tmp_path / "lessons", tmp_path):
        with pytest.raises(OutputFolderError, match="holds the notebook"):
            BuildFolder.check(out, sources=[nb])
    BuildFolder.check(tmp_path / "lessons" / "build", sources=[nb])  # a folder below is fine


def test_a_broken_symlink_and_a_file_are_refused(tmp_path):
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputFolderError, match="broken symbolic link"):
        BuildFolder.check(tmp_path / "link", sources=[])
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="is an existing file"):
        BuildFolder.check(tmp_path / "f", sources=[])


def test_the_lock_refuses_a_second_claim_and_is_released(tmp_path):
    out = tmp_path / "build"
    with BuildFolder.claim(out, sources=[]) as first:
        first.record("a.ipynb")
        (out / "a.ipynb").write_text("{}", encoding="utf-8")
        with pytest.raises(OutputFolderError, match="in use by another kerasnotes run"):
            BuildFolder.claim(out, sources=[])
    with BuildFolder.claim(out, sources=[]) as second:
        assert second.owned() == ["a.ipynb"]
        second.forget("a.ipynb")
    assert not (out / "a.ipynb").exists() and BuildFolder.read_manifest(out) == []


def test_the_lock_is_released_when_the_holder_dies(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "build"
    code = (
        "import os, sys\nfrom kerasnotes.course.buildfolder import BuildFolder\n"
        f"BuildFolder.claim({str(out)!r}, sources=[])\nos._exit(9)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 9
    with BuildFolder.claim(out, sources=[]):
        pass
    assert sorted(os.listdir(out)) == [".kerasnotes-build.json", ".kerasnotes-build.lock"]

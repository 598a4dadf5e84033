"""File-system failures and odd files: one line naming the path, exit 2, nothing half-written.

Tests run as root in CI, where chmod cannot make a folder read-only, so a
read-only folder or a full disk is simulated by making the system call fail
(the temporary file's creation, os.replace, os.write, os.fsync) with the errno the kernel
would give; a folder in the way, /dev/full, FIFOs and links are real.
"""

from __future__ import annotations

import errno
import fcntl
import os
import resource
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import replace_once

from uai18n import textfiles
from uai18n.errors import UserError
from uai18n.textfiles import read_bytes, write_bytes_atomic, write_chunks_atomic, write_text_atomic

UA = "ua-2-19-chechnya"
SOURCE = f"source/{UA}.txt"


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` and its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _temporaries(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob(".*.tmp")]


def _assert_untouched(root: Path, before: dict[str, bytes], *, but: str = "") -> None:
    """Every file that existed (``but`` one) has its old bytes, and no
    temporary file is left."""
    for name, data in before.items():
        if name != but:
            assert (root / name).read_bytes() == data, name
    assert _temporaries(root) == []


def _assert_one_line(result: Result, line: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [f"uai18n: {line}"]


def _change_a_sentence(project: Path) -> None:
    """A new msgid: the template and every catalogue must be rewritten."""
    replace_once(project / SOURCE, "been tortured to death.", "been tortured to death. Again.")


def _change_a_verbatim_line(project: Path) -> None:
    """A line outside the catalogues: only the outputs change."""
    replace_once(project / SOURCE, "Fax: +7 495 9102134", "Fax: +7 495 9102135")


def _failing_create(code: int, when: Callable[[str], bool]) -> Callable:
    """The temporary file's creation raising OSError(code) in the folders
    ``when`` accepts (as in a read-only folder, where no file can be created)."""
    real = textfiles._make_temporary

    def make(path: Path) -> tuple[int, str]:
        folder = str(path.parent)
        if when(folder):
            raise OSError(code, os.strerror(code), folder)
        return real(path)

    return make


def _uai18n() -> list[str]:
    """The installed console script ([project.scripts] uai18n = uai18n.cli:main)."""
    script = Path(sys.executable).with_name("uai18n")
    return [str(script)] if script.exists() else [sys.executable, "-m", "uai18n.cli"]


# --- writes through the CLI ---------------------------------------------------------


def test_read_only_po_folder(project: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _change_a_sentence(project)
    before = _snapshot(project)
    po = str(project / "po")
    fake = _failing_create(errno.EROFS, lambda folder: folder.startswith(po))
    monkeypatch.setattr(textfiles, "_make_temporary", fake)
    result = cli("-C", str(project), "run")
    _assert_one_line(result, f"po/templates/{UA}.pot: cannot write: Read-only file system")
    _assert_untouched(project, before)


def test_read_only_output_folder_removes_its_temporary_file(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("-C", str(project), "run").exit_code == 0
    _change_a_verbatim_line(project)
    before = _snapshot(project)
    output = str(project / "output")
    # the temporary file is really written; only the rename fails
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        if str(target).startswith(output):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), target)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    result = cli("-C", str(project), "build", "--lang", "fr")
    _assert_one_line(result, f"output/fr/{UA}.txt: cannot write: Permission denied")
    # the record keeps the steps that did complete (extract), not the failed build
    _assert_untouched(project, before, but=".uai18n/stamps.json")


def test_full_disk_at_fsync(project: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _change_a_sentence(project)
    before = _snapshot(project)

    def no_space(handle: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    result = cli("-C", str(project), "run")
    _assert_one_line(result, f"po/templates/{UA}.pot: cannot write: No space left on device")
    _assert_untouched(project, before)


def test_only_what_would_be_lost_is_synced(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Catalogues and built documents are synced before their rename; caches
    (``.uai18n/``, the key store) and ``-o`` reports, rebuilt when lost, are not."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file is synced")
    assert cli("-C", str(project), "run").exit_code == 0
    assert cli("-C", str(project), "check").exit_code in (0, 1)
    synced: list[str] = []
    real_fsync = os.fsync

    def recording(handle: int) -> None:
        synced.append(Path(os.readlink(f"/proc/self/fd/{handle}")).name.rsplit(".", 2)[0])
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", recording)
    findings = project / ".uai18n" / "findings.json"
    checked = findings.read_bytes()
    replace_once(project / "po" / "fr" / f"{UA}.po", "droits humains", "droits de la personne")
    report = project / "report.json"
    result = cli("-C", str(project), "check", "--format", "json", "-o", str(report))
    assert result.exit_code in (0, 1), result.output
    assert report.exists() and findings.read_bytes() != checked  # both were written
    assert synced == []
    _change_a_sentence(project)
    assert cli("-C", str(project), "run").exit_code in (0, 1)  # fr, now incomplete, may fail
    assert f".{UA}.po" in synced and f".{UA}.pot" in synced
    assert ".manifest.json" in synced  # what section offices pull is an output
    assert not {".stamps.json", ".findings.json"} & set(synced)


def test_disk_filling_midway_leaves_the_old_report(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell our temporary file's descriptor")
    monkeypatch.chdir(project)
    assert cli("status", "--format", "json", "-o", "report.json").exit_code == 0
    before = _snapshot(project)
    real_write = os.write
    calls: list[int] = []

    def filling(handle: int, data) -> int:
        if not os.readlink(f"/proc/self/fd/{handle}").endswith(".tmp"):
            return real_write(handle, data)
        calls.append(len(data))
        if len(calls) == 1:  # half of it fits, then the disk is full
            return real_write(handle, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", filling)
    result = cli("status", "--format", "json", "-o", "report.json")
    _assert_one_line(result, "report.json: cannot write: No space left on device")
    assert len(calls) == 2  # the half really was written to the temporary file
    _assert_untouched(project, before)


def test_dev_full_is_a_real_full_disk(project: Path, cli) -> None:
    if not Path("/dev/full").is_char_device():
        pytest.skip("no /dev/full")
    before = _snapshot(project)
    result = cli("-C", str(project), "status", "--format", "json", "-o", "/dev/full")
    _assert_one_line(result, "/dev/full: cannot write: No space left on device")
    assert Path("/dev/full").is_char_device()
    _assert_untouched(project, before)


def test_o_into_a_missing_folder_creates_nothing(project: Path, cli, tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "dir"
    result = cli("-C", str(project), "status", "--format", "json", "-o", f"{missing}/x.json")
    _assert_one_line(result, f"{missing}/x.json: cannot write: No such file or directory")
    assert not (tmp_path / "nonexistent").exists()  # a typo in -o makes no folders


def test_o_into_a_read_only_folder(
    project: Path, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "check.json").write_text("old\n")
    fake = _failing_create(errno.EACCES, lambda folder: folder == str(reports))
    monkeypatch.setattr(textfiles, "_make_temporary", fake)
    for command in (["status", "--format", "json"], ["check", "--format", "json"]):
        result = cli("-C", str(project), *command, "-o", str(reports / "check.json"))
        _assert_one_line(result, f"{reports}/check.json: cannot write: Permission denied")
    result = cli("-C", str(project), "tm", "export", "--lang", "fr", "-o", f"{reports}/fr.tmx")
    _assert_one_line(result, f"{reports}/fr.tmx: cannot write: Permission denied")
    assert (reports / "check.json").read_text() == "old\n"
    assert sorted(p.name for p in reports.iterdir()) == ["check.json"]


def test_a_folder_standing_at_an_output_path(project: Path, cli) -> None:
    (project / "output" / "fr" / f"{UA}.html").mkdir(parents=True)
    (project / "output" / "fr" / f"{UA}.html" / "keep").write_text("mine\n")
    before = _snapshot(project)
    result = cli("-C", str(project), "build", "--lang", "fr")
    _assert_one_line(result, f"output/fr/{UA}.html: cannot write: a folder is in the way")
    _assert_untouched(project, before)


def test_a_file_standing_where_a_folder_goes(project: Path, cli) -> None:
    (project / "output").write_text("not a folder\n")
    before = _snapshot(project)
    result = cli("-C", str(project), "build", "--lang", "fr")
    _assert_one_line(result, f"output/fr/{UA}.txt: cannot create folder output/fr: Not a directory")
    _assert_untouched(project, before)


def test_stamps_folder_cannot_be_made(project: Path, cli) -> None:
    (project / ".uai18n").write_text("in the way\n")
    before = _snapshot(project)
    result = cli("-C", str(project), "run")
    _assert_one_line(result, ".uai18n/stamps.json: cannot create folder .uai18n: File exists")
    _assert_untouched(project, before)


def test_read_only_stamps_folder(project: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("-C", str(project), "run").exit_code == 0
    stamps = project / ".uai18n" / "stamps.json"
    old = stamps.read_bytes()
    _change_a_verbatim_line(project)
    folder = str(project / ".uai18n")
    fake = _failing_create(errno.EROFS, lambda where: where == folder)
    monkeypatch.setattr(textfiles, "_make_temporary", fake)
    result = cli("-C", str(project), "run")
    _assert_one_line(result, ".uai18n/stamps.json: cannot write: Read-only file system")
    assert stamps.read_bytes() == old
    assert _temporaries(project) == []


def test_a_failure_and_then_the_stamps_failing_too_is_still_one_line(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole project read-only: the first failure is reported, not a second."""
    assert cli("-C", str(project), "run").exit_code == 0
    _change_a_sentence(project)
    before = _snapshot(project)
    root = str(project)
    fake = _failing_create(errno.EROFS, lambda folder: folder.startswith(root))
    monkeypatch.setattr(textfiles, "_make_temporary", fake)
    result = cli("-C", str(project), "run")
    _assert_one_line(result, f"po/templates/{UA}.pot: cannot write: Read-only file system")
    _assert_untouched(project, before)


# --- leftovers of a killed write ----------------------------------------------------


def test_leftover_of_a_killed_write_is_removed_when_the_target_is_written(
    tmp_path: Path,
) -> None:
    target = tmp_path / "report.json"
    program = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from uai18n.textfiles import write_chunks_atomic

        def chunks():
            yield "{"
            print("writing", flush=True)
            time.sleep(600)

        write_chunks_atomic(Path(sys.argv[1]), chunks())
        """
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", program, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        # a live writer's temporary file is never taken for a leftover
        write_text_atomic(tmp_path / "other.json", "{}\n")
        write_text_atomic(target, "{}\n")
        assert len(list(tmp_path.glob(".report.json.*.tmp"))) == 1
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    (leftover,) = tmp_path.glob(".report.json.*.tmp")
    not_ours = [
        ".other.json.abcd1234.tmp",  # another target's: cleaned when that one is written
        ".report.json.tmp",  # not our naming (no random part)
        ".report.json.abc.tmp",
        "report.json.abcd1234.tmp",  # not hidden
        ".report.json.abcd1234.tmp.bak",
    ]
    for name in not_ours:
        (tmp_path / name).write_text("someone's\n")
    assert write_text_atomic(target, '{"new": 1}\n')
    assert not leftover.exists()
    assert target.read_text() == '{"new": 1}\n'
    for name in not_ours:
        assert (tmp_path / name).read_text() == "someone's\n", name


def test_a_locked_leftover_is_kept_until_its_writer_is_gone(tmp_path: Path) -> None:
    target = tmp_path / "a.po"
    leftover = tmp_path / ".a.po.zz9_zz9z.tmp"
    leftover.write_text("being written\n")
    with leftover.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        write_text_atomic(target, "one\n")
        assert leftover.exists()
    write_text_atomic(target, "two\n")  # the lock is gone with its holder
    assert not leftover.exists()


def test_run_cleans_leftovers_beside_its_catalogues(project: Path, cli) -> None:
    leftover = project / "po" / "fr" / f".{UA}.po.k3x_9q2a.tmp"
    leftover.write_text("partial")
    other = project / "po" / "fr" / "notes.tmp"
    other.write_text("mine")
    assert cli("-C", str(project), "run").exit_code == 0
    assert not leftover.exists() and other.read_text() == "mine"


def test_cleaning_never_follows_a_link(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.write_text("keep\n")
    (tmp_path / ".a.txt.abcd1234.tmp").symlink_to(precious)
    write_text_atomic(tmp_path / "a.txt", "x\n")
    assert precious.read_text() == "keep\n"
    assert (tmp_path / ".a.txt.abcd1234.tmp").is_symlink()


# --- what source/ accepts -------------------------------------------------------------


@pytest.mark.parametrize("outside", ["/etc/passwd", "/dev/zero", "ELSEWHERE"])
def test_a_link_out_of_the_project_is_refused(project: Path, tmp_path: Path, outside: str) -> None:
    """In a subprocess with 2 GiB of address space: reading /dev/zero ends
    in MemoryError there, not in the test runner being killed."""
    if outside == "ELSEWHERE":  # a plain UA, but not the project's
        outside = str(tmp_path / "elsewhere.txt")
        Path(outside).write_bytes((project / SOURCE).read_bytes())
    if not Path(outside).exists():
        pytest.skip(f"no {outside}")
    (project / "source" / "x.txt").symlink_to(outside)
    before = _snapshot(project)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "uai18n.cli", "-C", str(project), "run"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_memory,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"uai18n: source/x.txt: links to {outside}, outside the project: "
        "only files inside it are read\n"
    )
    _assert_untouched(project, before)
    assert not (project / "po" / "templates" / "x.pot").exists()


def test_a_link_to_a_file_inside_the_project_is_read(project: Path, cli) -> None:
    (project / "drafts").mkdir()
    (project / "drafts" / "second.txt").write_bytes((project / SOURCE).read_bytes())
    (project / "source" / "second.txt").symlink_to("../drafts/second.txt")
    result = cli("-C", str(project), "extract")
    assert result.exit_code == 0, result.output
    assert (project / "po" / "templates" / "second.pot").exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to("nowhere.txt"), "a symbolic link to nothing"),
        (lambda p: p.symlink_to(p.name), "a symbolic link loop"),
    ],
)
def test_broken_links_are_refused(project: Path, cli, make: Callable, message: str) -> None:
    make(project / "source" / "x.txt")
    before = _snapshot(project)
    _assert_one_line(cli("-C", str(project), "run"), f"source/x.txt: {message}")
    _assert_untouched(project, before)


def test_a_fifo_in_source_is_refused_not_waited_for(project: Path) -> None:
    """Through the installed command: one line, no traceback, and no hang."""
    os.mkfifo(project / "source" / "x.txt")
    before = _snapshot(project)
    done = subprocess.run(
        [*_uai18n(), "-C", str(project), "run"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr == "uai18n: source/x.txt: a FIFO, not a regular file: cannot be a source\n"
    assert "Traceback" not in done.stdout + done.stderr
    _assert_untouched(project, before)


def test_a_fifo_for_a_catalogue_is_refused_not_waited_for(project: Path) -> None:
    po = project / "po" / "fr" / f"{UA}.po"
    po.unlink()
    os.mkfifo(po)
    done = subprocess.run(
        [sys.executable, "-m", "uai18n.cli", "-C", str(project), "status", "--lang", "fr"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr == (f"uai18n: po/fr/{UA}.po: cannot read: a FIFO, not a regular file\n")
    assert po.is_fifo()


def test_full_disk_through_the_installed_command(project: Path) -> None:
    if not Path("/dev/full").is_char_device():
        pytest.skip("no /dev/full")
    done = subprocess.run(
        [*_uai18n(), "-C", str(project), "check", "--format", "junit", "-o", "/dev/full"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr == "uai18n: /dev/full: cannot write: No space left on device\n"


@pytest.mark.parametrize("other", [f"{UA}.html", f"{UA}.htm", "UA-2-19-Chechnya.docx"])
def test_two_sources_with_one_name_are_refused(project: Path, cli, other: str) -> None:
    (project / "source" / other).write_bytes(b"<p>whatever</p>\n")
    before = _snapshot(project)
    result = cli("-C", str(project), "run")
    first, second = sorted([other, f"{UA}.txt"])
    _assert_one_line(
        result,
        f"source/{second}: same document name as source/{first}: both would be "
        f"po/<lang>/{Path(second).stem}.po; rename one",
    )
    _assert_untouched(project, before)


def test_a_huge_source_is_refused_before_it_is_read(project: Path, cli) -> None:
    huge = project / "source" / "huge.txt"
    with huge.open("wb") as stream:
        stream.truncate(20 * 2**20 + 1)  # sparse: costs no disk
    before = _snapshot(project)
    result = cli("-C", str(project), "run")
    _assert_one_line(result, "source/huge.txt: too large: a source file may be at most 20 MiB")
    _assert_untouched(project, before)


# --- the functions themselves --------------------------------------------------------


def test_read_bytes_limit_and_file_kinds(tmp_path: Path) -> None:
    ten = tmp_path / "ten"
    ten.write_bytes(b"0123456789")
    assert read_bytes(ten, "ten", limit=10) == b"0123456789"
    with pytest.raises(UserError, match=r"^eleven: too large: a file may be at most 10 bytes$"):
        ten.write_bytes(b"0123456789A")
        read_bytes(ten, "eleven", limit=10)
    with pytest.raises(UserError, match=r"^folder: cannot read: a folder, not a regular file$"):
        read_bytes(tmp_path, "folder")
    with pytest.raises(UserError, match=r"^gone: cannot read: No such file or directory$"):
        read_bytes(tmp_path / "gone", "gone")


def test_write_functions_name_the_project_relative_path(project: Path) -> None:
    """A caller that passes no name still gets the path as the user knows it."""
    (project / "po" / "fr" / "x.po").mkdir()
    with pytest.raises(UserError, match=r"^po/fr/x\.po: cannot write: a folder is in the way$"):
        write_bytes_atomic(project / "po" / "fr" / "x.po", b"")
    with pytest.raises(UserError, match=r"^shown: cannot write: a folder is in the way$"):
        write_chunks_atomic(project / "po" / "fr" / "x.po", ["a"], display="shown")


def test_an_error_from_the_producer_passes_through_and_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old\n")

    def chunks():
        yield "partial"
        raise UserError("bad catalogue", "po/fr/x.po", 3)

    with pytest.raises(UserError, match=r"^po/fr/x\.po:3: bad catalogue$"):
        write_chunks_atomic(target, chunks())
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_a_large_stream_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "big.txt"
    chunks = [f"{n:09d}\n" for n in range(300_000)]  # 3 MB: several blocks
    write_chunks_atomic(target, iter(chunks))
    assert target.read_text() == "".join(chunks)
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_temporary_files_are_made_as_mkstemp_makes_them(tmp_path: Path) -> None:
    """Ours, hidden, named for their target, private, never inherited, never
    an existing file: the cleaner's pattern knows them and no one else's."""
    target = tmp_path / "report.json"
    made = [textfiles._make_temporary(target) for _ in range(50)]
    try:
        names = {Path(name).name for _, name in made}
        assert len(names) == 50
        for name in names:
            match = textfiles._TEMPORARY.fullmatch(name)
            assert match is not None and match["target"] == "report.json"
        handle, name = made[0]
        assert os.stat(name).st_mode & 0o777 == 0o600
        assert not os.get_inheritable(handle)
    finally:
        for handle, _ in made:
            os.close(handle)

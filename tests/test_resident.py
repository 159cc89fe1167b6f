"""speclintd: the speclint command served by a resident process (speclint/resident.py).

Every test that starts a server gives it a folder of its own (SPECLINT_RESIDENT_DIR) and stops
it at the end. What a caller prints and its exit status must be speclint's, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from speclint import resident

pytestmark = pytest.mark.skipif(not resident._supported(),
                                reason="speclintd needs fork and Unix sockets (POSIX)")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _script(name: str) -> str:
    script = Path(sys.executable).with_name(name)
    assert script.is_file(), f"the {name} console script is not installed next to python"
    return str(script)


@pytest.fixture
def resident_env() -> Iterator[dict[str, str]]:
    """A short folder of its own (socket paths are limited to ~104 bytes), removed after."""
    where = tempfile.mkdtemp(prefix="sld-", dir="/tmp")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SPECLINT_", "NO_COLOR", "FORCE_COLOR"))}
    env.update(SPECLINT_RESIDENT_DIR=where, SPECLINT_RESIDENT_IDLE="120")
    try:
        yield env
    finally:
        subprocess.run([_script("speclintd"), "stop"], env=env, capture_output=True,
                       timeout=30)
        shutil.rmtree(where, ignore_errors=True)


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "specs", ignore=shutil.ignore_patterns("expected"))
    return tmp_path / "specs"


def _run(name: str, args: list[str], env: dict[str, str], cwd: Path,
         stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
    done = subprocess.run([_script(name), *args], env=env, cwd=cwd, input=stdin,
                          capture_output=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def _sockets(env: dict[str, str]) -> list[str]:
    return sorted(p for p in os.listdir(env["SPECLINT_RESIDENT_DIR"]) if p.endswith(".sock"))


def _wait_until(condition: Callable[[], object], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


CASES = {
    "text": ["check", "--no-cache", "."],
    "json": ["check", "--no-cache", "--format", "json", "refunds-api.md", "bad-quality.md"],
    "sarif": ["check", "--no-cache", "--format", "sarif", "search-missing.md"],
    "statistics": ["check", "--no-cache", "--statistics", "--jobs", "2", "."],
    "cache on": ["check", "notifications-placeholders.md"],
    "rules": ["rules"],
    "version": ["--version"],
    "bad option": ["check", "--no-such-option"],
    "missing file": ["check", "nowhere.md"],
    "no arguments": [],
}


def test_same_bytes_and_status_as_speclint(resident_env: dict[str, str], specs: Path) -> None:
    for label, args in CASES.items():
        plain = _run("speclint", args, resident_env, specs)
        served = _run("speclintd", args, resident_env, specs)
        assert served == plain, label
    assert len(_sockets(resident_env)) == 1, "every call went to one server"


def test_the_caller_imports_neither_click_nor_mistune(resident_env: dict[str, str],
                                                      specs: Path) -> None:
    """The point of speclintd: the caller's start-up is Python's and little more."""
    _run("speclintd", ["--version"], resident_env, specs)  # the server is started
    env = {**resident_env, "PYTHONPROFILEIMPORTTIME": "1"}
    status, out, err = _run("speclintd", ["check", "--no-cache", "refunds-api.md"], env, specs)
    assert (status, out) == _run("speclint", ["check", "--no-cache", "refunds-api.md"],
                                 resident_env, specs)[:2]
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in err.decode().splitlines() if line.startswith("import time:")}
    assert "speclint" in imported  # the probe sees the caller's imports
    assert not imported & {"click", "mistune", "yaml", "jsonschema", "re2"}, imported


def test_stdin_working_directory_and_environment_are_the_callers(
        resident_env: dict[str, str], specs: Path) -> None:
    (specs / ".speclint.yaml").write_text("profile: minimal\n", encoding="utf-8")
    sub = specs / "sub"
    sub.mkdir()
    (sub / "one.md").write_bytes((specs / "bad-quality.md").read_bytes())
    stdin = (specs / "search-missing.md").read_bytes()
    runs = [
        (["check", "--no-cache", "one.md"], resident_env, sub, None),  # config of the parent
        (["check", "--no-cache", "-", "--stdin-filename", "x.md"], resident_env, specs, stdin),
        (["check", "--no-cache", "--profile", "technical", "one.md"],
         {**resident_env, "FORCE_COLOR": "1"}, sub, None),
        (["check", "--no-cache", "--format", "github", "one.md"],
         {**resident_env, "GITHUB_STEP_SUMMARY": str(specs / "summary.md")}, sub, None),
    ]
    for args, env, cwd, data in runs:
        plain = _run("speclint", args, env, cwd, data)
        served = _run("speclintd", args, env, cwd, data)
        assert served == plain, (args, cwd)
    assert b"0 errors" in _run("speclintd", runs[0][0], resident_env, sub)[1]  # minimal
    assert b"\x1b[" in _run("speclintd", runs[2][0], runs[2][1], sub)[1]  # FORCE_COLOR seen
    assert (specs / "summary.md").read_text(encoding="utf-8").count("speclint") >= 2


def test_concurrent_first_calls_start_one_server(resident_env: dict[str, str],
                                                 specs: Path) -> None:
    args = ["check", "--no-cache", "--format", "json", "events-pipeline.md"]
    expected = _run("speclint", args, resident_env, specs)
    results: list[tuple[int, bytes, bytes]] = []
    threads = [threading.Thread(target=lambda: results.append(
        _run("speclintd", args, resident_env, specs))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4
    assert len(_sockets(resident_env)) == 1


def test_status_and_stop(resident_env: dict[str, str], specs: Path) -> None:
    status, out, _ = _run("speclintd", ["status"], resident_env, specs)
    assert (status, out.decode().startswith("speclintd: no server running")) == (0, True)
    _run("speclintd", ["--version"], resident_env, specs)
    [name] = _sockets(resident_env)
    status, out, _ = _run("speclintd", ["status"], resident_env, specs)
    assert status == 0 and "running (pid " in out.decode() and name in out.decode()
    status, out, _ = _run("speclintd", ["stop"], resident_env, specs)
    assert status == 0 and out.decode().startswith("speclintd: stopped: ")
    assert _wait_until(lambda: not _sockets(resident_env)), "the stopped server left its socket"


def test_an_idle_server_exits(resident_env: dict[str, str], specs: Path) -> None:
    env = {**resident_env, "SPECLINT_RESIDENT_IDLE": "1"}
    assert _run("speclintd", ["--version"], env, specs)[0] == 0
    assert _sockets(env)
    assert _wait_until(lambda: not _sockets(env)), "the idle server did not exit"


def test_a_folder_open_to_others_is_not_used(resident_env: dict[str, str], specs: Path) -> None:
    where = resident_env["SPECLINT_RESIDENT_DIR"]
    os.chmod(where, 0o755)
    args = ["check", "--no-cache", "refunds-api.md"]
    assert _run("speclintd", args, resident_env, specs) == _run("speclint", args, resident_env,
                                                                 specs)
    assert not _sockets(resident_env), "no server in a folder other users can write to"
    out = _run("speclintd", ["status"], resident_env, specs)[1].decode()
    assert "is open to other users (mode 755; 700 needed)" in out


def test_what_cannot_be_served_runs_in_process(resident_env: dict[str, str],
                                               specs: Path, tmp_path: Path) -> None:
    """A closed standard stream, or a socket path too long for AF_UNIX: speclint runs in the
    caller's process (same bytes), and no server is started."""
    args = ["check", "--no-cache", "refunds-api.md"]
    expected = _run("speclint", args, resident_env, specs)
    closed = subprocess.run([_script("speclintd"), *args], env=resident_env, cwd=specs,
                            capture_output=True, timeout=120,
                            preexec_fn=lambda: os.close(0))  # noqa: PLW1509 - test only
    assert (closed.returncode, closed.stdout, closed.stderr) == expected
    assert not _sockets(resident_env)
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    long_env = {**resident_env, "SPECLINT_RESIDENT_DIR": str(deep)}
    assert _run("speclintd", args, long_env, specs) == expected
    assert not [p for p in os.listdir(deep) if p.endswith(".sock")]


def test_a_caller_of_another_installation_is_refused(resident_env: dict[str, str],
                                                     specs: Path) -> None:
    _run("speclintd", ["--version"], resident_env, specs)
    [name] = _sockets(resident_env)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(os.path.join(resident_env["SPECLINT_RESIDENT_DIR"], name))
        conn.settimeout(20)
        request = resident._request("run", "another installation", ["--version"],
                                    ["utf-8", "strict"] * 3)
        socket.send_fds(conn, [request], [0, 1, 2])
        assert conn.recv(4096) == b"refused\n"


# -- the caller's side of the protocol, without a server --------------------------------------

@pytest.mark.parametrize(("answer", "status", "message"), [
    (b"pid 1\nexit 3\n", 3, ""),
    (b"pid 1\nex", 2, "the resident process ended without an exit status"),
    (b"refused\n", None, ""),
    (b"", None, ""),
])
def test_what_the_caller_makes_of_an_answer(answer: bytes, status: int | None, message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(answer)
        theirs.close()
        assert resident._await_exit(ours) == status
    err = capsys.readouterr().err
    assert message in err if message else err == ""


def test_identity_follows_the_code_and_the_installed_packages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "src" / "speclint"  # the repository's layout: rules/ at the top
    (package / "__pycache__").mkdir(parents=True)
    (package / "__init__.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    import speclint

    monkeypatch.setattr(speclint, "__file__", str(package / "__init__.py"))
    first = resident.identity([str(site)])
    (package / "__pycache__" / "x.pyc").write_bytes(b"bytecode")
    assert resident.identity([str(site)]) == first, "bytecode caches do not count"
    (tmp_path / "rules" / "a.yaml").write_text("a: 22\n", encoding="utf-8")
    second = resident.identity([str(site)])
    assert second != first, "a changed rule file"
    (package / "__init__.py").write_text("x = 22\n", encoding="utf-8")
    assert resident.identity([str(site)]) != second, "changed code"
    second = resident.identity([str(site)])
    os.utime(site, ns=(1, 1))
    assert resident.identity([str(site)]) != second, "a package installed into site"
    assert resident.identity([str(site), str(tmp_path)]) != second, "another search path"
    assert "\0" not in first  # requests are NUL-separated


def test_unsafe_folders(tmp_path: Path) -> None:
    assert resident.unsafe_reason(str(tmp_path / "new")) is None
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert "cannot create" in (resident.unsafe_reason(str(tmp_path / "file")) or "")
    (tmp_path / "link").symlink_to(tmp_path / "new")
    assert "is not a folder" in (resident.unsafe_reason(str(tmp_path / "link")) or "")


def test_the_warm_up_depends_on_no_caller() -> None:
    """What the children share is the caller-independent part only: no plugin loaded (a
    plugin is trusted or refused by the caller's working tree), no configuration found, no
    cache secret read, no git asked."""
    probe = ("from speclint import checks, discover, resident, seal; resident.warm(); "
             "print(checks.load_plugin_checks.cache_info().currsize, "
             "discover._repository_root_of.cache_info().currsize, "
             "seal._secret.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=tempfile.gettempdir(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "0", "0"]


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_ctrl_c_reaches_the_child(resident_env: dict[str, str], specs: Path) -> None:
    """The caller passes SIGINT on: the child (waiting for stdin here, which stays open) says
    'interrupted' and exits 130, as speclint does."""
    import signal

    _run("speclintd", ["--version"], resident_env, specs)
    status = _run("speclintd", ["status"], resident_env, specs)[1].decode()
    server = int(status.split("(pid ")[1].split(")")[0])
    caller = subprocess.Popen([_script("speclintd"), "check", "-"], env=resident_env,
                              cwd=specs, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    try:
        assert _wait_until(lambda: _children(server)), "no child was forked"
        [child] = _children(server)
        caller.send_signal(signal.SIGINT)
        # stdin stays open until the caller is done: communicate() would close it at once,
        # and a child that read the end of its input before the signal came would lint it
        caller.wait(timeout=60)
        assert caller.stdout and caller.stderr
        out, err = caller.stdout.read(), caller.stderr.read()
        assert (caller.returncode, out, err) == (130, b"", b"speclint: interrupted\n")
        assert _wait_until(lambda: not Path(f"/proc/{child}").exists()), "the child lives on"
    finally:
        caller.kill()
        if caller.stdin:
            caller.stdin.close()


def test_without_fork_or_unix_sockets_nothing_is_served(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Windows, say: speclintd is speclint in its own process, and stop/status say so."""
    monkeypatch.setattr(resident, "_supported", lambda: False)
    assert resident.served(["--version"]) is None
    assert resident._manage("status") == 0
    assert "no resident process on this platform" in capsys.readouterr().out

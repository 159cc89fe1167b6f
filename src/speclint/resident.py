"""``speclintd``: the ``speclint`` command served by a resident process (the pre-commit case).

Starting Python and importing click, mistune and speclint costs several times what linting one
small spec does. ``speclintd ARGS`` is ``speclint ARGS`` with that start-up paid once: the first
call starts a server that imports everything, compiles the built-in vocabulary and waits on a
Unix socket. Each call hands over its working directory, environment, umask, arguments and its
own stdin, stdout and stderr (the descriptors themselves); the server forks a child that runs
the speclint command as a fresh process would, writing straight to the caller's terminal or
pipe, and the exit status comes back over the socket.

- Same bytes, same exit status as ``speclint``: every child is a fork of a server that has
  linted nothing but the built-in technical template and holds nothing that depends on a caller
  (``warm``); the child takes on the caller's directory, environment and stream encodings.
- The same user only: the socket lives in a folder of the user's own (mode 0700, checked on
  every call) and on Linux the peer's uid is checked as well. AF_UNIX only: nothing listens on
  a network.
- Never stale: the socket's name is a checksum of the identity of the installation (the
  interpreter, ``sys.path``, the size and time of every file of the package and of the folders
  on ``sys.path``, which change when a package is installed); a server serves only a caller of
  the same identity, and the caller's ``sys.path`` is the server's.
- After ``SPECLINT_RESIDENT_IDLE`` seconds without a call (default 900) the server exits.
  ``speclintd stop`` stops this user's servers; ``speclintd status`` lists them.
- Where this cannot work (no ``fork`` or no Unix sockets, a folder that is not the user's own,
  a stream that is closed) the command runs in this process, like ``speclint``.

The caller imports little (no click, no mistune): that is the point of it.
"""

import os
import socket
import sys
import zlib

PROTOCOL = b"speclintd 1"
IDLE_SECONDS = 900
START_SECONDS = 10.0
MAX_SOCKET_PATH = 100  # sun_path holds 104-108 bytes
MAX_REQUEST = 16 << 20
_STREAMS = ("stdin", "stdout", "stderr")
_kept: list[object] = []  # the server's own streams: never closed by the garbage collector


# -- where, and who ---------------------------------------------------------------------------

def folder() -> str:
    """``$SPECLINT_RESIDENT_DIR``, else ``$XDG_RUNTIME_DIR/speclint``, else
    ``speclint-<uid>`` in ``$TMPDIR`` or ``/tmp``."""
    chosen = os.environ.get("SPECLINT_RESIDENT_DIR")
    if chosen:
        return chosen
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return os.path.join(runtime, "speclint")
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", f"speclint-{os.getuid()}")


def unsafe_reason(path: str) -> str | None:
    """Why ``path`` may not hold the sockets (created mode 0700 if missing), or None."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot create {path}: {exc.strerror}"
    if not os.path.isdir(path) or os.path.islink(path):
        return f"{path} is not a folder"
    if info.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if info.st_mode & 0o077:
        return f"{path} is open to other users (mode {info.st_mode & 0o777:o}; 700 needed)"
    return None


def _files_of(top: str) -> list[str]:
    """Size and time of every file under ``top`` (bytecode caches left out)."""
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            try:
                info = os.stat(os.path.join(root, name))
            except OSError:
                continue
            found.append(f"{os.path.relpath(os.path.join(root, name), top)}:{info.st_size}:"
                         f"{info.st_mtime_ns}")
    return found


def _stamp(path: str) -> str:
    try:
        return f"{path}:{os.stat(path).st_mtime_ns}"
    except OSError:
        return f"{path}:-"


def identity(search_path: list[str]) -> str:
    """What a server must share with its caller: interpreter, flags, search path, code."""
    import speclint

    package = os.path.dirname(os.path.abspath(speclint.__file__))
    rules = speclint.rules_folder()  # in the package (a wheel), or at the repository root
    outside = [] if rules.startswith(package + os.sep) else _files_of(rules)
    parts = [PROTOCOL.decode(), speclint.__version__, sys.executable, sys.version,
             repr(sys.flags), *search_path, *map(_stamp, search_path),
             *_files_of(package), *outside]
    return "\n".join(parts)  # no NUL: the request is NUL-separated


def socket_path(where: str, ident: str) -> str:
    return os.path.join(where, f"{zlib.crc32(ident.encode('utf-8', 'surrogateescape')):08x}.sock")


def _supported() -> bool:
    return (hasattr(os, "fork") and hasattr(socket, "AF_UNIX")
            and hasattr(socket, "send_fds") and sys.platform != "win32")


# -- the request ------------------------------------------------------------------------------

def _encodings() -> list[str] | None:
    """Encoding and error handler of each standard stream, or None when one is closed."""
    found = []
    for name in _STREAMS:
        stream = getattr(sys, name)
        try:
            stream.fileno()
        except (AttributeError, OSError, ValueError):
            return None
        found += [stream.encoding, stream.errors]
    return found


def _request(kind: str, ident: str, args: list[str], encodings: list[str]) -> bytes:
    umask = os.umask(0)
    os.umask(umask)
    fields = [kind, ident, os.getcwd(), str(umask), *encodings, str(len(args)), *args,
              *(f"{key}={value}" for key, value in os.environ.items())]
    body = b"\0".join(os.fsencode(field) for field in fields)
    return PROTOCOL + b" " + str(len(body)).encode() + b"\n" + body


def _parse_request(data: bytes) -> dict[str, object]:
    fields = [os.fsdecode(field) for field in data.split(b"\0")]
    count = int(fields[10])
    env = {}
    for entry in fields[11 + count:]:
        key, _, value = entry.partition("=")
        env[key] = value
    return {"kind": fields[0], "identity": fields[1], "cwd": fields[2], "umask": int(fields[3]),
            "encodings": fields[4:10], "args": fields[11:11 + count], "env": env}


def _read_request(conn: socket.socket) -> tuple[bytes, list[int]]:
    """The request body and the descriptors that came with it."""
    data, fds, _flags, _address = socket.recv_fds(conn, 65536, 3)
    header, newline, rest = data.partition(b"\n")
    name, _, size = header.rpartition(b" ")
    if not newline or name != PROTOCOL or not size.isdigit() or int(size) > MAX_REQUEST:
        raise ValueError("not a speclintd request")
    chunks, have = [rest], len(rest)
    while have < int(size):
        chunk = conn.recv(min(1 << 20, int(size) - have))
        if not chunk:
            raise ValueError("request cut short")
        chunks.append(chunk)
        have += len(chunk)
    return b"".join(chunks), list(fds)


# -- the caller -------------------------------------------------------------------------------

def _connect(path: str) -> socket.socket | None:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        return None
    return conn


def _start(path: str, where: str) -> socket.socket | None:
    """Start a server for ``path`` (one caller at a time) and connect to it."""
    import fcntl
    import subprocess
    import time

    with open(os.path.join(where, "start.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        conn = _connect(path)  # started by another caller meanwhile
        if conn is not None:
            return conn
        boot = ("import sys; sys.path[:] = sys.argv[2:]; "
                "from speclint.resident import serve; serve(sys.argv[1])")
        server = subprocess.Popen([sys.executable, "-c", boot, path, *sys.path], cwd=where,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            conn = _connect(path)
            if conn is not None:
                return conn
            time.sleep(0.01)
    return None


def _await_exit(conn: socket.socket) -> int | None:
    """The child's exit status (None: refused before it ran); Ctrl-C is passed on to it."""
    child, buffered = None, b""
    while True:
        try:
            chunk = conn.recv(4096)
        except KeyboardInterrupt:
            if child is None:
                raise
            import signal

            try:
                os.kill(child, signal.SIGINT)  # the child says 'interrupted' and exits 130
            except OSError:
                pass
            continue
        except OSError:
            chunk = b""
        if not chunk:
            break
        buffered += chunk
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            word, _, value = line.decode("ascii", "replace").partition(" ")
            if word == "refused":
                return None
            if word == "pid" and value.isdigit():
                child = int(value)
            elif word == "exit" and value.isdigit():
                return int(value)
    if child is None:
        return None
    sys.stderr.write("speclint: error: the resident process ended without an exit status; "
                     "run 'speclint' instead, or 'speclintd stop' and try again\n")
    return 2


def _connected(args: list[str]) -> tuple[socket.socket, bytes] | None:
    """A connection to this installation's server (started if need be), and the request."""
    encodings = _encodings()
    if not _supported() or encodings is None:
        return None
    where = folder()
    if unsafe_reason(where):
        return None
    ident = identity(sys.path)
    path = socket_path(where, ident)
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        return None
    request = _request("run", ident, args, encodings)
    conn = _connect(path) or _start(path, where)
    return (conn, request) if conn is not None else None


def served(args: list[str]) -> int | None:
    """Run ``speclint ARGS`` in a resident process; None when it cannot be served (nothing
    has been written then, and the caller runs it in-process)."""
    try:
        found = _connected(args)
    except OSError:  # e.g. the working directory was removed
        return None
    if found is None:
        return None
    conn, request = found
    with conn:
        try:
            socket.send_fds(conn, [request],
                            [sys.stdin.fileno(), sys.stdout.fileno(), sys.stderr.fileno()])
        except OSError:
            return None
        return _await_exit(conn)


def _servers(where: str) -> list[str]:
    try:
        names = sorted(os.listdir(where))
    except OSError:
        return []
    return [os.path.join(where, name) for name in names if name.endswith(".sock")]


def _ask(path: str, kind: str) -> str | None:
    """Send a ``status`` or ``stop`` request; the first line of the answer."""
    conn = _connect(path)
    if conn is None:
        return None
    with conn:
        conn.settimeout(5)
        try:
            conn.sendall(_request(kind, "", [], [""] * 6))
            answer = conn.recv(4096)
        except OSError:
            return None
    return answer.decode("ascii", "replace").split("\n")[0] or None


def _manage(command: str) -> int:
    if not _supported():
        print("speclintd: no resident process on this platform: speclintd runs speclint itself")
        return 0
    where = folder()
    reason = unsafe_reason(where)
    if reason:
        print(f"speclintd: not used: {reason}")
        return 0
    found = 0
    for path in _servers(where):
        answer = _ask(path, command)
        if answer is None:
            continue
        found += 1
        print(f"speclintd: {'stopped' if command == 'stop' else answer}: {path}")
    if not found:
        print(f"speclintd: no server running in {where}")
    return 0


def main(args: list[str]) -> None:
    """``speclintd ARGS``: ``speclint ARGS`` through a resident process; ``speclintd stop`` and
    ``speclintd status`` manage the servers."""
    try:
        if args in (["stop"], ["status"]):
            sys.exit(_manage(args[0]))
        status = served(args)
    except KeyboardInterrupt:
        sys.stderr.write("speclint: interrupted\n")
        sys.exit(130)
    if status is None:
        from speclint.cli import main as cli_main

        cli_main(args, prog_name="speclint")
    sys.exit(status)


# -- the server -------------------------------------------------------------------------------

class _Stop(Exception):
    """SIGTERM: the server stops accepting and removes its socket."""


def _stop(*_: object) -> None:
    raise _Stop


def warm() -> None:
    """Import and compile what every run needs, with nothing that depends on the caller (its
    directory, environment, configuration, cache): the children share it all."""
    import gc
    from pathlib import Path

    import speclint.cli  # noqa: F401 - imported for the children
    import speclint.report
    import speclint.runner  # noqa: F401
    from speclint import linter, prefilter, ruleset, schemas, vocab
    from speclint.authoring import render_template

    for name in speclint.report.FORMATS:
        speclint.report.get_formatter(name)
    for name in ("config", "front-matter", "profile", "rule-file"):
        schemas.validator(name)
    for pattern in vocab.guarded_patterns(vocab.load_vocabulary()):
        pattern.regex  # noqa: B018 - compiled now, once for every child
    # a spec with one of everything (the technical template, which passes): what the rules
    # compile on first use is compiled here
    spec = render_template("technical", "Warm-up")
    settings = linter.Settings(rules=ruleset.load_rules())
    linter.lint_bytes("warm-up.md", spec.encode(), settings, Path("warm-up.md"))
    prefilter.forget()
    gc.collect()
    gc.freeze()  # no child's collection walks (and so copies) the server's objects


def serve(path: str) -> None:
    """Listen on ``path`` until idle (or SIGTERM), forking a child for each call."""
    import signal

    os.umask(0o077)
    where = os.path.dirname(path)
    if unsafe_reason(where):
        return
    own = identity(sys.path)
    if socket_path(where, own) != path:
        return  # the installation changed while starting: the caller runs in-process
    warm()
    idle = float(os.environ.get("SPECLINT_RESIDENT_IDLE") or IDLE_SECONDS)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    temporary = f"{path}.{os.getpid()}.tmp"
    if os.path.lexists(temporary):  # left by a killed server of the same pid
        os.unlink(temporary)
    listener.bind(temporary)
    listener.listen(64)
    os.replace(temporary, path)
    inode = os.stat(path).st_ino
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGTERM, _stop)
    listener.settimeout(idle)
    try:
        while True:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                break
            if not _still(path, inode):
                conn.close()
                break
            if os.fork() == 0:
                try:  # nothing of the server's loop may run on in a child, even on SIGTERM
                    listener.close()
                    _child(conn, own)
                finally:
                    os._exit(2)
            conn.close()
    except _Stop:
        pass
    finally:
        if _still(path, inode):
            os.unlink(path)


def _still(path: str, inode: int) -> bool:
    """Is the socket file still this server's (not removed, not another server's)?"""
    try:
        return os.stat(path).st_ino == inode
    except OSError:
        return False


def _peer_is_us(conn: socket.socket) -> bool:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:  # not Linux: the folder's mode keeps other users out
        return True
    import struct

    _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, 12))
    return uid == os.getuid()


def _child(conn: socket.socket, own: str) -> None:
    """Serve one call, then exit (os._exit: nothing of the server's runs at exit)."""
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    status = 2
    try:
        if not _peer_is_us(conn):
            os._exit(2)
        conn.settimeout(30)
        body, fds = _read_request(conn)
        request = _parse_request(body)
        kind = request["kind"]
        if kind == "status":
            conn.sendall(f"running (pid {os.getppid()})\n".encode())
            os._exit(0)
        if kind == "stop":
            conn.sendall(b"stopping\n")
            os.kill(os.getppid(), signal.SIGTERM)
            os._exit(0)
        if kind != "run" or request["identity"] != own or len(fds) != 3:
            conn.sendall(b"refused\n")
            os._exit(2)
        conn.settimeout(None)
        _become_caller(request, fds)
        conn.sendall(f"pid {os.getpid()}\n".encode())
        status = _run(request["args"])
        conn.sendall(f"exit {status}\n".encode())
    except BaseException:  # noqa: BLE001 - the caller reports a child that gave no status
        pass
    os._exit(status)


def _become_caller(request: dict[str, object], fds: list[int]) -> None:
    """Take on the caller's streams, directory, environment and umask."""
    for target, fd in enumerate(fds):
        if fd != target:
            os.dup2(fd, target)
            os.close(fd)
    _kept.extend(getattr(sys, name) for name in _STREAMS)
    encodings = request["encodings"]
    for index, name in enumerate(_STREAMS):
        encoding, errors = encodings[2 * index], encodings[2 * index + 1]
        stream = open(index, "r" if index == 0 else "w", encoding=encoding, errors=errors,
                      closefd=False)
        if index == 2 or (index == 1 and stream.isatty()):
            stream.reconfigure(line_buffering=True)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.umask(request["umask"])


def _run(args: list[str]) -> int:
    """Run the speclint command as a fresh process would; its exit status."""
    import speclint.cli

    sys.argv = ["speclint", *args]
    try:
        speclint.cli.main(args, prog_name="speclint")
        status = 0
    except SystemExit as exc:
        status = _exit_status(exc.code)
    try:
        sys.stdout.flush()
    except OSError:
        status = status or 120  # what Python exits with when stdout cannot be flushed
    try:
        sys.stderr.flush()
    except OSError:
        pass
    return status


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1

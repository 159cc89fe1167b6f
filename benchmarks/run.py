"""speclint performance benchmark (SPEC section 9): ratios against floors measured in the same run.

    python benchmarks/run.py [--corpus ../shared/corpus] [--quick] [--repeat N] [--json FILE]
                             [--skip-scaling] [--skip-markdownlint]

Every budget in SPEC 9 is a ratio to something measured on the same machine in the same run, so
the numbers mean the same on a laptop and on CI:

- floor: a bare single-process mistune AST parse (``create_markdown(renderer=None)`` with the
  plugins speclint uses) of every corpus file, reading and decoding included, as a whole process;
- cold lint of the corpus (``speclint check --no-cache --format json``), default jobs and --jobs 1;
- warm lint (the cache filled by one run, nothing changed);
- one 5 KB spec, whole process, median of 15 runs, against the median of ``python -c pass``;
- p99 of ``lint_file`` on ~200 KB specs built by concatenating corpus files (in-process);
- peak memory of the cold run (the largest resident set of any one process, from wait4/getrusage;
  plus the sampled peak PSS of the whole process tree on Linux);
- scaling on 1x, 2x and 4x copies of the corpus (symlinks under different folder names);
- markdownlint-cli2 on the same files, for reference, when npm can install it.

Timed runs are repeated (``--repeat``) and the best time is kept; the floor gets the same
treatment, so a noisy neighbour hurts both sides. ``--quick`` lints a 300-file sample: a smoke
check, not the budget (the budgets are defined on the whole corpus).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import corpus_files, default_corpus, sample  # noqa: E402

QUICK_FILES = 300
BIG_TARGET = 200_000
MARKDOWNLINT_TIMEOUT = 180
NPM_TIMEOUT = 120
MB = 1024 * 1024


# -- child modes: the floor and the 200 KB timing run in their own processes -----------------

def floor_main(list_file: str) -> int:
    """Parse every listed file with bare mistune (full AST, speclint's plugins)."""
    start = time.perf_counter()
    import mistune
    from mistune.plugins.def_list import def_list
    from mistune.plugins.footnotes import footnotes
    from mistune.plugins.table import table, table_in_list, table_in_quote
    from mistune.plugins.task_lists import task_lists

    md = mistune.create_markdown(renderer=None, plugins=[
        table, table_in_list, table_in_quote, task_lists, footnotes, def_list])
    paths = Path(list_file).read_text("utf-8").split("\n")
    loop = time.perf_counter()
    errors = 0
    for name in filter(None, paths):
        text = Path(name).read_bytes().decode("utf-8", errors="replace")
        try:
            md.parse(text)
        except Exception:  # noqa: BLE001 - a floor that crashes still counts its time
            errors += 1
    end = time.perf_counter()
    print(json.dumps({"loop": end - loop, "total": end - start, "errors": errors}))
    return 0


def big_main(folder: str, rounds: int) -> int:
    """Time lint_file on every spec in ``folder``, in this process, after one warm-up."""
    from speclint.config import Config
    from speclint.linter import lint_file

    try:
        from speclint.runner import _settings

        settings = _settings({}, Config(root=Path.cwd()))
    except Exception:  # noqa: BLE001 - fall back if the private helper changes
        from speclint.linter import Settings
        from speclint.ruleset import load_rules

        settings = Settings(rules=load_rules(()))
    files = sorted(Path(folder).glob("*.md"))
    lint_file(files[0], files[0].name, settings)  # warm-up: rules, vocabulary, regexes
    times, cpu = [], []
    for _ in range(rounds):
        for file in files:
            start, start_cpu = time.perf_counter(), time.process_time()
            lint_file(file, file.name, settings)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    print(json.dumps({"times": times, "cpu": cpu, "sizes": [f.stat().st_size for f in files]}))
    return 0


# -- measuring processes ------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the child and the descendants it waited for
    returncode: int
    maxrss: int  # bytes, largest resident set of the child or any descendant it waited for
    tree_pss: int | None = None  # bytes, sampled peak of the summed PSS of the process tree
    stdout: str = ""


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read().decode("ascii", "replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [root], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Peak total PSS of a process tree, sampled every ``interval`` seconds (Linux only)."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            try:
                total = sum(_pss(p) for p in _descendants(self.pid))
            except OSError:
                continue
            self.peak = max(self.peak, total)


def measure(cmd: list[str], cwd: Path, timeout: float | None = None, sample_memory: bool = False,
            capture: bool = False, env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` once: wall time, exit status, and the peak RSS of its process tree."""
    out = tempfile.TemporaryFile() if capture else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True,
                            env=env if env is not None else bench_env())
    sampler = None
    if sample_memory and Path("/proc/self/smaps_rollup").exists():
        sampler = TreeSampler(proc.pid)
        sampler.start()
    timer = None
    if timeout:
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
    # wait4 gives this child's rusage: what getrusage(RUSAGE_CHILDREN) reports, for one child
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if timer:
        timer.cancel()
    if sampler:
        sampler.done.set()
        sampler.join()
    text = ""
    if capture:
        out.seek(0)  # type: ignore[union-attr]
        text = out.read().decode("utf-8", "replace")  # type: ignore[union-attr]
        out.close()  # type: ignore[union-attr]
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: KiB on Linux, bytes on macOS
    return Run(seconds, usage.ru_utime + usage.ru_stime, proc.returncode, usage.ru_maxrss * scale,
               sampler.peak if sampler else None, text)


def bench_env() -> dict[str, str]:
    """The environment of every timed process: bytecode caching on, as for installed packages."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, 9)
    except OSError:
        pass


def best_of(count: int, cmd: list[str], cwd: Path, label: str, **kwargs: Any) -> list[Run]:
    runs = []
    for index in range(count):
        run = measure(cmd, cwd, **kwargs)
        runs.append(run)
        note = "" if run.returncode in (0, 1) else f"  (exit status {run.returncode}!)"
        print(f"  {label} [{index + 1}/{count}]: {run.seconds:.2f} s wall, {run.cpu:.2f} s cpu"
              f"{note}", flush=True)
    return runs


# -- machine ------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    info: dict[str, str] = {}
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["cpu"] = cpu
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = f"{os.cpu_count()} logical, {usable} usable"
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            cores += f", cgroup quota {int(quota) / int(period):g} CPUs"
    except (OSError, ValueError):
        pass
    info["cores"] = cores
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram"] = f"{int(line.split()[1]) / MB:.1f} GiB"
    except OSError:
        info["ram"] = "unknown"
    info["os"] = platform.platform()
    info["python"] = f"{platform.python_implementation()} {platform.python_version()}"
    from importlib.metadata import PackageNotFoundError, version

    for package in ("mistune", "speclint", "click", "PyYAML", "jsonschema"):
        try:
            info[package] = version(package)
        except PackageNotFoundError:
            info[package] = "not installed"
    try:
        head = subprocess.run(["git", "-C", str(HERE), "describe", "--always", "--dirty"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
        info["speclint commit"] = head or "unknown"
    except (OSError, subprocess.SubprocessError):
        info["speclint commit"] = "unknown"
    if hasattr(os, "getloadavg"):
        info["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info


def speclint_cmd() -> list[str]:
    """The installed console script (what users run), else ``python -m speclint``."""
    script = Path(sys.executable).parent / ("speclint.exe" if os.name == "nt" else "speclint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "speclint"]


# -- workspace ----------------------------------------------------------------------------

def make_copy(work: Path, name: str, files: list[Path], corpus: Path) -> Path:
    """``work/name/<source>/<file>``: one symlink per corpus file (no README, no licences)."""
    root = work / name
    for file in files:
        link = root / file.relative_to(corpus)
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(file, link)
    return root


def _strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5:]
    return text


def make_big_specs(folder: Path, files: list[Path], count: int) -> list[int]:
    """``count`` specs of about 200 KB, each a run of whole corpus files (deterministic)."""
    folder.mkdir()
    pool = [f for f in files if 2_000 <= f.stat().st_size <= 30_000]
    random.Random(20260901).shuffle(pool)
    sizes, index = [], 0
    for number in range(count):
        parts: list[str] = []
        size = 0
        while size < BIG_TARGET:
            text = pool[index % len(pool)].read_bytes().decode("utf-8", "replace")
            index += 1
            text = _strip_front_matter(text) if parts else text
            parts.append(text)
            size += len(text.encode("utf-8"))
        data = "\n\n".join(parts).encode("utf-8")
        (folder / f"big-{number:02d}.md").write_bytes(data)
        sizes.append(len(data))
    return sizes


def spec_near(files: list[Path], size: int) -> Path:
    return min(files, key=lambda f: (abs(f.stat().st_size - size), str(f)))


# -- results ------------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    value: str
    cpu: str = ""
    reference: str = ""
    ratio: str = ""
    cpu_ratio: str = ""
    target: str = ""
    verdict: str = ""


@dataclass
class Results:
    mode: str
    files: int
    megabytes: float
    machine: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def _best(runs: list[Run]) -> float:
    return min(r.seconds for r in runs)


def _best_cpu(runs: list[Run]) -> float:
    return min(r.cpu for r in runs)


@dataclass
class Floor:
    wall: float
    cpu: float


def print_table(results: Results) -> None:
    headers = ("measurement", "wall", "cpu", "reference", "ratio", "cpu ratio", "target",
               "verdict (wall)")
    rows = [headers] + [(r.name, r.value, r.cpu, r.reference, r.ratio, r.cpu_ratio, r.target,
                         r.verdict) for r in results.rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]
    line = "  ".join("-" * w for w in widths)
    print()
    print(f"speclint benchmark ({results.mode}: {results.files} files, "
          f"{results.megabytes:.1f} MB)")
    print(line)
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print(line)
    print(line)


def print_machine(info: dict[str, str]) -> None:
    print("machine:")
    for key, value in info.items():
        print(f"  {key:24} {value}")


# -- the benchmark ------------------------------------------------------------------------

def warm_up(work: Path, list_file: Path) -> None:
    """Untimed: write bytecode caches and fill the page cache before anything is timed."""
    print("warm-up (untimed): bytecode caches, page cache", flush=True)
    first = work / "first.txt"
    first.write_text(list_file.read_text("utf-8").split("\n")[0], "utf-8")
    measure([sys.executable, str(Path(__file__).resolve()), "--_floor", str(first)], work)
    measure(speclint_cmd() + ["check", "--no-cache", first.read_text("utf-8")], work)
    for name in list_file.read_text("utf-8").split("\n"):
        Path(name).read_bytes()


def run_floor(work: Path, list_file: Path, repeat: int, results: Results) -> Floor:
    print("floor: bare mistune AST parse, one process", flush=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_floor", str(list_file)]
    runs = best_of(repeat, cmd, work, "floor", capture=True)
    loops = [json.loads(r.stdout.strip().splitlines()[-1]) for r in runs if r.stdout.strip()]
    floor = Floor(_best(runs), _best_cpu(runs))
    loop = min((x["loop"] for x in loops), default=float("nan"))
    results.rows.append(Row("floor: mistune AST parse, 1 process", f"{floor.wall:.2f} s",
                            f"{floor.cpu:.2f} s", f"parse loop {loop:.2f} s", "1.00x", "1.00x"))
    results.raw["floor"] = {"runs": [asdict(r) | {"stdout": ""} for r in runs], "loops": loops}
    return floor


def _vs_floor(name: str, runs: list[Run], floor: Floor, target: str = "(info)",
              limit: float | None = None, digits: int = 2) -> Row:
    wall, cpu = _best(runs), _best_cpu(runs)
    return Row(name, f"{wall:.2f} s", f"{cpu:.2f} s", "floor", f"{wall / floor.wall:.{digits}f}x",
               f"{cpu / floor.cpu:.{digits}f}x", target,
               verdict(wall <= limit * floor.wall) if limit is not None else "")


def run_cold(work: Path, target: str, repeat: int, floor: Floor, results: Results) -> Run:
    base = speclint_cmd() + ["check", "--no-cache", "--format", "json", target]
    jobs = os.cpu_count() or 1  # what speclint uses when --jobs is not given
    print(f"cold lint, default jobs ({jobs})", flush=True)
    runs = best_of(repeat, base, work, "cold", sample_memory=True)
    results.rows.append(_vs_floor(f"cold lint, default jobs ({jobs})", runs, floor, "<= 1.0x",
                                  1.0))
    print("cold lint, --jobs 1", flush=True)
    runs1 = best_of(repeat, base + ["--jobs", "1"], work, "cold --jobs 1")
    results.rows.append(_vs_floor("cold lint, --jobs 1", runs1, floor))
    results.raw["cold"] = [asdict(r) | {"stdout": ""} for r in runs]
    results.raw["cold_jobs1"] = [asdict(r) | {"stdout": ""} for r in runs1]
    maxrss = max(r.maxrss for r in runs + runs1)
    results.rows.append(Row("peak RSS, largest process (cold)", f"{maxrss / MB:.0f} MB", "",
                            "wait4/getrusage", "", "", "<= 150 MB", verdict(maxrss <= 150 * MB)))
    pss = [r.tree_pss for r in runs if r.tree_pss]
    if pss:
        results.rows.append(Row("peak PSS, whole process tree (cold)", f"{max(pss) / MB:.0f} MB",
                                "", "sampled every 0.25 s", "", "", "(info)"))
    return min(runs, key=lambda r: r.seconds)


def run_warm(work: Path, target: str, repeat: int, floor: Floor, results: Results) -> None:
    print("warm lint: fill the cache, then run again with nothing changed", flush=True)
    cmd = speclint_cmd() + ["check", "--format", "json", target]
    shutil.rmtree(work / ".speclint_cache", ignore_errors=True)
    fill = measure(cmd, work, capture=True)
    print(f"  fill: {fill.seconds:.2f} s", flush=True)
    runs = best_of(repeat, cmd, work, "warm")
    again = measure(cmd, work, capture=True)
    row = _vs_floor("warm lint (cache full, nothing changed)", runs, floor, "<= 0.1x", 0.1, 3)
    same = again.stdout == fill.stdout
    row.verdict += "; same report as cold" if same else "; REPORT DIFFERS from the cold run"
    results.rows.append(row)
    results.raw["warm"] = {"fill": asdict(fill) | {"stdout": ""},
                           "runs": [asdict(r) | {"stdout": ""} for r in runs], "identical": same}


def resident_cmd() -> list[str] | None:
    """The installed ``speclintd`` script, or None where it cannot serve (not POSIX)."""
    script = Path(sys.executable).parent / "speclintd"
    return [str(script)] if script.exists() and hasattr(os, "fork") else None


def run_small(work: Path, files: list[Path], runs: int, results: Results) -> None:
    """The pre-commit case: one spec just edited (cache on, so only unchanged front matter and
    settings are remembered), the same through speclintd (a resident process, started before
    timing), and with --no-cache; each against python -c pass."""
    spec = spec_near(files, 5_000)
    folder = work / "one"
    folder.mkdir()
    original = spec.read_bytes()
    target = folder / "spec.md"
    target.write_bytes(original)
    size = len(original)
    print(f"one spec of {size} bytes ({spec.name}): {runs} runs of each, interleaved", flush=True)
    resident = resident_cmd()
    resident_env = {**bench_env(), "SPECLINT_RESIDENT_DIR": str(work / "resident"),
                    "SPECLINT_RESIDENT_IDLE": "600"}
    # label -> command, environment, and whether it is the budget's case (the spec just edited)
    timed: dict[str, tuple[list[str], dict[str, str] | None, bool]] = {
        "just edited, cache on": (speclint_cmd() + ["check", "spec.md"], None, True)}
    if resident:
        timed["just edited, speclintd (resident process)"] = (
            resident + ["check", "spec.md"], resident_env, True)
    timed["--no-cache"] = (speclint_cmd() + ["check", "--no-cache", "spec.md"], None, False)
    empty = [sys.executable, "-c", "pass"]
    for cmd, env, _ in (*timed.values(), (empty, None, False)):
        measure(cmd, folder, env=env)  # untimed: page cache, settings cache, the server
    groups: dict[str, list[Run]] = {label: [] for label in timed}
    base = []
    for index in range(runs):
        base.append(measure(empty, folder))
        for label, (cmd, env, edited) in timed.items():
            if edited:
                target.write_bytes(original + f"\nEdited {index} times ({label}).\n".encode())
            groups[label].append(measure(cmd, folder, env=env))
    if resident:
        measure(resident + ["stop"], folder, env=resident_env)
    base_ms = statistics.median(r.seconds for r in base) * 1000
    base_cpu = statistics.median(r.cpu for r in base) * 1000
    for label, group in groups.items():
        wall = statistics.median(r.seconds for r in group) * 1000
        cpu = statistics.median(r.cpu for r in group) * 1000
        budget = timed[label][2]
        ok = wall / base_ms <= 8 and wall <= 100
        results.rows.append(Row(f"one {size / 1000:.1f} KB spec, {label}, p50", f"{wall:.0f} ms",
                                f"{cpu:.0f} ms", f"python -c pass {base_ms:.0f} ms",
                                f"{wall / base_ms:.1f}x", f"{cpu / max(base_cpu, 1e-9):.1f}x",
                                "<= 8x and <= 100 ms" if budget else "(info)",
                                verdict(ok) if budget else ""))
    if not resident:
        print("  speclintd: not measured (no speclintd script, or no fork on this platform)")
    results.raw["small"] = {"file": spec.name, "bytes": size,
                            **{label: [(r.seconds, r.cpu) for r in group]
                               for label, group in groups.items()},
                            "python_pass": [(r.seconds, r.cpu) for r in base]}


def run_big(work: Path, all_files: list[Path], quick: bool, results: Results) -> None:
    count, rounds = (20, 2) if quick else (50, 2)
    folder = work / "big"
    sizes = make_big_specs(folder, all_files, count)
    print(f"{count} specs of {min(sizes) / 1000:.0f}-{max(sizes) / 1000:.0f} KB: lint_file "
          f"in-process, {rounds} rounds", flush=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_big", str(folder),
           "--_rounds", str(rounds)]
    run = measure(cmd, work, capture=True)
    if run.returncode != 0 or not run.stdout.strip():
        results.rows.append(Row("200 KB spec, lint_file p99", "failed", target="<= 200 ms",
                                verdict=f"exit status {run.returncode}"))
        return
    data = json.loads(run.stdout.strip().splitlines()[-1])
    times, cpus = sorted(data["times"]), sorted(data["cpu"])
    p99 = _percentile(times, 99) * 1000
    p50 = _percentile(times, 50) * 1000
    results.rows.append(Row(f"~200 KB spec, lint_file p99 ({len(times)} runs)", f"{p99:.0f} ms",
                            f"{_percentile(cpus, 99) * 1000:.0f} ms",
                            f"p50 {p50:.0f} ms, max {times[-1] * 1000:.0f} ms", "", "",
                            "<= 200 ms", verdict(p99 <= 200)))
    results.raw["big"] = {"sizes": sizes, "times": data["times"], "cpu": data["cpu"]}


def _percentile(values: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def run_scaling(work: Path, copies: list[str], results: Results) -> None:
    print("scaling: 1x, 2x, 4x copies of the files, --no-cache, default jobs", flush=True)
    base = speclint_cmd() + ["check", "--no-cache", "--format", "json"]
    runs = {}
    for count in (1, 2, 4):
        runs[count] = measure(base + copies[:count], work)
        print(f"  {count}x: {runs[count].seconds:.2f} s wall, {runs[count].cpu:.2f} s cpu",
              flush=True)
    wall = {c: r.seconds for c, r in runs.items()}
    cpu = {c: r.cpu for c, r in runs.items()}
    r2, r4 = wall[2] / wall[1], wall[4] / wall[1]
    results.rows.append(Row("scaling 1x / 2x / 4x copies",
                            " / ".join(f"{wall[c]:.1f}" for c in (1, 2, 4)) + " s",
                            " / ".join(f"{cpu[c]:.1f}" for c in (1, 2, 4)) + " s", "1x",
                            f"1 / {r2:.2f} / {r4:.2f}",
                            f"1 / {cpu[2] / cpu[1]:.2f} / {cpu[4] / cpu[1]:.2f}",
                            "~1 / 2 / 4 (linear)", verdict(r2 <= 2.2 and r4 <= 4.4)))
    results.raw["scaling"] = {"wall": wall, "cpu": cpu}


def run_markdownlint(work: Path, target: str, floor: Floor, cold: Run,
                     results: Results) -> None:
    name = "markdownlint-cli2"
    npm = shutil.which("npm")
    if not shutil.which("npx") or not npm:
        print(f"{name}: skipped (npx/npm not found)")
        results.rows.append(Row(name, "skipped", reference="npx/npm not found"))
        return
    cache = Path(tempfile.gettempdir()) / "speclint-bench-markdownlint"
    binary = cache / "node_modules" / ".bin" / name
    if not binary.exists():
        print(f"{name}: npm install into {cache} (at most {NPM_TIMEOUT} s)", flush=True)
        cache.mkdir(exist_ok=True)
        try:
            subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix",
                            str(cache), name], check=True, timeout=NPM_TIMEOUT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (subprocess.SubprocessError, OSError) as exc:
            reason = f"npm install failed ({type(exc).__name__}): offline?"
            print(f"{name}: skipped, {reason}")
            results.rows.append(Row(name, "skipped", reference=reason))
            return
    try:
        version = subprocess.run([str(binary), "--help"], capture_output=True, text=True,
                                 timeout=30).stdout.split("\n")[0].strip()
    except (subprocess.SubprocessError, OSError):
        version = name
    print(f"{version}: default rules on the same files (at most {MARKDOWNLINT_TIMEOUT} s)",
          flush=True)
    run = measure([str(binary), f"{target}/**/*.md"], work, timeout=MARKDOWNLINT_TIMEOUT)
    if run.returncode not in (0, 1):
        reason = (f"exceeded {MARKDOWNLINT_TIMEOUT} s" if run.seconds >= MARKDOWNLINT_TIMEOUT
                  else f"exit status {run.returncode}")
        print(f"{name}: skipped, {reason}")
        results.rows.append(Row(version, "skipped", reference=reason))
        return
    print(f"  {run.seconds:.2f} s wall, {run.cpu:.2f} s cpu", flush=True)
    row = _vs_floor(version.split(" (")[0], [run], floor)
    row.target = f"(info; speclint cold = {cold.seconds / run.seconds:.2f}x this)"
    results.rows.append(row)
    results.raw["markdownlint"] = asdict(run) | {"stdout": "", "version": version}


def _warn_if_busy(results: Results) -> None:
    """Wall-clock ratios need a quiet machine: say so when it was not."""
    if not hasattr(os, "getloadavg"):
        return
    end = os.getloadavg()
    results.machine["load average at end"] = " ".join(f"{x:.2f}" for x in end)
    start = float(results.machine.get("load average at start", "0").split()[0])
    cores = os.cpu_count() or 1
    print(f"load average: {results.machine.get('load average at start')} at start, "
          f"{results.machine['load average at end']} at end ({cores} cores)")
    if max(start, end[1]) > 0.5 * cores:
        print("warning: the machine was busy with other work; wall-clock times and ratios are "
              "inflated and noisy. The cpu columns are less affected; rerun on a quiet machine.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus(),
                        help="corpus folder (default: ../shared/corpus or $SPECLINT_CORPUS)")
    parser.add_argument("--quick", action="store_true",
                        help=f"a {QUICK_FILES}-file sample: a smoke check, not the budget")
    parser.add_argument("--sample", type=int, help="lint only N files spread over the corpus")
    parser.add_argument("--repeat", type=int, help="runs per timed step, best kept "
                        "(default: 3 with --quick, 2 otherwise)")
    parser.add_argument("--small-runs", type=int, default=15, help="runs of the 5 KB case")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--skip-markdownlint", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    parser.add_argument("--_floor", help=argparse.SUPPRESS)
    parser.add_argument("--_big", help=argparse.SUPPRESS)
    parser.add_argument("--_rounds", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._floor:
        return floor_main(args._floor)
    if args._big:
        return big_main(args._big, args._rounds)

    corpus = args.corpus.resolve()
    all_files = corpus_files(corpus)
    count = args.sample or (QUICK_FILES if args.quick else 0)
    files = sample(all_files, count) if count else all_files
    repeat = args.repeat or (3 if args.quick else 2)
    size = sum(f.stat().st_size for f in files)
    mode = "sample" if count else "whole corpus"
    results = Results(mode, len(files), size / 1e6, machine())
    print_machine(results.machine)
    print(f"speclint command: {' '.join(speclint_cmd())}")
    print(f"{mode}: {len(files)} files, {size / 1e6:.1f} MB from {corpus}; best of {repeat} "
          "runs per timed step\n", flush=True)

    work = Path(tempfile.mkdtemp(prefix="speclint-bench-"))
    try:
        copies = [make_copy(work, f"copy{n}", files, corpus).name
                  for n in range(1, 2 if args.skip_scaling else 5)]
        list_file = work / "files.txt"
        list_file.write_text("\n".join(str(work / copies[0] / f.relative_to(corpus))
                                       for f in files), "utf-8")
        warm_up(work, list_file)
        floor = run_floor(work, list_file, repeat, results)
        cold = run_cold(work, copies[0], repeat, floor, results)
        run_warm(work, copies[0], repeat, floor, results)
        run_small(work, all_files, args.small_runs, results)
        run_big(work, all_files, args.quick, results)
        if not args.skip_scaling:
            run_scaling(work, copies, results)
        if not args.skip_markdownlint:
            run_markdownlint(work, copies[0], floor, cold, results)
    finally:
        if args.keep:
            print(f"workspace kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    if count:
        print(f"sample of {len(files)} files: a smoke check; the budgets are defined on the "
              "whole corpus.")
    _warn_if_busy(results)
    if args.json:
        args.json.write_text(json.dumps(asdict(results), indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

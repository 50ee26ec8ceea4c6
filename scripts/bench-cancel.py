#!/usr/bin/env python3
"""How fast a cancel stops a running job: a host runs hung jobs (FaultWorker `hang`) one at a
time; each is cancelled with `jobqueue jobs cancel`, and the time from the command's return (the
cancel is committed) until the job's child process is gone is measured by watching /proc.

    scripts/bench-cancel.py BUILD_FOLDER [--postgres URL] [--runs N]     e.g. .build/release
"""
import argparse
import os
import subprocess
import tempfile
import time


def children(pid):
    """The processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                pass
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--postgres")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    work = tempfile.mkdtemp(prefix="jq-bench-cancel-")  # mode 700, as the host's file checks want
    config = os.path.join(work, "config.yaml")
    store = f'{{ url: "{args.postgres}", schema: cancel_{time.time_ns()} }}' if args.postgres else "{ path: queue.db }"
    with open(config, "w") as file:
        file.write(f"store: {store}\nconsumer: {{ concurrency: 1 }}\nlog: {{ level: warning }}\n"
                   f"topics:\n  fault: {{ plugin: {build}/libFaultWorker.so, timeout: 10m }}\n")
    os.chmod(config, 0o600)

    def jobqueue(*arguments):
        return subprocess.run([f"{build}/jobqueue", *arguments, "--config", config], capture_output=True, text=True, cwd=work)

    host = subprocess.Popen([f"{build}/jobqueue", "run", "--config", config], cwd=work,
                            stderr=open(os.path.join(work, "host.log"), "w"))
    took = []
    try:
        for _ in range(args.runs):
            job = jobqueue("enqueue", "q", "fault", '"hang"').stdout.strip()
            deadline, child = time.time() + 20, None
            while child is None and time.time() < deadline:
                child = next((c for server in children(host.pid) for c in children(server)), None)
                time.sleep(0.01)
            assert child, "the hung job's child never started"
            time.sleep(0.2)
            cancelled = jobqueue("jobs", "cancel", job)
            committed = time.monotonic()
            assert cancelled.returncode == 0, cancelled.stderr
            while alive(child):
                time.sleep(0.001)
            took.append((time.monotonic() - committed) * 1000)
    finally:
        host.terminate()
        host.wait()
    took.sort()
    print(f"{'postgresql' if args.postgres else 'sqlite'}: cancel returned → child gone: median {took[len(took) // 2]:.0f} ms, "
          f"max {took[-1]:.0f} ms ({', '.join(f'{t:.0f}' for t in took)})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What the producers' HTTP API costs, against `jobqueue enqueue --file` in the same run.

    scripts/bench-api.py [--runs R] [--jobs N] [--batch B] [--singles S] [--connections C] BUILD_FOLDER

Starts a host of BUILD_FOLDER (SQLite, sync full) whose jobs go to a topic it does not serve, so
only enqueueing is timed. Each run, interleaved: N jobs through `enqueue --file`, the same N as
POST /api/jobs arrays of B jobs on one keep-alive connection; then S single-job POSTs spread over
C keep-alive connections, with their latency percentiles. Medians over the runs.
"""
import argparse, http.client, json, os, socket, statistics, subprocess, tempfile, threading, time

parser = argparse.ArgumentParser()
parser.add_argument("build")
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--jobs", type=int, default=20000)
parser.add_argument("--batch", type=int, default=1000)
parser.add_argument("--singles", type=int, default=4000)
parser.add_argument("--connections", type=int, default=4)
args = parser.parse_args()
jobqueue = os.path.join(os.path.abspath(args.build), "jobqueue")

work = tempfile.mkdtemp(prefix="jq-bench-api.")
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
config = os.path.join(work, "config.yaml")
with open(config, "w") as f:
    f.write(f"store: {{ path: {work}/queue.db, sync: full }}\nlog: {{ level: warning }}\n"
            f"http: {{ listen: '127.0.0.1:{port}' }}\n"
            f"topics:\n  noop: {{ plugin: {os.path.abspath(args.build)}/libNoopWorker.so }}\n")
jobs = [{"queue": f"tenant-{i % 100}", "topic": "unserved", "payload": {"n": i}} for i in range(args.jobs)]
with open(os.path.join(work, "jobs.jsonl"), "w") as f:
    f.writelines(json.dumps(job) + "\n" for job in jobs)
host = subprocess.Popen([jobqueue, "run", "--config", config], stderr=open(os.path.join(work, "host.log"), "w"))
headers = {"Content-Type": "application/json"}


def connect():
    return http.client.HTTPConnection("127.0.0.1", port)


def post(connection, body):
    connection.request("POST", "/api/jobs", body, headers)
    answer = connection.getresponse()
    answer.read()
    if answer.status != 201:
        raise SystemExit(f"POST answered {answer.status}")


def by_file():
    start = time.perf_counter()
    subprocess.run([jobqueue, "enqueue", "--config", config, "--file", os.path.join(work, "jobs.jsonl")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def by_batches():
    connection = connect()
    bodies = [json.dumps(jobs[i:i + args.batch]) for i in range(0, len(jobs), args.batch)]
    start = time.perf_counter()
    for body in bodies:
        post(connection, body)
    return time.perf_counter() - start


def singles():
    latencies = []
    lock = threading.Lock()

    def worker(count):
        connection = connect()
        mine = []
        for i in range(count):
            body = json.dumps({"queue": f"tenant-{i % 100}", "topic": "unserved", "payload": {"n": i}})
            began = time.perf_counter()
            post(connection, body)
            mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(args.singles // args.connections,)) for _ in range(args.connections)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return len(latencies) / wall, latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.99)] * 1000


try:
    for _ in range(200):
        try:
            c = connect()
            c.request("GET", "/api/openapi.json")
            if c.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.05)
    files, batches, single_rates, p50s, p99s = [], [], [], [], []
    for run in range(args.runs):
        order = [("file", by_file), ("batches", by_batches)]
        for name, measure in order if run % 2 == 0 else reversed(order):
            (files if name == "file" else batches).append(measure())
        rate, p50, p99 = singles()
        single_rates.append(rate); p50s.append(p50); p99s.append(p99)
    file_rate = args.jobs / statistics.median(files)
    batch_rate = args.jobs / statistics.median(batches)
    print(f"enqueue --file:        {file_rate:8.0f} jobs/s  (runs: {' '.join(f'{t:.3f}' for t in files)} s)")
    print(f"POST arrays of {args.batch}: {batch_rate:8.0f} jobs/s  (runs: {' '.join(f'{t:.3f}' for t in batches)} s)  = {batch_rate / file_rate:.2f} of --file")
    print(f"single-job POSTs, {args.connections} keep-alive connections: {statistics.median(single_rates):.0f} jobs/s, "
          f"latency p50 {statistics.median(p50s):.2f} ms, p99 {statistics.median(p99s):.2f} ms")
finally:
    host.terminate()
    host.wait()
    subprocess.run(["rm", "-rf", work])

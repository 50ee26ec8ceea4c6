#!/usr/bin/env python3
"""The CPU seconds a PostgreSQL server has used so far, for the benchmarks that report its CPU per
job (scripts/bench-pg-cost.sh, scripts/bench-pgqueuer.sh): the postmaster's own time and its
reaped children's, plus its live children's.

    scripts/postgres-cpu.py POSTMASTER_PID

Needs to read /proc of the server's processes (the server runs on this machine)."""
import os
import sys

postmaster, ticks = int(sys.argv[1]), os.sysconf("SC_CLK_TCK")


def fields(pid):
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


total = sum(int(value) for value in fields(postmaster)[11:15])  # utime stime cutime cstime
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = fields(pid)
        if int(stat[1]) == postmaster:
            total += int(stat[11]) + int(stat[12])
    except (OSError, IndexError):
        pass  # gone meanwhile
print(total / ticks)

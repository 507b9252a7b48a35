"""Runs every input in a directory through `kiln-compile --compile-to=import`
and checks that each one is imported or rejected with an error: exit status 0,
or 1 with an `error:` diagnostic; never a signal, a sanitizer report or a hang.

usage: run_regressions.py KILN_COMPILE DIR
"""
import os
import subprocess
import sys

compiler, directory = sys.argv[1], sys.argv[2]
inputs = sorted(f for f in os.listdir(directory)
                if os.path.isfile(os.path.join(directory, f)))
bad = 0
for name in inputs:
    path = os.path.join(directory, name)
    try:
        proc = subprocess.run(
            [compiler, path, "--compile-to=import", "-o", os.devnull],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    except subprocess.TimeoutExpired:
        print(f"FAIL {name}: timed out")
        bad += 1
        continue
    err = proc.stderr.decode(errors="replace")
    ok = proc.returncode == 0 or (proc.returncode == 1 and "error:" in err)
    if not ok:
        bad += 1
        print(f"FAIL {name}: exit status {proc.returncode}")
        print(err[-2000:])
print(f"regressions: {len(inputs)} inputs, {bad} failures")
sys.exit(1 if bad else 0)

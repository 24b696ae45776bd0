#!/usr/bin/python3
# Startup of Isle Shop: the time from launching the real program to its
# first painted frame, and its resident memory then; the median of 10
# runs, beside the same figures for a bare GTK window (startup-baseline),
# which is what GTK itself costs on this machine. Run under a display
# (run-bench.sh provides a virtual one).
#
# Usage: startup.py BUILDDIR [RUNS]

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def measure(binary, builddir, runs):
    times, rss = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ,
                       ISLE_SHOP_REPORT_STARTUP='1',
                       GSETTINGS_SCHEMA_DIR=os.path.join(builddir, 'data'),
                       XDG_DATA_HOME=home, XDG_CONFIG_HOME=home, XDG_CACHE_HOME=home)
            start = time.monotonic_ns() // 1000
            out = subprocess.run([binary], env=env, capture_output=True, text=True, timeout=60)
            report = json.loads(out.stdout.strip().splitlines()[-1])
            times.append((report['first_frame_us'] - start) / 1000.0)
            rss.append(report['rss_bytes'] / (1024.0 * 1024.0))
    return times, rss


def main():
    builddir = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    shop_t, shop_m = measure(os.path.join(builddir, 'app', 'isle-shop'), builddir, runs)
    base_t, base_m = measure(os.path.join(builddir, 'tests', 'bench', 'startup-baseline'),
                             builddir, runs)

    for name, unit, value in (('startup_first_frame', 'ms', statistics.median(shop_t)),
                              ('startup_rss', 'MiB', statistics.median(shop_m)),
                              ('startup_baseline_first_frame', 'ms', statistics.median(base_t)),
                              ('startup_baseline_rss', 'MiB', statistics.median(base_m))):
        print(json.dumps({'case': name, 'unit': unit, 'value': value}))

    print('# Isle Shop: first frame %.0f ms, RSS %.1f MiB; a bare GTK window: %.0f ms, %.1f MiB '
          '(medians of %d runs each); Isle Shop adds %.0f ms and %.1f MiB'
          % (statistics.median(shop_t), statistics.median(shop_m),
             statistics.median(base_t), statistics.median(base_m), runs,
             statistics.median(shop_t) - statistics.median(base_t),
             statistics.median(shop_m) - statistics.median(base_m)))


if __name__ == '__main__':
    main()

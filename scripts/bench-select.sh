#!/usr/bin/env bash
# Coreset (k-center greedy) speed and memory on random 512-d unit vectors,
# as N and k grow, plus a NumPy k-center greedy on the same sizes as the
# peer (same machine, same command). Usage: scripts/bench-select.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --example select_speed >/dev/null 2>&1
bin=target/release/examples/select_speed
py=""
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import numpy' 2>/dev/null; then py=$p; break; fi
done
echo "| n | dim | k | framesift s | peak RSS / matrix | numpy s | numpy / framesift |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in 10000 100000; do
  for k in 100 300 1000; do
    line=$($bin $n 512 $k)
    secs=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")
    mat=$(sed -E 's/.*matrix_mib=([0-9.]+).*/\1/' <<<"$line")
    rss=$(sed -E 's/.*peak_rss_mib=([0-9.]+).*/\1/' <<<"$line")
    ratio=$(python3 -c "print(f'{$rss/$mat:.2f}')")
    np_s="–"; np_ratio="–"
    # The NumPy peer runs where it finishes in reasonable time.
    if [ -n "$py" ] && [ $((n * k)) -le 30000000 ]; then
      np_s=$("$py" - "$n" 512 "$k" <<'PY'
import sys, time, numpy as np
n, d, k = map(int, sys.argv[1:4])
rng = np.random.default_rng(1)
x = rng.uniform(-1, 1, (n, d)).astype(np.float32)
x /= np.linalg.norm(x, axis=1, keepdims=True)
norms = (x * x).sum(1)
t = time.perf_counter()
mind = np.full(n, np.inf, dtype=np.float32)
c = 0
for _ in range(k):
    d2 = norms + norms[c] - 2 * (x @ x[c])
    np.minimum(mind, d2, out=mind)
    c = int(np.argmax(mind))
print(f"{time.perf_counter() - t:.3f}")
PY
)
      np_ratio=$(python3 -c "print(f'{$np_s/$secs:.1f}x')")
    fi
    echo "| $n | 512 | $k | $secs | $ratio | $np_s | $np_ratio |"
  done
done

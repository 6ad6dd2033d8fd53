#!/bin/sh
# A stand-in for a long training run: one progress line per second, a checkpoint every 10 steps.
# Run it detached (Linger: Run Detached… → ./train.sh), close VS Code, come back: it is still going.
# Usage: ./train.sh [STEPS]   (default 600, about ten minutes)
steps=${1:-600}
echo "train.sh: pid $$, $steps steps, started $(date -u +%H:%M:%S)"
i=1
loss=1000
while [ "$i" -le "$steps" ]; do
  loss=$((loss * 995 / 1000 + 1))
  printf 'step %4d/%d  loss 0.%04d  %s\n' "$i" "$steps" "$loss" "$(date -u +%H:%M:%S)"
  if [ $((i % 10)) -eq 0 ]; then echo "  checkpoint saved: ckpt-$i"; fi
  i=$((i + 1))
  sleep 1
done
echo "train.sh: done at $(date -u +%H:%M:%S)"

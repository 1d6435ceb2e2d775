#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write a random network description inside the RTL core's envelope (docs/rtl.md): random layer
sizes (1-neuron and non-power-of-two layers included), formats, neuron models, schedules and
seeds. Usage: random_net.py SEED OUT.json. Deterministic in SEED."""
import json
import random
import sys


def fmt(rng, lo_bits, hi_bits, lo_frac, headroom):
    bits = rng.randint(lo_bits, hi_bits)
    frac = rng.randint(lo_frac, max(lo_frac, bits - headroom))
    return {"bits": bits, "frac": frac}


def main():
    seed, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(seed)
    n_hidden = rng.choice([0, 1, 1, 1, 2, 2])
    sizes = [rng.choice([1, 2, 3, 5, 7, 9, 12, 16, 23])]
    sizes += [rng.choice([1, 3, 4, 6, 10, 13, 17]) for _ in range(n_hidden)]
    sizes.append(rng.choice([1, 2, 3, 4, 7, 10]))
    steps = rng.randint(3, 16)
    layers = [{"name": "input", "size": sizes[0]}]
    for idx, n in enumerate(sizes[1:], start=1):
        ly = {"name": "output" if idx == len(sizes) - 1 else "hidden%d" % idx, "size": n,
              "neuron": {"threshold": rng.choice([0.2, 0.3, 0.5]),
                         "decay": rng.choice([0.3, 0.5, 0.8]),
                         "reset": rng.choice(["hard", "soft"]),
                         "refractory": rng.choice([0, 0, 1, 2]),
                         "window": rng.choice([0.2, 0.3, 0.4]),
                         "amplitude": rng.choice([0.5, 1.0])},
              "weight": fmt(rng, 8, 16, 6, 2)}
        if idx < len(sizes) - 1:
            ly["feedback"] = fmt(rng, 8, 16, 3, 2)
        layers.append(ly)
    pot = fmt(rng, 20, 32, 10, 6)
    net = {
        "format": "biograd-net/1",
        "name": "random-%d" % seed,
        "description": "random description %d for the RTL cosimulation regression" % seed,
        "seed": rng.randint(0, 2**32 - 1),
        "layers": layers,
        "input": {"encoding": "rate", "shape": [1, 1, sizes[0]]},
        "time": {"steps": steps, "error_start": rng.randint(0, steps - 1)},
        "fixed_point": {
            "potential": pot,
            "trace": fmt(rng, 16, 32, 8, 4),
            "error": fmt(rng, 16, 32, 8, 7),   # holds ±(F + threshold) <= ±17
            "dendrite": fmt(rng, 32, 64, 12, 12),
        },
        "learning": {"rate": rng.choice([0.001, 0.01, 0.05]), "batch": 1, "mode": "replay",
                     "rounding": rng.choice(["nearest", "stochastic"]),
                     "bias": rng.choice([True, False])},
        "sleep": {"enabled": n_hidden > 0 and rng.choice([True, True, False]),
                  "period": rng.randint(1, 4),
                  "steps": rng.randint(2, 8), "samples": rng.choice([1, 2, 4, 8]),
                  "decay": rng.choice(["oja", "none"])},
    }
    with open(out, "w") as f:
        json.dump(net, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Assemble the rules table (docs/rules.md) from the bgtrain reports that scripts/rules_table.sh
wrote. usage: rules_table_report.py PLAN DIR"""
import json
import os
import sys

LOCALITY = {
    "biograd": "local: traces at the synapse; error as spikes through B; B aligned by a local "
               "Hebbian sleep",
    "bptt": "not local: Wᵀ (weight transport) and the whole sequence kept for the backward pass",
    "ssnn-bp": "coincidence updates local in space and time; gradient spikes through Wᵀ, global "
               "winner-take-all and label",
    "bioleaf": "local: STDP at the synapse gated by its error compartment; error cells one-to-one, "
               "error synapses G (Wᵀ tied, or fixed B)",
}


def sizes(net_path):
    with open(net_path) as f:
        d = json.load(f)
    return [ly["size"] for ly in d["layers"]], d.get("time", {}).get("steps", 20)


def state_values(rule, net_path):
    """Values the rule keeps while it learns one sample, beyond the weights (docs/rules.md)."""
    n, T = sizes(net_path)
    N = sum(n[1:])
    if rule == "biograd":        # replay records g, m per neuron and step; input raster; D; error unit
        return 2 * T * N + T * n[0] + N + 4 * n[-1]
    if rule == "bptt":           # v, s, g, m and λ per neuron and step; input raster
        return 5 * T * N + T * n[0]
    if rule == "ssnn-bp":        # a, f', g per neuron, this step only
        return 3 * N
    if rule == "bioleaf":        # a trace per presynaptic neuron; u±, ρ± per neuron
        return sum(n[:-1]) + 4 * N
    raise ValueError(rule)


def main():
    plan, out = sys.argv[1], sys.argv[2]
    runs = {}
    order = []
    nets = {}
    for line in open(plan):
        rule, setting, path, net, data, ep = line.split()
        rep = os.path.join(out, f"{rule}-{setting}-{path}.json")
        with open(rep) as f:
            r = json.load(f)
        runs[(rule, path, setting)] = (r, int(ep))
        nets[(rule, setting)] = net
        if (rule, path) not in order:
            order.append((rule, path))
    print("| rule | path | MNIST 784-100-10 | MNIST 784-500-100-10 | Fashion 784-100-10 "
          "| synaptic events / sample | samples/s | state kept / sample | update locality |")
    print("|---|---|---|---|---|---|---|---|---|")
    for rule, path in order:
        cells = []
        for setting in ("mnist-small", "mnist-large", "fashion-small"):
            r, ep = runs[(rule, path, setting)]
            cells.append(f"{r['test_accuracy']:.2f} % ({ep} ep)")
        small, _ = runs[(rule, path, "mnist-small")]
        last = small["per_epoch"][-1]
        mem_s = state_values(rule, nets[(rule, "mnist-small")])
        mem_l = state_values(rule, nets[(rule, "mnist-large")])
        print(f"| {rule} | {path} | {' | '.join(cells)} | {last['synops_per_sample']:,.0f} "
              f"| {small['samples_per_second']:,.0f} | {mem_s:,} / {mem_l:,} values "
              f"| {LOCALITY[rule]} |")
    print()
    print("Test accuracy after the epochs shown (validation: the last 10 000 training images, "
          "never trained on); synaptic events (forward accumulations), samples/s and state on "
          "784-100-10 MNIST, state also on 784-500-100-10.")


if __name__ == "__main__":
    main()

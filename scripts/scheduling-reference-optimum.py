#!/usr/bin/env python3
"""An independent optimum of a scheduling problem, with scipy, for the Scheduling tests to compare with.

Reads one problem as JSON on standard input and writes the optimum as JSON on standard output:

    in:  {"slotHours": 1, "prices": [EUR/MWh per slot],
          "devices": [{"kind": "battery" | "one-way_evse" | "two-way_evse", "socAtStart": MWh,
                       "minSOC": MWh, "maxSOC": MWh or null, "capacity": MW,
                       "targets": [{"slot": j, "soc": MWh}],
                       "chargingEfficiency": x, "dischargingEfficiency": x}],
          "siteConnection": {"maxPower": MW or null, "minPower": MW or null, "inflexiblePower": [MW]} or null}
    out: {"milp": {"cost": EUR, "power": [[MW per slot] per device]},
          "lp": {"cost": EUR}}

"milp" forbids charging and discharging a device in the same slot (a binary per device and slot, for
every device and slot); "lp" is the same program without that rule. The formulation is deliberately not
the appliance's: the state of charge is a cumulative sum of the power, not a variable, and HiGHS solves it.
Exits non-zero with a message on standard error when scipy is missing or the problem has no optimum.
"""

import json
import sys

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix


def solve(problem, integral):
    dt = float(problem["slotHours"])
    prices = np.asarray(problem["prices"], dtype=float)
    n = len(prices)
    devices = problem["devices"]
    # Per device: charge[n], discharge[n] (both >= 0, discharge as a magnitude), mode[n] (1 = charging).
    width = 3 * n
    count = width * len(devices)
    cost = np.zeros(count)
    lower = np.zeros(count)
    upper = np.zeros(count)
    integrality = np.zeros(count)
    rows = []
    row_lower = []
    row_upper = []

    for d, device in enumerate(devices):
        base = d * width
        capacity = float(device["capacity"])
        eta_c = float(device.get("chargingEfficiency", 1))
        eta_d = float(device.get("dischargingEfficiency", 1))
        one_way = device["kind"] == "one-way_evse"
        charge = base + np.arange(n)
        discharge = base + n + np.arange(n)
        mode = base + 2 * n + np.arange(n)
        cost[charge] = prices * dt
        cost[discharge] = -prices * dt
        upper[charge] = capacity
        upper[discharge] = 0 if one_way else capacity
        upper[mode] = 1
        if integral:
            integrality[mode] = 1
        for j in range(n):
            # charge <= capacity * mode, discharge <= capacity * (1 - mode)
            rows.append({charge[j]: 1, mode[j]: -capacity})
            row_lower.append(-np.inf)
            row_upper.append(0)
            rows.append({discharge[j]: 1, mode[j]: capacity})
            row_lower.append(-np.inf)
            row_upper.append(capacity)

        # Charging stations: SOC between 0 and the higher of the start and the highest target (reference 7.2.1).
        start = float(device["socAtStart"])
        targets = {int(t["slot"]): float(t["soc"]) for t in device.get("targets", [])}
        if device["kind"] == "battery":
            soc_min = float(device.get("minSOC", 0))
            soc_max = device.get("maxSOC")
            soc_max = np.inf if soc_max is None else float(soc_max)
        else:
            soc_min = 0.0
            soc_max = max([start] + list(targets.values()))
        for j in range(n):
            # soc[j] = start + dt * sum_{k <= j} (eta_c * charge[k] - discharge[k] / eta_d)
            row = {}
            for k in range(j + 1):
                row[charge[k]] = dt * eta_c
                row[discharge[k]] = -dt / eta_d
            if j in targets:
                low = high = targets[j] - start
            else:
                low, high = soc_min - start, soc_max - start
            rows.append(row)
            row_lower.append(low)
            row_upper.append(high)

    site = problem.get("siteConnection")
    if site is not None:
        inflexible = site.get("inflexiblePower") or [0.0] * n
        max_power = site.get("maxPower")
        min_power = site.get("minPower")
        for j in range(n):
            row = {}
            for d in range(len(devices)):
                row[d * width + j] = 1
                row[d * width + n + j] = -1
            rows.append(row)
            row_lower.append(-np.inf if min_power is None else float(min_power) - inflexible[j])
            row_upper.append(np.inf if max_power is None else float(max_power) - inflexible[j])

    matrix = lil_matrix((len(rows), count))
    for r, row in enumerate(rows):
        for column, value in row.items():
            matrix[r, column] = value
    result = milp(
        cost,
        constraints=LinearConstraint(matrix.tocsr(), row_lower, row_upper),
        bounds=Bounds(lower, upper),
        integrality=integrality,
        options={"mip_rel_gap": 1e-9},
    )
    if result.status != 0:
        raise SystemExit(f"scheduling-reference-optimum: no optimum ({'milp' if integral else 'lp'}): {result.message}")
    power = [
        (result.x[d * width : d * width + n] - result.x[d * width + n : d * width + 2 * n]).tolist()
        for d in range(len(devices))
    ]
    return {"cost": float(result.fun), "power": power}


def main():
    problem = json.load(sys.stdin)
    json.dump({"milp": solve(problem, True), "lp": {"cost": solve(problem, False)["cost"]}}, sys.stdout)


if __name__ == "__main__":
    main()

"""How the sample's figures move over time: adoption curves, seasons, platform stages, task completion.

The curves follow the indicator targets of ``reference/indicator_targets.csv`` (some achieved, some not),
so the sample's KPIs land on both sides of the targets.
"""

from __future__ import annotations

# Stage of the national platforms: (platform, first period of the stage, stage)
PLATFORM_PLAN = {
    "radio": (("2023-Q1", "research_proposal"), ("2023-Q3", "formed"), ("2024-Q3", "developing"),
              ("2025-Q4", "completed")),
    "television": (("2023-Q1", "research_proposal"), ("2023-Q4", "formed"), ("2024-Q4", "developing")),
    "epress": (("2023-Q1", "research_proposal"), ("2024-Q2", "formed"), ("2025-Q3", "developing")),
}

# Share of agencies adopting (I1, I2, I3 among >= 2 media types, doing DX, I6 persons, I7 among
# electronic) at period indexes 1 (2023-Q1), 4 (2023-Q4), 8 (2024-Q4), 12 (2025-Q4).
ADOPTION = {
    "I1": (0.22, 0.37, 0.56, 0.685),
    "I2": (0.10, 0.18, 0.315, 0.46),
    "I3": (0.20, 0.335, 0.47, 0.74),
    "DX": (0.45, 0.60, 0.74, 0.86),
    "I6": (0.12, 0.43, 0.66, 0.90),
    "I7": (0.30, 0.455, 0.715, 0.88),
}
SEASON = (1.05, 0.85, 0.95, 0.98, 1.0, 0.98, 0.95, 0.97, 1.0, 1.03, 1.06, 1.15)  # Jan..Dec
_S = sum(SEASON) / 12
SEASON = tuple(s / _S for s in SEASON)


def share(indicator: str, index: int) -> float:
    xs, ys = (1, 4, 8, 12), ADOPTION[indicator]
    if index <= 1:
        return ys[0]
    for k in range(1, len(xs)):
        if index <= xs[k]:
            return ys[k - 1] + (ys[k] - ys[k - 1]) * (index - xs[k - 1]) / (xs[k] - xs[k - 1])
    slope = (ys[3] - ys[2]) / 8  # slower after 2025
    return min(0.985, ys[3] + slope * (index - 12))



# non-annual tasks: year completed (None: still in progress at the end of 2025)
TASK_DONE = {"I.1": 2024, "I.3": 2025, "I.4": 2025, "I.5": 2023, "I.6": 2023, "II.1": None, "II.8": 2024,
             "II.9": 2025, "III.1": 2023, "III.2": 2025, "III.3": None, "III.4": None, "III.6": 2023,
             "III.9": 2023, "V.1": 2025, "V.2": 2023, "V.3": 2025, "VI.1": 2023}
TASK_OUTPUT = {("II.2", 2023): 4, ("II.2", 2024): 3, ("II.2", 2025): 5, ("II.3", 2023): 3,
               ("II.3", 2024): 2, ("II.3", 2025): 4, ("III.10", 2023): 1, ("III.10", 2024): 1,
               ("III.10", 2025): 2, ("V.1", 2023): 1, ("V.1", 2024): 2, ("V.1", 2025): 3}


"""The side-by-side table reads the two harnesses' result files as they write them."""

from __future__ import annotations

from bench.side_by_side import ratio, table

DOCCANO = {
    "init_s": 7.8,
    "startup_s": 3.0,
    "steps": {
        "import": {"median_wall_s": 16.7},
        "export": {"JSONL": {"median_wall_s": 8.6}},
        "get_example_and_spans": {"median_p50_ms": 17.4, "median_p95_ms": 20.7},
        "post_annotation": {"median_p50_ms": 16.9, "median_p95_ms": 18.8},
        "post_annotation_concurrent": {"median_throughput_rps": 86.5},
    },
}
OURS = {
    "fresh_start_s": 0.8,
    "steps": {
        "import": {"median_wall_s": 1.6},
        "export": {"native": {"median_wall_s": 0.7}},
        "get_task": {"median_p50_ms": 1.9, "median_p95_ms": 2.2},
        "post_annotation": {"median_p50_ms": 3.0, "median_p95_ms": 4.0},
        "post_annotation_concurrent": {"median_throughput_rps": 300.0},
    },
}


def test_times_are_compared_as_doccano_over_ours_and_rates_the_other_way() -> None:
    assert ratio(16.7, 1.67, higher_is_better=False) == 10.0
    assert ratio(86.5, 432.5, higher_is_better=True) == 5.0
    assert ratio(None, 1.0, higher_is_better=False) is None


def test_each_measure_says_whether_its_target_is_met() -> None:
    rows = {line.split("  ")[0].strip(): line for line in table(DOCCANO, OURS)[1:]}

    assert rows["import with annotations, s"].endswith("met")
    assert rows["saves per second, 8 clients"].rstrip().endswith("MISSED")  # 3.5x < 5x
    assert rows["fresh start to the first page, s"].endswith("met")
    assert "10.44x" in rows["import with annotations, s"]

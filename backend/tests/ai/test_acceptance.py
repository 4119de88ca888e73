"""Whether a retrained intent model may replace the serving one: the number the reply gate trusts
must not come to mean less (issue #19, point 4)."""

from mancrel.ai import acceptance

SERVING = {"calibration_cross_validated": True, "rows": 1627, "ece": 0.05, "precision": 0.99,
           "coverage": 0.3, "accuracy": 0.88, "threshold": 0.9}


def test_a_retrain_whose_precision_at_090_falls_beyond_the_noise_is_refused():
    refused = acceptance.refusal(SERVING | {"precision": 0.95}, SERVING)
    assert refused is not None and refused["reasons"][0].startswith("precision at 0.90 0.9500")
    assert refused["serving"]["precision"] == 0.99 and refused["new"]["precision"] == 0.95


def test_a_retrain_whose_calibration_got_worse_is_refused():
    refused = acceptance.refusal(SERVING | {"ece": 0.08}, SERVING)
    assert refused is not None and refused["reasons"] == ["ECE 0.0800 against 0.0500 for the serving model"]


def test_a_retrain_within_the_noise_of_the_serving_figures_is_accepted():
    # ~490 rows sent on at 99%: a fall of 0.3 points is within one standard error.
    assert acceptance.refusal(SERVING | {"precision": 0.987, "ece": 0.055}, SERVING) is None
    # A model that sends nothing on (a small set whose bound never reached the target) says
    # nothing wrong at 0.90: it is not refused for it.
    assert acceptance.refusal(SERVING | {"precision": 1.0, "coverage": 0.0}, SERVING) is None


def test_a_serving_model_judged_the_flattering_way_is_no_yardstick():
    assert acceptance.refusal(SERVING | {"precision": 0.9}, SERVING | {"calibration_cross_validated": False}) is None

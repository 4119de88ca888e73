"""Whether a retrained intent model may replace the serving one (issue #19, point 4).

The reply gate sends a message on without a human at confidence 0.90, so a retrain (from
corrections, say) must not make that number mean less. Both models' figures are out of fold with
a cross-validated calibration (`classifier.calibrated(..., assess=True)`): no fitting step saw
the rows they are judged on. The new model is refused when its ECE or its precision at 0.90 is
worse than the serving model's by more than the noise of that estimate.
"""

import math

# ECE over 1,600-4,200 shipped rows (15 bins) has a sampling noise up to about this much; a smaller rise is
# not evidence of worse calibration.
ECE_TOLERANCE = 0.01
# Precision at 0.90 is a share of the rows sent on: a fall within one standard error of the serving
# model's estimate (Agresti-Coull, so 100% of a few hundred rows still has an error; at least this
# much) is noise.
MIN_PRECISION_TOLERANCE = 0.002


def refusal(new: dict, serving: dict) -> dict | None:
    """Why `new` (a held-out report) must not replace `serving`, or None when it may. A serving
    model judged the older, flattering way (calibration scored on the rows it was fitted on) is
    not a fair yardstick: it is replaced."""
    if not serving.get("calibration_cross_validated"):
        return None
    reasons = []
    if "ece" in serving and new["ece"] > serving["ece"] + ECE_TOLERANCE:
        reasons.append(f"ECE {new['ece']:.4f} against {serving['ece']:.4f} for the serving model")
    if "precision" in serving:
        sent = serving.get("coverage", 0.0) * serving.get("rows", 0)
        p = serving["precision"]
        smoothed = (p * sent + 2) / (sent + 4)
        noise = math.sqrt(smoothed * (1 - smoothed) / sent) if sent else 0.0
        if new["precision"] < p - max(noise, MIN_PRECISION_TOLERANCE):
            reasons.append(f"precision at {new.get('threshold', 0.9):.2f} {new['precision']:.4f} against "
                           f"{p:.4f} for the serving model")
    if not reasons:
        return None
    return {"reasons": reasons, "new": {k: new.get(k) for k in ("ece", "precision", "coverage", "accuracy")},
            "serving": {k: serving.get(k) for k in ("ece", "precision", "coverage", "accuracy")}}

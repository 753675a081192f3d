"""Shared fixtures: the numbers fairfit's Rust API computed on fixed data
(``tests/cross_check.rs`` writes them to ``tests/fixtures/``)."""

import json
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def rust():
    """The Rust side's numbers and the data they were computed on."""
    doc = json.loads((FIXTURES / "estimators.json").read_text())
    doc["x"] = np.asarray(doc["x"], dtype=np.float64)
    doc["y"] = np.asarray(doc["y"], dtype=np.float64)
    doc["y_real"] = np.asarray(doc["y_real"], dtype=np.float64)
    doc["group"] = np.asarray(doc["group"])
    doc["weights"] = np.asarray(doc["weights"], dtype=np.float64)
    return doc

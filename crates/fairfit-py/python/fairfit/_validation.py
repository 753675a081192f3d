"""Input conversion shared by the estimators: data frames (pandas, Polars) and array-likes to
float64 numpy arrays, and sensitive features to the (name, levels, codes) columns the native
module reads."""

import numpy as np


def _is_polars(obj):
    return type(obj).__module__.split(".")[0] == "polars"


def to_numpy_frame(X):
    """A Polars frame or series as numpy (pandas and array-likes pass through to sklearn)."""
    if _is_polars(X):
        return X.to_numpy()
    return X


def _columns(sensitive_features):
    """(name, values) per sensitive column of a 1-D or 2-D array-like, a pandas or Polars
    object, or a dict of name -> values."""
    sf = sensitive_features
    if isinstance(sf, dict):
        return [(str(k), np.asarray(v)) for k, v in sf.items()]
    if _is_polars(sf):
        if hasattr(sf, "columns"):  # DataFrame
            return [(str(c), sf[c].to_numpy()) for c in sf.columns]
        return [(str(sf.name) if sf.name else "sensitive_feature_0", sf.to_numpy())]
    if hasattr(sf, "columns") and hasattr(sf, "iloc"):  # pandas DataFrame
        return [(str(c), sf[c].to_numpy()) for c in sf.columns]
    if hasattr(sf, "iloc"):  # pandas Series
        name = sf.name if sf.name is not None else "sensitive_feature_0"
        return [(str(name), sf.to_numpy())]
    arr = np.asarray(sf)
    if arr.ndim == 1:
        return [("sensitive_feature_0", arr)]
    if arr.ndim == 2:
        return [(f"sensitive_feature_{j}", arr[:, j]) for j in range(arr.shape[1])]
    raise ValueError(
        f"sensitive_features must be 1-D or 2-D, got an array of {arr.ndim} dimensions"
    )


def _original_columns(sf):
    """(name, column) per sensitive column, each column as the user passed it (a pandas or
    Polars Series keeps its dtype), and how to put columns back together in the same kind."""
    if isinstance(sf, dict):
        cols = [(str(k), v if hasattr(v, "iloc") or _is_polars(v) else np.asarray(v))
                for k, v in sf.items()]
        return cols, lambda taken: dict(taken)
    if _is_polars(sf):
        import polars as pl

        if hasattr(sf, "columns"):
            return ([(str(c), sf[c]) for c in sf.columns],
                    lambda taken: pl.DataFrame([col for _, col in taken]))
        return [(sf.name, sf)], lambda taken: taken[0][1]
    if hasattr(sf, "columns") and hasattr(sf, "iloc"):
        import pandas as pd

        return ([(c, sf[c]) for c in sf.columns],
                lambda taken: pd.DataFrame({name: col for name, col in taken}))
    if hasattr(sf, "iloc"):
        return [(sf.name, sf)], lambda taken: taken[0][1]
    arr = np.asarray(sf)
    if arr.ndim == 2:
        return ([(j, arr[:, j]) for j in range(arr.shape[1])],
                lambda taken: np.column_stack([col for _, col in taken]))
    return [(None, arr)], lambda taken: taken[0][1]


def _take(column, rows):
    if hasattr(column, "iloc"):
        return column.iloc[rows].reset_index(drop=True)
    if _is_polars(column):
        return column.gather(rows)
    return column[rows]


def sensitive_like(sensitive_features, out_columns):
    """Sensitive columns coming back from fairfit (name, levels, codes per column, in the
    order they went in) in the kind and dtype the user passed: each value is taken from a row
    of the user's own column with the same level, so ints stay ints and pandas categoricals
    keep their categories."""
    originals, assemble = _original_columns(sensitive_features)
    taken = []
    for (key, column), (_, levels, codes) in zip(originals, out_columns):
        text = np.asarray(column.to_numpy() if hasattr(column, "to_numpy") else column)
        seen, first = np.unique(text.astype(str), return_index=True)
        row_of = dict(zip(seen.tolist(), first.tolist()))
        missing = [level for level in levels if level not in row_of]
        if missing:
            raise ValueError(f"fairfit returned level(s) {missing} the input did not have")
        rows = np.asarray([row_of[level] for level in levels], dtype=np.int64)
        taken.append((key, _take(column, rows[np.asarray(codes, dtype=np.int64)])))
    return assemble(taken)


def sensitive_columns(sensitive_features, n_rows, required=True):
    """The sensitive columns as (name, levels, codes): levels sorted, codes int64. `None` is
    an error when `required`, else one group holding every row."""
    if sensitive_features is None:
        if required:
            raise ValueError(
                "sensitive_features is required: pass the sensitive attribute of every row "
                "(an array, a pandas or Polars Series or DataFrame, or a dict of columns)"
            )
        return [("all", ["all"], np.zeros(n_rows, dtype=np.int64))]
    out = []
    for name, values in _columns(sensitive_features):
        values = np.asarray(values)
        if values.ndim != 1:
            raise ValueError(f"sensitive feature `{name}` must be one value per row")
        if len(values) != n_rows:
            raise ValueError(
                f"sensitive feature `{name}` has {len(values)} rows, expected {n_rows}"
            )
        if values.dtype.kind == "f" and np.isnan(values).any():
            raise ValueError(f"sensitive feature `{name}` has missing values")
        if values.dtype == object and any(v is None for v in values):
            raise ValueError(f"sensitive feature `{name}` has missing values")
        text = values.astype(str)
        levels, codes = np.unique(text, return_inverse=True)
        out.append((name, [str(level) for level in levels], codes.astype(np.int64).ravel()))
    if not out:
        raise ValueError("sensitive_features has no column")
    return out


def float_vector(values, name, n_rows=None):
    """A 1-D float64 array (Polars and pandas accepted), checked for length."""
    if values is None:
        return None
    arr = np.ascontiguousarray(np.asarray(to_numpy_frame(values), dtype=np.float64)).ravel()
    if n_rows is not None and len(arr) != n_rows:
        raise ValueError(f"{name} has {len(arr)} rows, expected {n_rows}")
    return arr


def sample_weights(sample_weight, n_rows):
    """Sample weights as float64 (None stays None), checked for length and sign."""
    w = float_vector(sample_weight, "sample_weight", n_rows)
    if w is not None and (not np.all(np.isfinite(w)) or (w < 0).any()):
        raise ValueError("sample_weight must be finite and non-negative")
    return w

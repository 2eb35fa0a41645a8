"""Topic similarity: TF-IDF profiles over topics, keywords and capacities, and cosine.

An organisation's profile counts the topics of its projects (euroSciVoc fields and
keywords) and the topics its capacities cover. TF-IDF (sublinear term frequency,
smoothed inverse document frequency, rows scaled to unit length) keeps "engineering
and technology", which half the organisations share, from outweighing a rare shared
topic such as "virtual production".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = [
    "TfIdf",
    "tfidf",
    "topic_similarity",
    "cosine_scores",
    "shared_terms",
    "tokens",
]

# A few function words in Lotura's four languages; the rest of the text is kept.
_STOP = frozenset(
    """
    and the for with from into that this are our their about of in on to by or as at an be is we
    los las del para con por una unos unas que sus como entre sobre desde hacia
    les des pour avec dans par une sur aux est sont leur leurs entre vers
    eta edo bat da dira bere baina
    """.split()
)
_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-case, accent-free words of ``text``, without short and function words.

    >>> tokens("Producción audiovisual y realidad virtual, for the green transition")
    ['produccion', 'audiovisual', 'realidad', 'virtual', 'green', 'transition']
    """
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    return [w for w in _WORD.findall(plain) if len(w) >= 3 and w not in _STOP]


@dataclass(frozen=True, eq=False)
class TfIdf:
    """Unit-length TF-IDF rows (``matrix``) and the ``idf`` of each column."""

    matrix: sp.csr_array
    idf: np.ndarray

    def vector(self, counts: Mapping[int, float]) -> np.ndarray:
        """The unit-length TF-IDF vector of a query given as ``{column: count}``."""
        v = np.zeros(self.matrix.shape[1], dtype=np.float64)
        for j, c in counts.items():
            if c > 0:
                v[j] = (1.0 + math.log(c)) * self.idf[j]
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v


def tfidf(counts: sp.csr_array | sp.csr_matrix) -> TfIdf:
    """TF-IDF of a documents × terms count matrix.

    ``tf = 1 + log(count)``, ``idf = log((1 + n) / (1 + df)) + 1``, rows unit length.

    Parameters
    ----------
    counts : scipy.sparse matrix
        Non-negative counts, one row a document (an organisation), one column a term.

    Returns
    -------
    TfIdf

    Examples
    --------
    >>> m = sp.csr_array(np.array([[1, 1], [1, 0], [1, 0]], dtype=float))
    >>> t = tfidf(m)
    >>> t.idf.round(3).tolist()
    [1.0, 1.693]
    >>> t.matrix.toarray().round(3).tolist()
    [[0.509, 0.861], [1.0, 0.0], [1.0, 0.0]]
    """
    m = sp.csr_array(counts, dtype=np.float64)
    n = m.shape[0]
    df = np.bincount(m.indices, minlength=m.shape[1]).astype(np.float64)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    w = m.copy()
    w.data = 1.0 + np.log(np.maximum(w.data, 1e-12))
    w = sp.csr_array(w @ sp.diags_array(idf))
    norms = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    w = sp.csr_array(sp.diags_array(1.0 / norms) @ w)
    return TfIdf(w, idf)


def cosine_scores(model: TfIdf, query: np.ndarray) -> np.ndarray:
    """Cosine of the unit-length ``query`` with every row of ``model``.

    >>> t = tfidf(sp.csr_array(np.array([[1, 0], [0, 1]], dtype=float)))
    >>> cosine_scores(t, t.vector({0: 1})).tolist()
    [1.0, 0.0]
    """
    return np.asarray(model.matrix @ query).ravel()


def shared_terms(model: TfIdf, query: np.ndarray, row: int, k: int = 3) -> list[int]:
    """The ``k`` columns that contribute most to the cosine of ``query`` with ``row``.

    >>> t = tfidf(sp.csr_array(np.array([[2, 1, 0], [1, 1, 1]], dtype=float)))
    >>> shared_terms(t, t.matrix[[0], :].toarray().ravel(), 1)
    [0, 1]
    """
    lo, hi = model.matrix.indptr[row], model.matrix.indptr[row + 1]
    cols = model.matrix.indices[lo:hi]
    contrib = model.matrix.data[lo:hi] * query[cols]
    order = sorted(
        (i for i in range(len(cols)) if contrib[i] > 0), key=lambda i: (-contrib[i], int(cols[i]))
    )
    return [int(cols[i]) for i in order[:k]]


def topic_similarity(
    profiles: Mapping[Hashable, Mapping[Hashable, float]], source: Hashable | Mapping[Hashable, float]
) -> dict[Hashable, float]:
    """TF-IDF cosine similarity of one profile with every profile.

    Parameters
    ----------
    profiles : mapping node -> {term: count}
        The topics (or keywords, or capacity topics) of each node, with counts.
    source : node or mapping term -> count
        A node of ``profiles``, or a profile of its own (a newcomer's described need).

    Returns
    -------
    dict node -> similarity in [0, 1] (the source node itself excluded)

    Examples
    --------
    >>> p = {"a": {"film": 2, "ai": 1}, "b": {"film": 1}, "c": {"ai": 1, "health": 3}}
    >>> {k: round(v, 2) for k, v in topic_similarity(p, "a").items()}
    {'b': 0.86, 'c': 0.17}
    >>> {k: round(v, 2) for k, v in topic_similarity(p, {"health": 1}).items()}
    {'a': 0.0, 'b': 0.0, 'c': 0.94}
    """
    nodes = list(profiles)
    terms: dict[Hashable, int] = {}
    rows, cols, vals = [], [], []
    for i, n in enumerate(nodes):
        for t, c in profiles[n].items():
            rows.append(i)
            cols.append(terms.setdefault(t, len(terms)))
            vals.append(float(c))
    query_profile = profiles[source] if not isinstance(source, Mapping) else source
    for t in query_profile:
        terms.setdefault(t, len(terms))
    m = sp.csr_array((vals, (rows, cols)), shape=(len(nodes), len(terms)))
    model = tfidf(m)
    q = model.vector({terms[t]: float(c) for t, c in query_profile.items()})
    scores = cosine_scores(model, q)
    return {n: float(scores[i]) for i, n in enumerate(nodes) if isinstance(source, Mapping) or n != source}

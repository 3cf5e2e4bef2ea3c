"""Which of tied elements torch's CPU sort and topk put where.

torch's kernels put (value, index) pairs in a vector and run libstdc++'s algorithms on it with a
comparator of values only (nan counts as the largest): sort(stable=False) is ``std::sort``
(introsort: unstable past 16 elements), topk is ``nth_element`` then ``sort`` of the first k-1
pairs, or ``partial_sort`` when k·64 <= n. Between equal values the order is whatever those
algorithms leave, not the input order; this module replays them step for step (the same
comparisons and swaps), so the indices are torch's. Rows without ties have one answer, which
numpy's stable argsort gives much faster: only rows with ties (and topk's sorted=False) come here.
"""

from __future__ import annotations

import math

import numpy as np

_THRESHOLD = 16  # libstdc++'s _S_threshold: introsort leaves runs this short to insertion sort
# replaying costs ~7 µs an element: past this many elements in rows with ties, numpy's stable
# order stands (ties may then differ from torch's; values and their gradients do not)
LIMIT = 1 << 14


def _less(largest):
    """torch's comparator: x before y."""
    if largest:
        return lambda x, y: (x != x and y == y) or x > y
    return lambda x, y: (x == x and y != y) or x < y


class _Selection:
    """libstdc++'s algorithms over one row: ``v`` the values, ``ix`` the indices, moved together."""

    def __init__(self, values, largest):
        self.v = list(values)
        self.ix = list(range(len(self.v)))
        self.less = _less(largest)

    def comp(self, i, j):
        return self.less(self.v[i], self.v[j])

    def swap(self, i, j):
        self.v[i], self.v[j] = self.v[j], self.v[i]
        self.ix[i], self.ix[j] = self.ix[j], self.ix[i]

    def get(self, i):
        return self.v[i], self.ix[i]

    def put(self, i, item):
        self.v[i], self.ix[i] = item

    # -- partitioning ----------------------------------------------------------------------

    def move_median_to_first(self, result, a, b, c):
        if self.comp(a, b):
            if self.comp(b, c):
                self.swap(result, b)
            elif self.comp(a, c):
                self.swap(result, c)
            else:
                self.swap(result, a)
        elif self.comp(a, c):
            self.swap(result, a)
        elif self.comp(b, c):
            self.swap(result, c)
        else:
            self.swap(result, b)

    def unguarded_partition(self, first, last, pivot):
        while True:
            while self.comp(first, pivot):
                first += 1
            last -= 1
            while self.comp(pivot, last):
                last -= 1
            if not first < last:
                return first
            self.swap(first, last)
            first += 1

    def partition_pivot(self, first, last):
        mid = first + (last - first) // 2
        self.move_median_to_first(first, first + 1, mid, last - 1)
        return self.unguarded_partition(first + 1, last, first)

    # -- insertion sort --------------------------------------------------------------------

    def linear_insert(self, last):
        item = self.get(last)
        nxt = last - 1
        while self.less(item[0], self.v[nxt]):
            self.put(last, self.get(nxt))
            last = nxt
            nxt -= 1
        self.put(last, item)

    def insertion_sort(self, first, last):
        for i in range(first + 1, last):
            if self.comp(i, first):
                item = self.get(i)
                for j in range(i, first, -1):
                    self.put(j, self.get(j - 1))
                self.put(first, item)
            else:
                self.linear_insert(i)

    # -- heaps -----------------------------------------------------------------------------

    def push_heap(self, first, hole, top, item):
        parent = (hole - 1) // 2
        while hole > top and self.less(self.v[first + parent], item[0]):
            self.put(first + hole, self.get(first + parent))
            hole = parent
            parent = (hole - 1) // 2
        self.put(first + hole, item)

    def adjust_heap(self, first, hole, length, item):
        top = second = hole
        while second < (length - 1) // 2:
            second = 2 * (second + 1)
            if self.comp(first + second, first + second - 1):
                second -= 1
            self.put(first + hole, self.get(first + second))
            hole = second
        if length % 2 == 0 and second == (length - 2) // 2:
            second = 2 * (second + 1)
            self.put(first + hole, self.get(first + second - 1))
            hole = second - 1
        self.push_heap(first, hole, top, item)

    def make_heap(self, first, last):
        length = last - first
        if length < 2:
            return
        parent = (length - 2) // 2
        while True:
            self.adjust_heap(first, parent, length, self.get(first + parent))
            if parent == 0:
                return
            parent -= 1

    def pop_heap(self, first, last, result):
        item = self.get(result)
        self.put(result, self.get(first))
        self.adjust_heap(first, 0, last - first, item)

    def heap_select(self, first, middle, last):
        self.make_heap(first, middle)
        for i in range(middle, last):
            if self.comp(i, first):
                self.pop_heap(first, middle, i)

    def sort_heap(self, first, last):
        while last - first > 1:
            last -= 1
            self.pop_heap(first, last, last)

    # -- the algorithms torch calls ----------------------------------------------------------

    def partial_sort(self, first, middle, last):
        self.heap_select(first, middle, last)
        self.sort_heap(first, middle)

    def nth_element(self, first, nth, last):
        if first == last or nth == last:
            return
        depth = 2 * int(math.log2(last - first))
        while last - first > 3:
            if depth == 0:
                self.heap_select(first, nth + 1, last)
                self.swap(first, nth)
                return
            depth -= 1
            cut = self.partition_pivot(first, last)
            if cut <= nth:
                first = cut
            else:
                last = cut
        self.insertion_sort(first, last)

    def introsort_loop(self, first, last, depth):
        while last - first > _THRESHOLD:
            if depth == 0:
                self.partial_sort(first, last, last)
                return
            depth -= 1
            cut = self.partition_pivot(first, last)
            self.introsort_loop(cut, last, depth)
            last = cut

    def sort(self, first, last):
        if last - first < 2:
            return
        self.introsort_loop(first, last, 2 * int(math.log2(last - first)))
        if last - first > _THRESHOLD:
            self.insertion_sort(first, first + _THRESHOLD)
            for i in range(first + _THRESHOLD, last):
                self.linear_insert(i)
        else:
            self.insertion_sort(first, last)


def _row_topk(values, k, largest, sorted):
    s = _Selection(values, largest)
    n = len(s.v)
    if k * 64 <= n:
        s.partial_sort(0, k, n)
    else:
        s.nth_element(0, k - 1, n)
        if sorted:
            s.sort(0, k - 1)
    return s.ix[:k]


def _has_ties(rows):
    """Per row (last axis): two values equal (±0 included) or two nans."""
    srt = np.sort(rows, axis=-1)
    with np.errstate(invalid="ignore"):
        same = (srt[..., 1:] == srt[..., :-1]) | (np.isnan(srt[..., 1:]) & np.isnan(srt[..., :-1]))
    return same.any(axis=-1)


def _rows(d, order, axis, redo_row, every_row=False):
    """``order`` (along ``axis``) with the rows of ``d`` that have ties (or all) recomputed."""
    rows = np.moveaxis(d, axis, -1)
    out = np.moveaxis(order, axis, -1).copy()
    flat_rows, flat_out = rows.reshape(-1, rows.shape[-1]), out.reshape(-1, out.shape[-1])
    which = np.arange(len(flat_rows)) if every_row else np.flatnonzero(_has_ties(flat_rows))
    if len(which) * flat_rows.shape[-1] > LIMIT:
        return order
    for r in which:
        flat_out[r] = redo_row(flat_rows[r].tolist())
    return np.moveaxis(flat_out.reshape(out.shape), -1, axis)


def sort_indices(d, axis, descending, stable_order):
    """torch's sort(stable=False) order of ``d`` along ``axis``; ``stable_order(d, axis)`` is the
    order for rows without ties (and all rows of up to 16, where introsort is insertion sort)."""
    order = stable_order(d, axis)
    if d.shape[axis] <= _THRESHOLD:
        return order

    def row_sort(values):
        s = _Selection(values, descending)
        s.sort(0, len(s.v))
        return s.ix
    return _rows(d, order, axis, row_sort)


def topk_indices(d, k, axis, largest, sorted, stable_order):
    """torch's topk indices of ``d`` along ``axis``; ``stable_order(d, axis)`` is the order
    (first k taken) for rows without ties."""
    order = np.take(stable_order(d, axis), np.arange(k), axis=axis)
    if k == 0 or d.shape[axis] < 2:
        return order
    return _rows(d, order, axis, lambda values: _row_topk(values, k, largest, sorted), every_row=not sorted)

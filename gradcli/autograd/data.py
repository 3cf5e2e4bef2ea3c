"""torch.utils.data's TensorDataset and DataLoader, as tutorials use them: a dataset of
equally long tensors, and mini-batches of it in order (or in gradcli's random order with
``shuffle=True``: gradcli's generator is not torch's), collated as torch's default_collate does."""

from __future__ import annotations

import math

from .tensor import Tensor


class Dataset:
    """The base class of map-style datasets."""

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")


class TensorDataset(Dataset):
    """Sample ``i`` is the tuple of each tensor's row ``i``."""

    def __init__(self, *tensors):
        for t in tensors:
            if not isinstance(t, Tensor):
                raise AttributeError(f"'{type(t).__name__}' object has no attribute 'size'")
        if tensors and any(tensors[0].size(0) != t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)


def default_collate(batch):
    """Samples into one batch: tensors stacked along a new dim 0, Python floats into a float64
    tensor and ints (bools) into an int64 (bool) one, tuples and lists element by element (as a
    list), dicts by key."""
    from . import creation, dtypes
    from .ops.joins import stack
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch), 0)
    if isinstance(elem, float):
        return creation.tensor(list(batch), dtype=dtypes.float64)
    if isinstance(elem, int):
        return creation.tensor(list(batch))
    if isinstance(elem, str):
        return list(batch)
    if isinstance(elem, dict):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, (tuple, list)):
        if any(len(s) != len(elem) for s in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(samples)) for samples in zip(*batch)]
    raise TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
                    f"found {type(elem)}")


class DataLoader:
    """Batches of ``batch_size`` samples of ``dataset``, the last one shorter unless
    ``drop_last``; ``batch_size=None`` gives the samples one by one, unbatched."""

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, generator=None, **kwargs):
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int)
                                       or batch_size <= 0):
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = drop_last
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if batch_size is not None else (lambda sample: sample))
        self.generator = generator

    def _order(self) -> list:
        n = len(self.dataset)
        if not self.shuffle:
            return list(range(n))
        from .random import randperm
        return randperm(n, generator=self.generator).tolist()

    def __iter__(self):
        order = self._order()
        if self.batch_size is None:
            for i in order:
                yield self.collate_fn(self.dataset[i])
            return
        size = self.batch_size
        for start in range(0, len(order), size):
            indices = order[start:start + size]
            if len(indices) < size and self.drop_last:
                return
            yield self.collate_fn([self.dataset[i] for i in indices])

    def __len__(self):
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)


def random_split(dataset, lengths, generator=None):
    """The dataset cut into Subsets of the given lengths (or fractions), in gradcli's random order."""
    from .random import randperm
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = [int(math.floor(n * frac)) for frac in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = randperm(n, generator=generator).tolist()
    subsets, start = [], 0
    for length in lengths:
        subsets.append(Subset(dataset, order[start:start + length]))
        start += length
    return subsets


class Subset(Dataset):
    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        return self.dataset[self.indices[idx]]

    def __len__(self):
        return len(self.indices)

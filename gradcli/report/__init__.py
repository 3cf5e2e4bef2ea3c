"""Plain data built from a finished run: leaves, named intermediates, unnamed nodes.

No printing and no Rich here: renderers in ``gradcli.render`` turn a :class:`Report`
into a table, JSON, CSV or plain text.
"""

from .model import Report, TensorRow  # noqa: F401

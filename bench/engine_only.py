"""Run a workload as plain CPython with gradcli's engine standing in for torch.

    python bench/engine_only.py FILE

A diagnostic, not a product path: it skips the gradcli interpreter and CLI entirely, so
(gradcli run FILE) − (engine_only FILE) is what the language layer costs, and
(engine_only FILE) − (numpy floor) is what the engine and op dispatch cost.
"""

import runpy
import sys

from gradcli.autograd import build_torch_module

torch = build_torch_module()
sys.modules["torch"] = torch
for name in ("nn", "autograd", "optim"):
    sys.modules[f"torch.{name}"] = getattr(torch, name)
runpy.run_path(sys.argv[1], run_name="__main__")

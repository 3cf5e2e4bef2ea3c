"""The options every command shares, declared once (Typer reads them from annotations)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

PROGRAM = "Program"
LIMITS = "Limits"
OUTPUT = "Output"


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    plain = "plain"


class DType(str, Enum):
    float32 = "float32"
    float64 = "float64"


File = Annotated[Optional[str], typer.Argument(
    metavar="FILE", show_default=False,
    help="The program to run, or '-' to read it from standard input.")]
Expr = Annotated[Optional[str], typer.Option(
    "--expr", "-e", metavar="EXPRESSION", rich_help_panel=PROGRAM,
    help="A one-line program instead of FILE; bare torch names work (sin(x) * y) and "
         "every --set name is a float leaf that requires grad.")]
Set = Annotated[Optional[list[str]], typer.Option(
    "--set", metavar="NAME=VALUE", rich_help_panel=PROGRAM,
    help="Bind or override a top-level name before the program runs: 3, [1, 2, 3], "
         "@x.npy, @w.npz:name, @x.csv. Repeatable.")]
DTypeOpt = Annotated[Optional[DType], typer.Option(
    "--dtype", rich_help_panel=PROGRAM, case_sensitive=False,
    help="Default dtype of float literals and factories (torch.set_default_dtype). [default: float32]")]
MaxSteps = Annotated[Optional[int], typer.Option(
    "--max-steps", metavar="N", min=1, rich_help_panel=LIMITS,
    help="Stop the program after N interpreter steps.")]
MaxElements = Annotated[Optional[int], typer.Option(
    "--max-elements", metavar="N", min=1, rich_help_panel=LIMITS,
    help="Refuse to create a tensor of more than N elements.")]
Timeout = Annotated[Optional[float], typer.Option(
    "--timeout", metavar="SECONDS", min=0.001, rich_help_panel=LIMITS,
    help="Stop the command after SECONDS seconds.")]
Debug = Annotated[bool, typer.Option(
    "--debug", rich_help_panel=LIMITS,
    help="Show the Python traceback of an internal error.")]
FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", rich_help_panel=OUTPUT, case_sensitive=False,
    help="table (Rich; 100 columns when not a terminal), json, csv (one row per element) "
         "or plain (NAME<TAB>g1 g2 ...).")]
SaveGrads = Annotated[Optional[str], typer.Option(
    "--save-grads", metavar="OUT.npz", rich_help_panel=OUTPUT,
    help="Also write every leaf's gradient (grad: every input's) to a numpy .npz file.")]
AllNodes = Annotated[bool, typer.Option(
    "--all-nodes", rich_help_panel=OUTPUT,
    help="Also list the unnamed intermediate nodes, by op and source position.")]
Of = Annotated[Optional[list[str]], typer.Option(
    "--of", metavar="NAME",
    help="The tensor to differentiate. Repeatable. [default: the last tensor the program "
         "assigned; with -e, the expression]")]
RetainGraph = Annotated[bool, typer.Option(
    "--retain-graph", help="Keep the graph after the pass (retain_graph=True).")]
CreateGraph = Annotated[bool, typer.Option(
    "--create-graph", help="Record the pass itself, for higher derivatives (create_graph=True).")]
DetectAnomaly = Annotated[bool, typer.Option(
    "--detect-anomaly", help="Report the first NaN or infinity, forward or backward: the source "
                             "line, the grad_fn and the rule that produced it.")]

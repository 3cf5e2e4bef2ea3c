"""The command line (Typer): ``gradcli run|backward|forward|grad``."""

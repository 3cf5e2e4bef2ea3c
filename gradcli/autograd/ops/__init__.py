"""The op table: one module per family; each op is its forward beside its ``defop`` backward."""

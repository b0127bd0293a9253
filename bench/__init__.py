"""National-scale benchmark: a deterministic corpus generator and a side-by-side build harness.

``python -m bench.run --releases N`` (or ``make bench N=…``) generates N synthetic releases over
the real region registry and builds them with our generator, Hugo and Material's blog plugin.
"""

"""Generator of the integrated national information portal (MkDocs + Material).

Pipeline: ``regions`` → ``releases`` (with ``markup``) → ``model`` → ``pages`` → ``feeds`` →
``search`` → ``writer``. ``plugin`` adapts it to MkDocs; ``cli`` exposes it as ``portal``.
"""

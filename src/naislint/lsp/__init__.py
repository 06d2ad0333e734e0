"""The naislint language server (``naislint server``).

Only :mod:`naislint.lsp.server` imports pygls, and only ``naislint server`` imports it;
``positions``, ``actions`` and ``session`` are plain Python and tested on their own.
"""

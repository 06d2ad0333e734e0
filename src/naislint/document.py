"""The old import path of the page model, kept for plugins for one release.

Plugins written for naislint 0.1 import ``Document`` from here; the page model now lives
in :mod:`naislint.page.document`. New code imports it from there.
"""

from naislint.page.document import Document, Source, UnreadableFile, read_bytes

__all__ = ["Document", "Source", "UnreadableFile", "read_bytes"]

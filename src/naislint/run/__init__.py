"""Whole runs over a site: linting, fixing, and moving pages (:mod:`.move`)."""

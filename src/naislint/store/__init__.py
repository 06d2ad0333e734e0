"""What naislint keeps on disk between runs, at the bottom of the layers: the cache
folder's safety rules (``folder``) and the stamps and digests that say whether a file
changed (``stamps``). The results cache (``run.cache``), the site facts cache and the
external-link cache are built on these."""

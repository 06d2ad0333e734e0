"""Run a Ruby test driver over many documents in a few processes side by side.

The oracle tests render thousands of pages with real kramdown; one Ruby process per page
would spend minutes starting Ruby, and one process for all of them would use one core.
Each driver reads a JSON array of documents on stdin and writes a JSON array of results.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path


def run_batched(driver: Path, docs: list[str], timeout: float, workers: int = 2) -> list:
    """The driver's result for every document, in order, from ``workers`` processes."""
    size = (len(docs) + workers - 1) // workers or 1
    chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
    procs = [subprocess.Popen(["ruby", str(driver)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8") for _ in chunks]
    outputs: list = [None] * len(chunks)

    def talk(i: int) -> None:
        try:
            outputs[i] = procs[i].communicate(json.dumps(chunks[i]), timeout=timeout)
        except subprocess.TimeoutExpired:
            procs[i].kill()
            outputs[i] = procs[i].communicate()

    threads = [threading.Thread(target=talk, args=(i,)) for i in range(len(chunks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result: list = []
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, f"{driver.name} failed or timed out: {err[-2000:]}"
        result.extend(json.loads(out))
    return result

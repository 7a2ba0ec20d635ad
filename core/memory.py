"""Keep freed memory in the process instead of handing it back to the operating system.

With glibc's defaults every array above 32 MB is a fresh `mmap` and goes back to the system
when it is freed, so the next one of the same size is zeroed and page-faulted in again, page
by page. Profiling ten million rows makes hundreds of such temporaries: on the 2-core
development VM that was about 9 s of system time for 10 s of real work (bench_profile.py).
Serving them from the heap and never trimming it keeps the pages: the peak stays the same,
but the process does not shrink after a large extract (acceptable for a tool that runs for
one user on their own machine). Only on Linux with glibc; elsewhere nothing changes.
"""
from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_MMAP_MAX = -1, -4   # mallopt parameters of glibc's malloc.h


def keep_freed_memory() -> bool:
    """Large allocations from the heap, freed memory kept for reuse; True when applied."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):   # not glibc (macOS, Windows, musl without mallopt)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_MAX, 0)) and bool(mallopt(M_TRIM_THRESHOLD, 2 ** 31 - 1))

"""Keep freed memory in the process instead of handing it back to the operating system.

With glibc's defaults every array above 32 MB is a fresh `mmap` and goes back to the system
when it is freed, so the next one of the same size is zeroed and page-faulted in again, page
by page. Profiling ten million rows makes hundreds of such temporaries: on the 2-core
development VM that was about 9 s of system time for 10 s of real work (bench_profile.py).
Serving them from the heap and never trimming it keeps the pages: the peak stays the same,
but the process does not shrink after a large extract (acceptable for a tool that runs for
one user on their own machine). Arrow's arrays are then served from the same kept heap
(its system allocator) instead of mimalloc, which hands freed pages back to the operating
system within milliseconds: on a virtual machine that returns free pages to its host (Linux
page reporting, as on the development VM) every such page costs a fault in the host when it is
touched again. Measured there, whole load + profile of ten million rows, three alternating
runs each: mimalloc 16.0-18.2 s wall with 11.3-18.0 s system time, the system allocator
9.1-14.9 s with 3.4-7.0 s (user time 6.6-7.3 s either way; peak 3.8 GB against 4.5 GB).
All threads allocate from that one heap (one arena): a thread's own arena is made of 64 MB
heaps that glibc unmaps when they empty, so the profile's background client lookup
(quality_checks.prepare.in_background) page-faulted its temporaries in afresh (peak 4.5-5.0 GB
instead of 3.7-3.9 GB, 2-13 s system time, measured as above). Only on Linux with glibc;
elsewhere nothing changes.

numpy asks the kernel for transparent huge pages on every large array (madvise); where the
kernel then compacts memory to find 2 MB pages (THP defrag "madvise", the Debian default),
first touches cost 0.1-4 s per GB instead of a steady 0.3 s with normal pages. Measured on
the development VM, twelve alternating load + profile runs of ten million rows: 6.3-7.3 s with
numpy's huge pages, 4.3-5.0 s without. `NUMPY_MADVISE_HUGEPAGE` set by the user is kept.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

HUGE_PAGES = "NUMPY_MADVISE_HUGEPAGE"

M_TRIM_THRESHOLD, M_MMAP_MAX, M_ARENA_MAX = -1, -4, -8   # mallopt parameters of glibc's malloc.h


def no_huge_pages_for_numpy() -> None:
    """numpy's large arrays on normal pages, unless the user chose otherwise (see above)."""
    if HUGE_PAGES in os.environ:
        return
    os.environ[HUGE_PAGES] = "0"           # read when numpy is imported
    numpy = sys.modules.get("numpy")       # already imported (by the app's server, say)
    if numpy is not None:
        numpy._core.multiarray._set_madvise_hugepage(False)


def keep_freed_memory() -> bool:
    """Large allocations (Arrow's too) from one heap, freed memory kept for reuse; True when applied."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):   # not glibc (macOS, Windows, musl without mallopt)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    if not (mallopt(M_MMAP_MAX, 0) and mallopt(M_TRIM_THRESHOLD, 2 ** 31 - 1)):
        return False
    mallopt(M_ARENA_MAX, 1)
    import pyarrow
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    return True

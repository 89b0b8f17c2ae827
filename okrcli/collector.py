"""The cyclic garbage collector, kept out of the way of big loads.

Loading a repository or a history, or building a log of it, makes millions of objects
(dicts, lists, tuples) that live as long as the command. The collector would walk them again
and again as they pile up and for a while after (a third of the time of a load at 200k key
results), so it is paused while they are made, and a big result is then frozen out of its
sight. The next pause hands anything frozen back, without collecting at once (that would
walk every object again), so a long-lived process that loads repeatedly (the tests) does
not keep garbage forever.

"Big" is counted, not guessed: with the collector off, its own count of objects made since
it last ran says how much the block made.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FREEZE_FROM = 50_000  # objects made: about 150 team files (small loads, as in tests, are not)
_frozen = False


@contextmanager
def paused() -> Iterator[None]:
    """Pause the collector for the block; freeze what exists after it when it made much."""
    global _frozen
    if _frozen:  # back in the collector's sight: garbage among it is collected in time
        gc.unfreeze()
        _frozen = False
    enabled = gc.isenabled()
    gc.disable()
    before = gc.get_count()[0]
    try:
        yield
    finally:
        if gc.get_count()[0] - before >= FREEZE_FROM:
            gc.freeze()
            _frozen = True
        if enabled:
            gc.enable()

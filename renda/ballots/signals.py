"""Signals of the ballot engine, for the areas that hold votes (the engine knows none of them).

runoff_created(sender=Vote, vote=…, runoff=…): sent inside the transaction that creates a runoff,
so the area that held the tied vote can hold the runoff too (a meeting puts it on the same item).
"""

from django.dispatch import Signal

runoff_created = Signal()

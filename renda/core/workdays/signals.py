"""Sent when open deadlines get new due dates (a calendar edit, an extension).

Domain apps that keep a copy of a due date (Opinion.current_due) listen and update their copy in
the same transaction; the keyword argument ``deadlines`` is the list of changed Deadline rows.
"""

from django.dispatch import Signal

deadlines_changed = Signal()

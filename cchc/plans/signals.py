"""Signals the plans app sends for the layers above it.

Plans sit below tracking: issuing a plan or recording an event changes which obligations exist or
when they are due, and the statuses that tracking stores must follow at once. Plans announce the
change; tracking (`cchc.tracking.apps`) listens and recomputes, so plans never import tracking."""

import django.dispatch

# Sent with `obligations` (a queryset of Obligation) and `today` (a date) after obligations were
# created, withdrawn or had their due dates change. Receivers run inside the sender's transaction.
obligations_changed = django.dispatch.Signal()

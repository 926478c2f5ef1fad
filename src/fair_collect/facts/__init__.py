"""Facts derived from a request: time zones, local times, history windows.

The package init imports nothing so that ``fair_collect.model`` can use the
phone and zone validators without an import cycle; see ``core`` for ``Facts``.
"""

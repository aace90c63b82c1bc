"""The read side of the editor area, one module per screen group: frozen views for the
editor screens (and the "last checked" line of the public pages). Nothing here writes.

:class:`~directory.editorial.queries.editor_area.EditorialQueries` is what the web app
and the CLI hold; it opens the sessions and hands them to the functions of the other
modules.
"""

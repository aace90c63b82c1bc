"""The editor area (/nl/redactie/..., /en/editor/...) and the public "report an error" form.

:mod:`web.editor.routes` lists the routes and their body limits and installs the
editor state. This package module imports nothing, so that a screen module importing a
sibling (``from web.editor import texts``) does not pull in every other screen.
"""

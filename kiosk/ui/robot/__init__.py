"""The robot resident: plays many residents in a row on the real widgets, with an idle wipe between
them, and checks after every step that the screen offers its actions, that nothing was logged (a Qt
warning, a Python exception in a slot), that no screen keeps a reference to a widget Qt deleted, and
that nothing of the previous resident remains. Used by the UI tests and by ``bench/soak_ui.py``."""

"""Data files of the Praxisdesk client: style sheet, icons, translations.

A package (not just a folder) so ``importlib.resources`` finds it in an installed wheel too.
"""

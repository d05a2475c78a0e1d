"""Forms (issue 8) in the desktop client: the Settings section, the editor, the preview."""

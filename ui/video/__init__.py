"""The video tab, the call window and the video parts of the conversation view."""

"""The inbox: conversation list, conversation view, composer, tray."""

"""Live events: change-log growth pushed to websocket clients."""

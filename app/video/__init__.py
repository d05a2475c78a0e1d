"""Video consultations: the desktop's call engine (aiortc, no Qt).

``engine.CallEngine`` holds one peer connection; ``signalling.SignallingClient`` speaks the
server's websocket protocol; ``session.PhysicianCall`` ties both to an admitted appointment.
``sink.LatestFrameSink`` hands remote frames to the UI (the newest wins, nothing queues up).
"""

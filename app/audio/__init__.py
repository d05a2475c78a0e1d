"""Audio on the client: playback of call recordings and the urgent-call alert (sounddevice).

There may be no audio device at all (a terminal server, this CI machine): every entry point
then raises or reports :class:`~app.audio.player.AudioUnavailable` with a reason, never crashes.
"""

"""The patient's web page: plain HTML/CSS/JS, no third-party resources, no inline script."""

"""Patient links: hashed tokens that open one conversation's patient page."""

"""The phone assistant's calls on the client: types shared by the cache, core and UI."""

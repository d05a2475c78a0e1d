"""Digital forms (issue 8): definitions, answer checking, templates, PDF and seal.

A library only so far; endpoints and storage come with the next slice.
"""

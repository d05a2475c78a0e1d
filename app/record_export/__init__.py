"""Export of a conversation into the practice's patient record: a PDF plus a GDT 3.0 file
that the practice management system (PVS) imports. No Qt here; the UI calls
``ClientCore.export_to_record``.
"""

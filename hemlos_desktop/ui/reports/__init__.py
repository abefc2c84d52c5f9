"""Report dialogs: export or print one client's PDF, and batch export into a folder.

Entry points for other views: :func:`~.export_dialog.open_pdf_dialog` (case overview) and
:func:`~.batch_dialog.open_batch_export` (the Clients page, with the selected client ids).
"""

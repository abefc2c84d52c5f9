"""PDF reports (ReportLab) and other documents. Every report takes its locale explicitly.

The shared base: :class:`ReportContext` (language, municipality, who prints, masking, large
type), :func:`pdf_bytes` (page frame with header, footer, page numbers and
metadata), content helpers in :mod:`.flowables`, charts in :mod:`.charts` and the English-leak
check in :mod:`.leaks`. Renderers take plain data and return bytes; the services write the
files and the access log. Importing this package does not import ReportLab; the submodules do.
"""

from __future__ import annotations

from hemlos_desktop.reports.context import ReportContext, identity_text

__all__ = ["ReportContext", "identity_text"]

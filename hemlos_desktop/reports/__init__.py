"""PDF reports (ReportLab) and other documents. Every report takes its locale explicitly."""

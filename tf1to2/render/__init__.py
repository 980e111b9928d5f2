"""Everything users read: reports as text or JSON, and diffs. The only place that formats output."""

"""Read-only analysis of a module (gast). Produces plain data keyed by source positions."""

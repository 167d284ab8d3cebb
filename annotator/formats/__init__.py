"""Interchange formats, one module per format holding its reader and its writer."""

"""Suggestions: proposed entities and sentiments (propagation, patterns, models, imported
predictions) shown as ghost spans until an annotator accepts or rejects them."""
